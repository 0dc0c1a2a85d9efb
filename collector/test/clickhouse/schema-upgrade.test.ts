/**
 * A database of schema version 1 (fixtures/schema-v1.sql: the DDL before CH-PERF's change) opens
 * with this collector and is upgraded in place: the rollup is rebuilt from the spans, the value
 * index gains the rows version 1 did not write (resource attributes, running spans), the change
 * feed takes ids. Reads then answer as on a database this version wrote; and the upgrade steps
 * hold on a cluster (as text). The SQL rule of the value index equals the JavaScript one.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommitNotice, ExecutionRecord } from '../../src/storage/contract.js';
import { openConnection, type ClickHouseConnection } from '../../src/storage/clickhouse/connection.js';
import { SPAN_COLUMNS, spanInsertRows } from '../../src/storage/clickhouse/insert-rows.js';
import { SCHEMA_VERSION } from '../../src/storage/clickhouse/schema.js';
import { clusterStep, UPGRADES } from '../../src/storage/clickhouse/schema-upgrade.js';
import { indexedKeySql, indexedValueSql } from '../../src/storage/clickhouse/value-index-sql.js';
import { indexedValueOf, isIndexedKey } from '../../src/storage/span-model/value-index.js';
import { batchOf } from '../conformance/batches.js';
import { flowRun } from '../conformance/scenarios.js';
import { chdbDir, freshDatabase, openChdbStore, removeChdbDir } from './chdb-store.js';

afterAll(() => removeChdbDir());

const V1_DDL = readFileSync(new URL('./fixtures/schema-v1.sql', import.meta.url), 'utf8')
  .split('\n;\n').map((s) => s.split('\n').filter((line) => !line.startsWith('--')).join('\n').trim()).filter(Boolean);

/** A database as a version 1 collector left it: its tables, the spans, its value index rows and a change feed row. */
async function versionOneDatabase(conn: ClickHouseConnection, db: string, batch: ReturnType<typeof batchOf>): Promise<void> {
  for (const statement of V1_DDL) await conn.command(statement.replaceAll('__DB__', db));
  await conn.insert(`\`${db}\`.flowtrace_meta`, [{ key: 'schema_version', value: '1' }, { key: 'ttl_age_seconds', value: 'none' }]);
  const finished = batch.spans;
  const finishedIds = new Set(finished.map((s) => s.spanId));
  const rows = spanInsertRows(finished, batch.starts.filter((s) => !finishedIds.has(s.spanId)));
  await conn.insertArrays(`\`${db}\`.span_data`, SPAN_COLUMNS, rows.spans);
  // Version 1 indexed the small attributes of finished spans only.
  const resourceKeys = new Set(['service.name', 'deployment.environment.name']);
  await conn.insert(`\`${db}\`.attribute_values`, rows.values.filter(([key, , , spanId]) => spanId === '' && !resourceKeys.has(String(key)))
    .map(([key, value, traceId, , start]) => ({ key, value, trace_id: traceId, start_ns: start })));
  await conn.insert(`\`${db}\`.change_feed`, [{ commit_id: 'old', collector_id: 'old', notice: '{"spans":[]}' }]);
}

const strip = (e: ExecutionRecord | undefined): unknown => (e === undefined ? undefined : { ...e, lastSeenNs: 0n });

describe('upgrading a database of schema version 1', () => {
  it('opens it, rebuilds the rollup, completes the value index and reads as on a new database', async () => {
    const database = freshDatabase('v1');
    const startMs = Date.now() - 120_000;
    const legacy = flowRun({ flow: 'legacy', startMs, nodes: 2, resource: { 'deployment.environment.name': 'legacy-env' }, nodeAttributes: [{ 'order.id': 'old-order-1' }] });
    const running = flowRun({ flow: 'legacy-running', startMs: startMs + 1000, nodes: 2, status: 'running' });
    const runningNode = running.nodes[1];
    const spans = [...legacy.spans, ...running.spans.filter((s) => s.spanId !== runningNode.spanId),
      { ...runningNode, attributes: { ...runningNode.attributes, 'job.phase': 'legacy-loading' } }];
    const batch = batchOf({ spans, lines: legacy.lines });
    const conn = await openConnection({ kind: 'chdb', path: chdbDir() });
    await versionOneDatabase(conn, database, batch);
    const reference = await openChdbStore();
    const seen: CommitNotice[] = [];
    const upgraded = await openChdbStore({ database, changeFeedPollMs: 0 });
    const other = await openChdbStore({ database, changeFeedPollMs: 0, onCommit: (n) => seen.push(n) });
    try {
      await reference.writer.write(batch);
      const [meta] = await conn.query(`SELECT argMax(value, updated_ns) AS v FROM \`${database}\`.flowtrace_meta WHERE key = 'schema_version'`);
      expect(Number(meta.v)).toBe(SCHEMA_VERSION);
      for (const run of [legacy, running]) expect(strip(await upgraded.executions.get(run.traceId))).toEqual(strip(await reference.executions.get(run.traceId)));
      expect((await upgraded.executions.list({ limit: 10 })).executions.map((e) => e.traceId)).toEqual([running.traceId, legacy.traceId]);
      const byAttribute = async (key: string, value: string): Promise<string[]> =>
        (await upgraded.executions.list({ limit: 10, attributes: [{ key, value }] })).executions.map((e) => e.traceId);
      expect(await byAttribute('order.id', 'old-order-1')).toEqual([legacy.traceId]);
      expect(await byAttribute('deployment.environment.name', 'legacy-env')).toEqual([legacy.traceId]);
      expect(await byAttribute('job.phase', 'legacy-loading')).toEqual([running.traceId]);
      expect(await upgraded.statistics.flows({ fromNs: 0n, toNs: 2n ** 63n - 1n })).toEqual(await reference.statistics.flows({ fromNs: 0n, toNs: 2n ** 63n - 1n }));

      // The feed works on its new table: a commit of one collector reaches the other.
      const later = flowRun({ flow: 'after-upgrade', startMs: Date.now() - 10_000, nodes: 1 });
      await upgraded.writer.write(batchOf({ spans: later.spans }));
      expect(await other.changes.pollOnce()).toBe(1);
      expect(seen.flatMap((n) => n.spans.map((s) => s.spanId)).sort()).toEqual(later.spans.map((s) => s.spanId).sort());
    } finally {
      await upgraded.close();
      await other.close();
      await reference.close();
      await conn.close();
    }
  });

  it('renders the upgrade on a cluster against every node\'s local tables and through the Distributed ones', () => {
    const statements = UPGRADES.flatMap((u) => [...u.before, ...u.after]).flatMap((step) => clusterStep('ft', 'prod', ' SETTINGS insert_quorum = \'auto\'')(step).statements);
    for (const s of statements.filter((x) => x.startsWith('DROP') || x.startsWith('ALTER'))) expect(s).toContain('ON CLUSTER `prod`');
    expect(statements).toContain('DROP VIEW IF EXISTS `ft`.`execution_rollup_mv_local` ON CLUSTER `prod` SYNC');
    expect(statements).toContain('DROP TABLE IF EXISTS `ft`.`execution_rollup_local` ON CLUSTER `prod` SYNC');
    expect(statements).toContain('DROP TABLE IF EXISTS `ft`.`execution_rollup` ON CLUSTER `prod` SYNC');
    expect(statements.filter((s) => s.startsWith('ALTER TABLE `ft`.`attribute_values_local` ON CLUSTER `prod` ADD COLUMN IF NOT EXISTS span_id'))).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith('ALTER TABLE `ft`.`attribute_values` ON CLUSTER `prod` ADD COLUMN IF NOT EXISTS span_id'))).toHaveLength(1);
    const fills = statements.filter((s) => s.startsWith('INSERT'));
    expect(fills.map((s) => s.split(' ').slice(0, 3).join(' '))).toEqual(['INSERT INTO `ft`.`execution_rollup`', 'INSERT INTO `ft`.`attribute_values`']);
    for (const fill of fills) {
      expect(fill).toContain('FROM `ft`.`span_data`');
      expect(fill).not.toContain('_local');
      expect(fill.endsWith(" SETTINGS insert_quorum = 'auto'")).toBe(true);
    }
  });
});

describe('the value index rule in SQL', () => {
  it('indexes the same keys and values as the JavaScript rule', async () => {
    const values = ['"plain"', '"ünïcode ✓"', '"😀x"', `"${'a'.repeat(128)}"`, `"${'a'.repeat(129)}"`, `"${'😀'.repeat(64)}"`, `"${'😀'.repeat(65)}"`,
      '"[1,2]"', '"{\\"a\\":1}"', '"12"', '"1.5"', '"1e3"', '"007"', '"-0"', '"with \\"quote\\" and \\\\ slash"', '""',
      'true', 'false', 'null', '12', '-7', '123456789012345678', '1234567890123456789', '1.5', '1e21', '[1,2]', '{"a":1}'];
    const keys = ['order.id', 'flowtrace.truncated', 'flow.name', 'enduser.id', 'x.y'];
    const conn = await openConnection({ kind: 'chdb', path: chdbDir() });
    try {
      const rows = await conn.query(
        `SELECT v, ${indexedValueSql('v')} AS text FROM (SELECT arrayJoin({values:Array(String)}) AS v)`, { values },
      );
      expect(Object.fromEntries(rows.map((r) => [String(r.v), r.text === null ? null : String(r.text)])))
        .toEqual(Object.fromEntries(values.map((v) => [v, indexedValueOf(v)])));
      const keyRows = await conn.query(`SELECT k, ${indexedKeySql('k')} AS ok FROM (SELECT arrayJoin({keys:Array(String)}) AS k)`, { keys });
      expect(Object.fromEntries(keyRows.map((r) => [String(r.k), Number(r.ok) === 1]))).toEqual(Object.fromEntries(keys.map((k) => [k, isIndexedKey(k)])));
    } finally {
      await conn.close();
    }
  });
});
