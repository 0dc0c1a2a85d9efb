/** Retention deletes the oldest finished executions by age or size, never running ones. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDbStorage, type DuckDbStorage } from '../../src/storage/duckdb-storage.js';
import { Retention } from '../../src/storage/retention.js';
import { eventually } from '../fixtures/collector.js';
import { attributeList, makeExecutionRows, makeSpanRow } from '../fixtures/rows.js';

const DAY = 86_400_000;
let storage: DuckDbStorage | undefined;
let dir: string | undefined;
afterEach(async () => {
  await storage?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  storage = undefined;
  dir = undefined;
});

describe('retention', () => {
  it('deletes executions older than the age and keeps younger and running ones', async () => {
    storage = await openDuckDbStorage({ path: ':memory:', retention: { maxAgeMs: 7 * DAY } });
    const old = makeExecutionRows({ startMs: Date.now() - 10 * DAY });
    const young = makeExecutionRows({ startMs: Date.now() - 1 * DAY });
    const oldRunning = makeSpanRow({ startTimeUnixNano: BigInt(Date.now() - 10 * DAY) * 1_000_000n, endTimeUnixNano: null, flowName: 'still-going', executionKind: 'flow' });
    await storage.writer.write({ spans: [...old, ...young], starts: [oldRunning], logs: [] });
    const run = await storage.retention.runOnce();
    expect(run.deletedExecutions).toBe(1);
    expect(await storage.executions.get(old[0].traceId)).toBeUndefined();
    expect(await storage.executions.get(young[0].traceId)).toBeDefined();
    expect(await storage.executions.get(oldRunning.traceId)).toMatchObject({ status: 'running' });
  });

  it('keeps the database file bounded under a size cap while executions keep arriving', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ft-retention-'));
    const path = join(dir, 'db.duckdb');
    const cap = 6 * 1024 * 1024;
    // Only the passes this test runs (no timer's pass in between, whose timing a loaded machine moves).
    storage = await openDuckDbStorage({ path, retention: { maxBytes: cap, intervalMs: DAY } });
    const noise = () => randomBytes(1000).toString('hex');
    const sizes: number[] = [];
    const usedBefore: number[] = [];
    for (let round = 0; round < 20; round++) {
      const spans = Array.from({ length: 100 }, (_, i) =>
        makeExecutionRows({ nodes: 10, startMs: Date.now() - (20 - round) * 60_000 + i }).map((r) => ({ ...r, attributes: attributeList({ 'flow.node.input': noise() }) })),
      ).flat();
      await storage.writer.write({ spans, starts: [], logs: [] });
      await storage.retention.runOnce();
      usedBefore.push(storage.retention.lastRun!.usedBytesBefore);
      sizes.push(statSync(path).size + (existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0));
    }
    const last = storage.retention.lastRun!;
    // The cap was passed and retention acted (the last pass may start just under it: a
    // checkpoint before it can free what the pass before deleted).
    expect(Math.max(...usedBefore)).toBeGreaterThan(cap);
    // Bounded near the cap: a pass stops when a step brings no space back, rather than empty the
    // history (used after the last pass: 7.0–12.8 MB over 11 runs, 2 at a time; unretained ~48 MB).
    expect(last.usedBytesAfter).toBeLessThanOrEqual(3 * cap);
    // After the cap is reached the file stops growing: freed blocks are reused. Each round adds
    // ~2.4 MB, so without retention the file passes 40 MB by the last rounds; with it, file and WAL
    // swing between ~12 and ~23 MB as checkpoints write before they free (measured over 3 runs).
    expect(Math.max(...sizes.slice(8))).toBeLessThanOrEqual(4.5 * cap);
    // 2,000 executions were written: some were deleted, the newest are kept.
    const kept = Number((await storage.sql.run('SELECT count(*) FROM execution_data')).rows[0][0]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(2000);
    expect((await storage.executions.list({ limit: 1 })).executions).toHaveLength(1);
  });

  it('counts and reports a pass that fails after its timers were stopped', async () => {
    const reported: unknown[] = [];
    storage = await openDuckDbStorage({ path: ':memory:', retention: { maxAgeMs: DAY, intervalMs: DAY }, onRetentionError: (e) => reported.push(e) });
    storage.retention.stop();
    // A table retention needs is gone: the pass fails.
    await storage.writer.exclusive((c) => c.run('ALTER TABLE log_data RENAME TO log_data_away'));
    await expect(storage.retention.runOnce()).rejects.toThrow(/log_data/);
    expect(storage.retention.stats).toMatchObject({ runs: 0, failedRuns: 1, lastError: expect.stringMatching(/log_data/) });
    expect(reported).toHaveLength(1);
  });

  it('counts and reports a size check that fails between passes', async () => {
    storage = await openDuckDbStorage({ path: ':memory:' });
    const reported: unknown[] = [];
    // The size is looked at between passes (a cap is watched more often than the interval).
    const retention = new Retention(
      storage.writer,
      { maxBytes: 1, intervalMs: DAY, abandonAfterMs: DAY, onError: (e) => reported.push(e) },
      () => Promise.reject(new Error('the size is unknown')),
    );
    retention.start();
    try {
      await eventually(async () => reported.length > 0, 5_000);
    } finally {
      await retention.close();
    }
    expect(String(reported[0])).toMatch(/the size is unknown/);
    expect(retention.stats.failedRuns).toBeGreaterThanOrEqual(1);
    expect(retention.stats.lastError).toBe('the size is unknown');
  });
});
