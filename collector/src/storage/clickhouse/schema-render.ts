/**
 * Renders the schema data (schema.ts) as single-node DDL: tables under their logical names in
 * one database, the materialized view between them, and TTLs for a retention age. The cluster
 * variant renders the same data otherwise (CH-EDGE). Pure functions: text in, text out.
 */
import type { MaterializedViewDdl, SchemaObject, TableDdl } from './schema-types.js';
import { SCHEMA } from './schema.js';

/** A database or table name as an identifier (back-quoted, quotes escaped). */
export function ident(name: string): string {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/** The TTL clause of a table for a retention age in seconds, or '' when none applies. */
export function ttlClause(table: TableDdl, ageSeconds: number | undefined): string {
  const parts: string[] = [];
  if (table.ttlTime !== undefined && ageSeconds !== undefined) parts.push(`${table.ttlTime} + toIntervalSecond(${Math.max(1, Math.ceil(ageSeconds))})`);
  if (table.fixedTtl !== undefined) parts.push(table.fixedTtl);
  return parts.join(', ');
}

function renderTable(db: string, t: TableDdl, ageSeconds: number | undefined): string {
  const engine = `${t.engine.family}(${t.engine.args.join(', ')})`;
  const ttl = ttlClause(t, ageSeconds);
  return [
    `CREATE TABLE IF NOT EXISTS ${ident(db)}.${ident(t.name)} (`,
    [...t.columns, ...t.indexes].map((c) => `  ${c}`).join(',\n'),
    `) ENGINE = ${engine}`,
    t.partitionBy !== undefined ? `PARTITION BY ${t.partitionBy}` : '',
    `ORDER BY ${t.orderBy}`,
    ttl !== '' ? `TTL ${ttl}` : '',
    t.settings.length > 0 ? `SETTINGS ${t.settings.join(', ')}` : '',
  ].filter((line) => line !== '').join('\n');
}

function renderView(db: string, v: MaterializedViewDdl): string {
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${ident(db)}.${ident(v.name)} TO ${ident(db)}.${ident(v.to)} AS\n`
    + `SELECT\n  ${v.select}\nFROM ${ident(db)}.${ident(v.from)}\nGROUP BY ${v.groupBy}`;
}

/** One node's DDL: the database, then every object of SCHEMA in order. */
export function singleNodeDdl(db: string, ageSeconds?: number, schema: readonly SchemaObject[] = SCHEMA): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${ident(db)}`,
    ...schema.map((o) => (o.kind === 'table' ? renderTable(db, o, ageSeconds) : renderView(db, o))),
  ];
}

/**
 * What brings existing tables to a retention age (or removes the age's TTL): an ALTER per table
 * with a ttlTime. MODIFY TTL with materialize_ttl_after_modify = 0 only records the rule; merges
 * apply it from then on, and retention's own pass deletes what is already past it.
 */
export function ttlAlterations(db: string, ageSeconds: number | undefined, schema: readonly SchemaObject[] = SCHEMA): string[] {
  return schema.filter((o): o is TableDdl => o.kind === 'table' && o.ttlTime !== undefined).map((t) => {
    const ttl = ttlClause(t, ageSeconds);
    const table = `${ident(db)}.${ident(t.name)}`;
    return ttl === '' ? `ALTER TABLE ${table} REMOVE TTL` : `ALTER TABLE ${table} MODIFY TTL ${ttl} SETTINGS materialize_ttl_after_modify = 0`;
  });
}
