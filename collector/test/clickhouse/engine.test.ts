/**
 * What the ClickHouse engine promises beyond the conformance suite, on chDB: the schema it
 * creates (sorting keys, engines, the rollup's view, TTL from the retention age), refusing a
 * database of a newer schema, a size cap measured from system.parts, and a client that answers
 * right after a statement failed (the chDB quirk the connection works around).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../src/storage/clickhouse/connection.js';
import { SCHEMA, SCHEMA_VERSION } from '../../src/storage/clickhouse/schema.js';
import { ClickHouseSchemaVersionError } from '../../src/storage/clickhouse/schema-apply.js';
import { singleNodeDdl } from '../../src/storage/clickhouse/schema-render.js';
import { tablesOf } from '../../src/storage/clickhouse/tables.js';
import { openStorage } from '../../src/storage/index.js';
import type { Storage } from '../../src/storage/contract.js';
import { batchOf, type SpanSpec } from '../conformance/batches.js';
import { DAY_MS, flowRun, newSpanId, nsOf } from '../conformance/scenarios.js';
import { chdbDir, freshDatabase, openChdbStore, removeChdbDir } from './chdb-store.js';

afterAll(() => removeChdbDir());

describe('the ClickHouse schema', () => {
  it('keeps spans in a ReplacingMergeTree by version ordered by (trace_id, span_id), and the rollup in an AggregatingMergeTree a view fills', () => {
    const ddl = singleNodeDdl('db').join('\n;\n');
    expect(ddl).toMatch(/CREATE TABLE IF NOT EXISTS `db`.`span_data`[\s\S]*ENGINE = ReplacingMergeTree\(version\)\nPARTITION BY [^\n]+\nORDER BY \(trace_id, span_id\)/);
    expect(ddl).toMatch(/`execution_rollup`[\s\S]*ENGINE = AggregatingMergeTree\(\)\nORDER BY trace_id/);
    expect(ddl).toMatch(/CREATE MATERIALIZED VIEW IF NOT EXISTS `db`.`execution_rollup_mv` TO `db`.`execution_rollup`/);
    expect(ddl).toMatch(/`attribute_values`[\s\S]*ORDER BY \(key, value, trace_id, span_id\)/);
    expect(ddl).not.toMatch(/\bTTL toDateTime\(intDiv\(start_ns/); // no age, no retention TTL
    // Everything keyed by a trace is sharded by it, so a trace and its rollup share a shard.
    for (const o of SCHEMA) {
      if (o.kind === 'table' && o.columns.some((c) => c.startsWith('trace_id '))) expect(o.shardBy, o.name).toBe('cityHash64(trace_id)');
    }
  });

  it('gives every table a retention age applies to a TTL of twice the age (retention passes delete at the age)', async () => {
    const storage = await openChdbStore({ retention: { maxAgeMs: DAY_MS } });
    try {
      const conn = await openConnection(storage.target);
      const db = storage.location.split('#')[1];
      const [row] = await conn.query(`SELECT create_table_query AS q FROM system.tables WHERE database = {db:String} AND name = 'span_data'`, { db });
      await conn.close();
      expect(String(row.q)).toMatch(/TTL toDateTime\(intDiv\(start_ns, 1000000000\)\) \+ toIntervalSecond\(172800\)/);
    } finally {
      await storage.close();
    }
  });

  it('on a cluster, reads and inserts name the Distributed tables and deletes name every node\'s local table', () => {
    const one = tablesOf('ft');
    const many = tablesOf('ft', 'prod');
    expect(many.spans).toBe(one.spans);
    expect(one.mutable(one.spans)).toBe('`ft`.`span_data`');
    expect(many.mutable(many.spans)).toBe('`ft`.`span_data_local` ON CLUSTER `prod`');
    expect(many.mutable(many.rollup)).toBe('`ft`.`execution_rollup_local` ON CLUSTER `prod`');
    expect(many.parts).toBe('clusterAllReplicas(`prod`, system.parts)');
    expect(many.insertSettings).toMatchObject({ insert_quorum: 'auto' });
    expect(one.insertSettings).toEqual({});
  });

  it('refuses a database written by a newer schema', async () => {
    const database = freshDatabase('newer');
    const first = await openChdbStore({ database });
    const conn = await openConnection(first.target);
    await conn.insert(`\`${database}\`.\`flowtrace_meta\``, [{ key: 'schema_version', value: String(SCHEMA_VERSION + 1) }]);
    await conn.close();
    await first.close();
    await expect(openChdbStore({ database })).rejects.toBeInstanceOf(ClickHouseSchemaVersionError);
  });
});

describe('the ClickHouse engine', () => {
  it('deletes the oldest executions when the database is over the size cap, measured from system.parts', async () => {
    const storage = await openChdbStore({ retention: { maxBytes: 1 } });
    try {
      const runs = [3, 2, 1].map((daysAgo) => flowRun({ flow: `sized-${daysAgo}`, startMs: Date.now() - daysAgo * DAY_MS, lineText: 'line' }));
      for (const run of runs) await storage.writer.write(batchOf({ spans: run.spans, lines: run.lines }));
      const pass = await storage.retention.runOnce();
      expect(pass.usedBytesBefore).toBeGreaterThan(0);
      expect(pass.deletedExecutions).toBeGreaterThanOrEqual(1);
      // Oldest first: whatever went, the oldest went, and the newest stayed (at most half per pass).
      expect(await storage.executions.get(runs[0].traceId)).toBeUndefined();
      expect(await storage.executions.get(runs[2].traceId)).toBeDefined();
      expect((await storage.traces.get(runs[2].traceId))?.spans).toHaveLength(runs[2].spans.length);
    } finally {
      await storage.close();
    }
  });

  it('answers a statement with its own rows after the one before it failed midway', async () => {
    const conn = await openConnection({ kind: 'chdb', path: chdbDir() });
    try {
      await expect(conn.query('SELECT throwIf(number = 5000, \'midway\') AS x FROM numbers(100000)')).rejects.toThrow(/midway/);
      expect(await conn.query('SELECT 42 AS answer')).toEqual([{ answer: 42 }]);
    } finally {
      await conn.close();
    }
  });

  it('renders a trace as DuckDB does: the same Span JSON, outline, lines and execution for the same batches', async () => {
    const run = flowRun({
      flow: 'same', startMs: Date.now() - 60_000, nodes: 3, status: 'error', lineText: 'same line',
      rootAttributes: { 'order.id': 'ord-9', big: 12345678901234, ratio: 0.25, ok: true },
      nodeAttributes: [{ 'flow.node.input': `{"text":"${'x'.repeat(400)}"}` }],
    });
    const running: SpanSpec = { ...run.nodes[0], spanId: newSpanId(), name: 'still running', startNs: run.startNs + nsOf(50), endNs: null };
    const batches = [{ spans: [running] }, { spans: run.spans, lines: run.lines }];
    const read = async (storage: Storage) => {
      for (const b of batches) await storage.writer.write(batchOf(b));
      const json = (await storage.traces.getJson(run.traceId))!;
      const outline = (await storage.traces.outline(run.traceId))!;
      const execution = { ...json.execution, lastSeenNs: 0n };
      return {
        execution, spans: JSON.parse(`[${json.spansJson}]`), parents: json.parentSpanIds, logs: json.logs,
        outline: { ...outline, execution: undefined, spans: JSON.parse(`[${outline.spansJson}]`), spansJson: undefined },
        span: JSON.parse((await storage.traces.span(json.execution, run.nodes[0].spanId))!.spanJson),
      };
    };
    const duck = await openStorage({ path: ':memory:' });
    const house = await openChdbStore();
    try {
      const expected = await read(duck);
      expect(expected.spans).toHaveLength(run.spans.length + 1);
      expect(await read(house)).toEqual(expected);
    } finally {
      await duck.close();
      await house.close();
    }
  });
});
