/**
 * The schema on a ClickHouse cluster (`--clickhouse-cluster NAME`): the same data as the
 * single-node DDL (schema.ts, rendered there by schema-render.ts), rendered for shards and
 * replicas. Pure functions: text in, text out (chDB has no cluster, so this is checked as text).
 *
 * For every table `<name>` of SCHEMA:
 * - `<name>_local` on every node (`ON CLUSTER`), `Replicated<family>` with its replica path
 *   `/clickhouse/tables/{shard}/<db>/<name>_local` and `{replica}` (macros each node defines);
 * - `<name>` as `Distributed(<cluster>, <db>, <name>_local, <shardBy>)`: what every read and write
 *   of the engine names, so the engine's SQL is the same on one node and on a cluster.
 * Everything keyed by a trace shards by `cityHash64(trace_id)`: a trace's spans, lines and value
 * index rows land on one shard, and the materialized view — which sees only the block inserted on
 * its node — points at the local tables, so the rollup row of a trace is built on the shard that
 * holds all of its spans (`FINAL` and the rollup merge per shard, correctly).
 *
 * On a cluster the writer must insert with CLUSTER_INSERT_SETTINGS (a 200 means every shard's
 * quorum has the rows); DELETE and ALTER must name `<name>_local … ON CLUSTER` (a Distributed table
 * takes neither), and sizes come from `clusterAllReplicas(<cluster>, system.parts)`.
 */
import { ident, ttlClause } from './schema-render.js';
import type { MaterializedViewDdl, SchemaObject, TableDdl } from './schema-types.js';
import { SCHEMA } from './schema.js';

export const LOCAL_SUFFIX = '_local';

/**
 * Insert settings on a cluster: wait for the shards (not a background queue on the receiving
 * node), and for a majority of each shard's replicas.
 */
export const CLUSTER_INSERT_SETTINGS = {
  distributed_foreground_insert: 1,
  insert_quorum: 'auto',
  insert_quorum_parallel: 1,
} as const;

const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const onCluster = (cluster: string): string => `ON CLUSTER ${ident(cluster)}`;

/** `<db>`.`<name>_local`, the table of one node. */
export function localTable(database: string, name: string): string {
  return `${ident(database)}.${ident(name + LOCAL_SUFFIX)}`;
}

function renderLocal(db: string, cluster: string, t: TableDdl, ageSeconds: number | undefined): string {
  const path = `/clickhouse/tables/{shard}/${db}/${t.name}${LOCAL_SUFFIX}`;
  const engine = `Replicated${t.engine.family}(${[quote(path), quote('{replica}'), ...t.engine.args].join(', ')})`;
  const ttl = ttlClause(t, ageSeconds);
  return [
    `CREATE TABLE IF NOT EXISTS ${localTable(db, t.name)} ${onCluster(cluster)} (`,
    [...t.columns, ...t.indexes].map((c) => `  ${c}`).join(',\n'),
    `) ENGINE = ${engine}`,
    t.partitionBy !== undefined ? `PARTITION BY ${t.partitionBy}` : '',
    `ORDER BY ${t.orderBy}`,
    ttl !== '' ? `TTL ${ttl}` : '',
    t.settings.length > 0 ? `SETTINGS ${t.settings.join(', ')}` : '',
  ].filter((line) => line !== '').join('\n');
}

function renderDistributed(db: string, cluster: string, t: TableDdl): string {
  if (t.shardBy === null) {
    throw new Error(`cluster DDL: ${t.name} has no sharding key; a table every shard keeps whole needs its own rendering`);
  }
  const engine = `Distributed(${[quote(cluster), quote(db), quote(t.name + LOCAL_SUFFIX), t.shardBy].join(', ')})`;
  return `CREATE TABLE IF NOT EXISTS ${ident(db)}.${ident(t.name)} ${onCluster(cluster)} AS ${localTable(db, t.name)}\nENGINE = ${engine}`;
}

function renderView(db: string, cluster: string, v: MaterializedViewDdl): string {
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${localTable(db, v.name)} ${onCluster(cluster)} TO ${localTable(db, v.to)} AS\n`
    + `SELECT\n  ${v.select}\nFROM ${localTable(db, v.from)}\nGROUP BY ${v.groupBy}`;
}

/**
 * The cluster's DDL: the database on every node, then per table its local table and its
 * Distributed table, then the views between local tables (in SCHEMA's order otherwise).
 */
export function clusterDdl(database: string, cluster: string, ageSeconds?: number, schema: readonly SchemaObject[] = SCHEMA): string[] {
  const statements = [`CREATE DATABASE IF NOT EXISTS ${ident(database)} ${onCluster(cluster)}`];
  for (const object of schema) {
    if (object.kind === 'table') {
      statements.push(renderLocal(database, cluster, object, ageSeconds), renderDistributed(database, cluster, object));
    } else {
      statements.push(renderView(database, cluster, object));
    }
  }
  return statements;
}

/** What brings the local tables of every node to a retention age (or removes it): schema-render's ttlAlterations on a cluster. */
export function clusterTtlAlterations(database: string, cluster: string, ageSeconds: number | undefined, schema: readonly SchemaObject[] = SCHEMA): string[] {
  return schema.filter((o): o is TableDdl => o.kind === 'table' && o.ttlTime !== undefined).map((t) => {
    const ttl = ttlClause(t, ageSeconds);
    const table = `${localTable(database, t.name)} ${onCluster(cluster)}`;
    return ttl === '' ? `ALTER TABLE ${table} REMOVE TTL` : `ALTER TABLE ${table} MODIFY TTL ${ttl} SETTINGS materialize_ttl_after_modify = 0`;
  });
}
