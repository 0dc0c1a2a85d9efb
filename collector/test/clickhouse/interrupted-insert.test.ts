/**
 * A retry completes what an interrupted commit left half done. ClickHouse commits an INSERT's part
 * of span_data before the rollup's materialized view runs on it: a collector killed between the
 * two (or a view that fails) leaves spans stored without their rollup, and the batch unanswered.
 * Measured in chDB 26.7: a process SIGKILLed while a view ran on its INSERT left all 4 source rows
 * and none of the view's. The exporter's retry must bring the rollup to what one uninterrupted
 * commit gives, even for a trace the rollup knows already (its running mark came before).
 *
 * The interrupted state is made here as the kill leaves it: the batch's value index and span_data
 * rows inserted with the view detached.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../src/storage/clickhouse/connection.js';
import { SPAN_COLUMNS, spanInsertRows } from '../../src/storage/clickhouse/insert-rows.js';
import { tablesOf } from '../../src/storage/clickhouse/tables.js';
import { VALUE_COLUMNS } from '../../src/storage/clickhouse/value-index-rows.js';
import type { IngestBatch } from '../../src/storage/span-model/span.js';
import type { ClickHouseStorage } from '../../src/storage/clickhouse/storage.js';
import { batchOf } from '../conformance/batches.js';
import { flowRun } from '../conformance/scenarios.js';
import { freshDatabase, openChdbStore, removeChdbDir } from './chdb-store.js';

afterAll(() => removeChdbDir());

/** Stores the batch's span rows as a commit killed after span_data's part and before the rollup's leaves them. */
async function storeWithoutRollup(storage: ClickHouseStorage, database: string, batch: IngestBatch): Promise<void> {
  const t = tablesOf(database);
  const view = `\`${database}\`.execution_rollup_mv`;
  const conn = await openConnection(storage.target);
  try {
    const rows = spanInsertRows(batch.spans, batch.starts);
    await conn.command(`DETACH TABLE ${view}`);
    try {
      await conn.insertArrays(t.values, VALUE_COLUMNS, rows.values);
      await conn.insertArrays(t.spans, SPAN_COLUMNS, rows.spans);
    } finally {
      await conn.command(`ATTACH TABLE ${view}`);
    }
  } finally {
    await conn.close();
  }
}

describe('a commit interrupted between span_data and the rollup', () => {
  it('is completed by the retry: the execution reads as if the batch had been stored once, whole', async () => {
    const run = flowRun({ flow: 'interrupted', startMs: Date.now() - 60_000, nodes: 3 });
    const started = batchOf({ spans: [{ ...run.root, endNs: null }] });
    const finished = batchOf({ spans: run.spans });
    const database = freshDatabase('interrupted');
    const interrupted = await openChdbStore({ database, durable: true, changeFeedPollMs: 0 });
    const whole = await openChdbStore({ changeFeedPollMs: 0 });
    try {
      await interrupted.writer.write(started);
      await storeWithoutRollup(interrupted, database, finished);
      expect((await interrupted.executions.get(run.traceId))?.status).toBe('running'); // the state the kill left
      await interrupted.writer.write(finished); // the exporter's retry

      await whole.writer.write(started);
      await whole.writer.write(finished);
      const read = async (s: ClickHouseStorage) => {
        const e = await s.executions.get(run.traceId);
        return e && { status: e.status, spanCount: e.spanCount, rootFinished: e.rootFinished, endNs: e.endNs, flowName: e.flowName };
      };
      const expected = await read(whole);
      expect(expected).toMatchObject({ status: 'success', spanCount: 4, rootFinished: true });
      expect(await read(interrupted)).toEqual(expected);
      expect((await interrupted.executions.list({ limit: 10 })).executions.map((e) => [e.traceId, e.status, e.spanCount]))
        .toEqual([[run.traceId, 'success', 4]]);
    } finally {
      await interrupted.close();
      await whole.close();
    }
  });
});
