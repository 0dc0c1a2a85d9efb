/**
 * The ClickHouse writer's rate on chDB: batches of whole traces (1 root + 9 nodes, one console
 * line per node) written through storage.writer.write with 8 batches in flight (group commit
 * joins them), then the same again as a retry (everything already stored: the lookup path).
 * Prints spans per second; asserts only that everything was stored once.
 * Env: BATCHES (default 400), PER_BATCH traces (default 10).
 */
import { afterAll, expect, it } from 'vitest';
import type { IngestBatch } from '../../../src/storage/contract.js';
import { batchOf } from '../../conformance/batches.js';
import { flowRun } from '../../conformance/scenarios.js';
import { openChdbStore, removeChdbDir } from '../chdb-store.js';

afterAll(() => removeChdbDir());

const BATCHES = Number(process.env.BATCHES ?? 400);
const PER_BATCH = Number(process.env.PER_BATCH ?? 10);
const IN_FLIGHT = 8;

async function writeAll(write: (b: IngestBatch) => Promise<void>, batches: IngestBatch[]): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < batches.length) await write(batches[next++]);
  }));
  return performance.now() - t0;
}

it('measures spans per second through the writer, new and retried', async () => {
  const storage = await openChdbStore();
  try {
    const start = Date.now() - 3_600_000;
    const batches = Array.from({ length: BATCHES }, (_, b) => {
      const runs = Array.from({ length: PER_BATCH }, (_, i) => flowRun({ flow: `f${i % 7}`, startMs: start + b * 50 + i, nodes: 9, lineText: 'line' }));
      return batchOf({ spans: runs.flatMap((r) => r.spans), lines: runs.flatMap((r) => r.lines) });
    });
    const spans = batches.reduce((n, b) => n + b.spans.length, 0);
    const fresh = await writeAll((b) => storage.writer.write(b), batches);
    const retried = await writeAll((b) => storage.writer.write(b), batches);
    const s = storage.writer.stats;
    console.log(`${spans} spans in ${BATCHES} batches (${IN_FLIGHT} in flight): new ${(spans / (fresh / 1000)).toFixed(0)} spans/s (${fresh.toFixed(0)} ms), `
      + `retried ${(spans / (retried / 1000)).toFixed(0)} spans/s (${retried.toFixed(0)} ms); ${s.commits} commits, `
      + `phases lookup ${s.phaseMs.lookup.toFixed(0)} / insert ${s.phaseMs.append.toFixed(0)} / read back + feed ${s.phaseMs.commit.toFixed(0)} ms`);
    const page = await storage.executions.list({ limit: 1000 });
    expect(page.executions.length + (page.hasMore ? 1 : 0)).toBeGreaterThan(0);
    expect(s.committedSpans).toBe(spans);
  } finally {
    await storage.close();
  }
});
