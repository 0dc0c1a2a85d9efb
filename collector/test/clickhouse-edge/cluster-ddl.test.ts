/**
 * The cluster rendering of the ClickHouse schema, checked as text (chDB refuses Distributed and
 * Replicated tables; sql-console.test.ts also has ClickHouse's parser read every statement).
 */
import { describe, expect, it } from 'vitest';
import { clusterDdl, clusterTtlAlterations, LOCAL_SUFFIX } from '../../src/storage/clickhouse/cluster-ddl.js';
import { singleNodeDdl } from '../../src/storage/clickhouse/schema-render.js';
import { SCHEMA, type TableDdl } from '../../src/storage/clickhouse/schema.js';

const DB = 'flowtrace';
const CLUSTER = 'flowtrace_cluster';
const ddl = clusterDdl(DB, CLUSTER, 7 * 86_400);
const tables = SCHEMA.filter((o): o is TableDdl => o.kind === 'table');
const views = SCHEMA.filter((o) => o.kind === 'materializedView');

const localOf = (name: string) => ddl.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS \`${DB}\`.\`${name}${LOCAL_SUFFIX}\` `));
const distributedOf = (name: string) => ddl.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS \`${DB}\`.\`${name}\` `));
const hasTraceId = (t: TableDdl) => t.columns.some((c) => c.startsWith('trace_id '));

describe('clusterDdl', () => {
  it('runs every statement ON CLUSTER, the database first', () => {
    expect(ddl[0]).toBe(`CREATE DATABASE IF NOT EXISTS \`${DB}\` ON CLUSTER \`${CLUSTER}\``);
    for (const statement of ddl) expect(statement.split('\n')[0], statement).toContain(`ON CLUSTER \`${CLUSTER}\``);
    expect(ddl).toHaveLength(1 + 2 * tables.length + views.length);
  });

  it('makes every local table Replicated, with a replica path per shard and table', () => {
    for (const t of tables) {
      const local = localOf(t.name);
      expect(local, t.name).toBeDefined();
      const path = `/clickhouse/tables/{shard}/${DB}/${t.name}${LOCAL_SUFFIX}`;
      const args = [`'${path}'`, "'{replica}'", ...t.engine.args].join(', ');
      expect(local).toContain(`ENGINE = Replicated${t.engine.family}(${args})`);
      for (const column of t.columns) expect(local).toContain(column);
      expect(local).toContain(`ORDER BY ${t.orderBy}`);
      if (t.ttlTime !== undefined) expect(local).toContain(`TTL ${t.ttlTime} + toIntervalSecond(604800)`);
    }
    expect(ddl.filter((s) => /ENGINE = (Replacing|Aggregating)?MergeTree\(/.test(s))).toEqual([]);
  });

  it('shards every table keyed by a trace by cityHash64(trace_id), behind a Distributed table of its logical name', () => {
    const traceTables = tables.filter(hasTraceId);
    expect(traceTables.map((t) => t.name)).toEqual(expect.arrayContaining(['span_data', 'execution_rollup', 'log_data', 'attribute_values']));
    for (const t of tables) {
      const distributed = distributedOf(t.name);
      const key = hasTraceId(t) ? 'cityHash64(trace_id)' : t.shardBy;
      expect(distributed, t.name).toBe(
        `CREATE TABLE IF NOT EXISTS \`${DB}\`.\`${t.name}\` ON CLUSTER \`${CLUSTER}\` AS \`${DB}\`.\`${t.name}${LOCAL_SUFFIX}\`\n`
          + `ENGINE = Distributed('${CLUSTER}', '${DB}', '${t.name}${LOCAL_SUFFIX}', ${key})`,
      );
      expect(ddl.indexOf(distributed as string)).toBeGreaterThan(ddl.indexOf(localOf(t.name) as string));
    }
  });

  it('points the materialized view at the local tables, so a trace and its rollup stay on one shard', () => {
    for (const v of views) {
      if (v.kind !== 'materializedView') continue;
      const statement = ddl.find((s) => s.startsWith(`CREATE MATERIALIZED VIEW IF NOT EXISTS \`${DB}\`.\`${v.name}${LOCAL_SUFFIX}\``));
      expect(statement, v.name).toBeDefined();
      expect(statement).toContain(`TO \`${DB}\`.\`${v.to}${LOCAL_SUFFIX}\` AS`);
      expect(statement).toContain(`FROM \`${DB}\`.\`${v.from}${LOCAL_SUFFIX}\`\nGROUP BY ${v.groupBy}`);
      const shardOf = (name: string) => tables.find((t) => t.name === name)?.shardBy;
      expect(shardOf(v.to)).toBe(shardOf(v.from));
      expect(ddl.indexOf(statement as string)).toBeGreaterThan(ddl.indexOf(localOf(v.to) as string));
      expect(ddl.indexOf(statement as string)).toBeGreaterThan(ddl.indexOf(localOf(v.from) as string));
    }
    expect(views.length).toBeGreaterThan(0);
  });

  it('renders the same columns, keys and settings as the single-node DDL', () => {
    const single = singleNodeDdl(DB, 7 * 86_400);
    for (const t of tables) {
      const one = single.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS \`${DB}\`.\`${t.name}\` (`)) as string;
      const body = (s: string) => s.slice(s.indexOf('(\n'), s.indexOf(') ENGINE'));
      const tail = (s: string) => s.slice(s.indexOf('\n', s.indexOf(') ENGINE')));
      expect(body(localOf(t.name) as string), t.name).toBe(body(one));
      expect(tail(localOf(t.name) as string), t.name).toBe(tail(one));
    }
  });

  it('refuses a table without a sharding key rather than guessing one', () => {
    const unsharded = { ...tables[0], name: 'whole', shardBy: null };
    expect(() => clusterDdl(DB, CLUSTER, undefined, [unsharded])).toThrow(/no sharding key/);
  });
});

describe('clusterTtlAlterations', () => {
  it('changes the TTL of the local tables ON CLUSTER, never of the Distributed ones', () => {
    const alterations = clusterTtlAlterations(DB, CLUSTER, 3_600);
    expect(alterations.length).toBe(tables.filter((t) => t.ttlTime !== undefined).length);
    for (const statement of alterations) {
      expect(statement).toMatch(new RegExp(`^ALTER TABLE \`${DB}\`\\.\`\\w+${LOCAL_SUFFIX}\` ON CLUSTER \`${CLUSTER}\` MODIFY TTL .*toIntervalSecond\\(3600\\)`));
    }
    for (const statement of clusterTtlAlterations(DB, CLUSTER, undefined)) expect(statement).toMatch(/_local` ON CLUSTER `\w+` REMOVE TTL$/);
  });
});
