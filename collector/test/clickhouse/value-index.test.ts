/**
 * `attr=key=value` on ClickHouse is answered by the value index alone (one key range, no scan of
 * span_data), so the index holds what a search may match: finished spans' attributes, every
 * span's resource attributes, and a running span's attributes only while it runs. And a commit
 * that failed midway leaves no stored span without its index rows for the retry to skip.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ClickHouseConnection, openConnection } from '../../src/storage/clickhouse/connection.js';
import type { ClickHouseStorage } from '../../src/storage/clickhouse/storage.js';
import { batchOf } from '../conformance/batches.js';
import { flowRun, nsOf } from '../conformance/scenarios.js';
import { openChdbStore, removeChdbDir } from './chdb-store.js';

afterAll(() => removeChdbDir());

async function indexRows(storage: ClickHouseStorage, key: string): Promise<Array<{ value: string; span_id: string }>> {
  const conn = await openConnection(storage.target);
  try {
    const db = storage.location.split('#')[1];
    return (await conn.query(`SELECT value, span_id FROM \`${db}\`.attribute_values FINAL WHERE key = {key:String} ORDER BY value, span_id`, { key })) as Array<{ value: string; span_id: string }>;
  } finally {
    await conn.close();
  }
}

const ids = (page: { executions: Array<{ traceId: string }> }): string[] => page.executions.map((e) => e.traceId);

describe('the attribute value index', () => {
  it('holds resource attributes and running spans, and a running span matches only while it runs', async () => {
    const storage = await openChdbStore();
    try {
      const run = flowRun({ flow: 'indexed', startMs: Date.now() - 60_000, nodes: 2, resource: { 'deployment.environment.name': 'qa-7' } });
      const node = run.nodes[1];
      await storage.writer.write(batchOf({ spans: [{ ...node, endNs: null, attributes: { ...node.attributes, 'job.phase': 'loading' } }] }));
      expect(await indexRows(storage, 'job.phase')).toEqual([{ value: 'loading', span_id: node.spanId }]);
      expect(ids(await storage.executions.list({ limit: 10, attributes: [{ key: 'job.phase', value: 'loading' }] }))).toEqual([run.traceId]);

      await storage.writer.write(batchOf({ spans: [...run.spans.filter((s) => s.spanId !== node.spanId), { ...node, attributes: { ...node.attributes, 'job.phase': 'done' } }] }));
      expect(await indexRows(storage, 'deployment.environment.name')).toEqual([{ value: 'qa-7', span_id: '' }]);
      expect(ids(await storage.executions.list({ limit: 10, attributes: [{ key: 'deployment.environment.name', value: 'qa-7' }] }))).toEqual([run.traceId]);
      expect(ids(await storage.executions.list({ limit: 10, attributes: [{ key: 'job.phase', value: 'done' }] }))).toEqual([run.traceId]);
      // The start mark said "loading"; the finished span says otherwise, so the run no longer matches.
      expect(ids(await storage.executions.list({ limit: 10, attributes: [{ key: 'job.phase', value: 'loading' }] }))).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it('pages the runs an attribute selects newest first by cursor, within a time range, whether few or many', async () => {
    const storage = await openChdbStore();
    try {
      const base = Date.now() - 600_000;
      const runs = Array.from({ length: 5 }, (_, i) => flowRun({ flow: 'paged', startMs: base + i * 1000, nodes: 1, nodeAttributes: [{ 'tenant.id': 't-42' }] }));
      await storage.writer.write(batchOf({ spans: runs.flatMap((r) => r.spans) }));
      const newestFirst = runs.map((r) => r.traceId).reverse();
      const filter = { attributes: [{ key: 'tenant.id', value: 't-42' }] };
      for (const limit of [2, 4, 10]) {
        const seen: string[] = [];
        let cursor: { startNs: bigint; traceId: string } | undefined;
        for (;;) {
          const page = await storage.executions.list({ ...filter, limit, cursor });
          seen.push(...ids(page));
          if (!page.hasMore) break;
          const last = page.executions[page.executions.length - 1];
          cursor = { startNs: last.startNs, traceId: last.traceId };
        }
        expect(seen, `limit ${limit}`).toEqual(newestFirst);
      }
      const inRange = await storage.executions.list({ ...filter, limit: 10, fromNs: runs[1].startNs, toNs: runs[3].startNs });
      expect(ids(inRange)).toEqual(newestFirst.slice(1, 4));
    } finally {
      await storage.close();
    }
  });

  it('finds a run by attribute after its first commit failed between the index and the spans, once the retry is stored', async () => {
    const storage = await openChdbStore();
    const run = flowRun({ flow: 'retried-index', startMs: Date.now() - 30_000, nodes: 1, nodeAttributes: [{ 'order.id': 'retry-order-9' }] });
    // The first insert into attribute_values fails, whichever way the engine sends it.
    const methods = ['insert', 'insertArrays'] as const;
    const saved = methods.map((m) => [m, (ClickHouseConnection.prototype as unknown as Record<string, unknown>)[m]] as const);
    let failed = false;
    for (const [m, original] of saved) {
      if (typeof original !== 'function') continue;
      (ClickHouseConnection.prototype as unknown as Record<string, unknown>)[m] = function (this: ClickHouseConnection, table: string, ...rest: unknown[]) {
        if (!failed && table.includes('attribute_values')) {
          failed = true;
          return Promise.reject(new Error('injected: the value index insert failed'));
        }
        return (original as (...a: unknown[]) => Promise<void>).call(this, table, ...rest);
      };
    }
    try {
      await expect(storage.writer.write(batchOf({ spans: run.spans }))).rejects.toMatchObject({ code: 'FT_WRITE_FAILED' });
      expect(failed).toBe(true);
      await storage.writer.write(batchOf({ spans: run.spans }));
      const found = await storage.executions.list({ limit: 10, attributes: [{ key: 'order.id', value: 'retry-order-9' }], fromNs: run.startNs - nsOf(1000) });
      expect(ids(found)).toEqual([run.traceId]);
    } finally {
      for (const [m, original] of saved) if (typeof original === 'function') (ClickHouseConnection.prototype as unknown as Record<string, unknown>)[m] = original;
      await storage.close();
    }
  });
});
