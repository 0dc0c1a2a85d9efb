/**
 * Closing the database while a read still runs. DuckDB does not see an interrupt while it folds
 * constants (here, three 60M-element lists: seconds of work), and closing a connection under a
 * running statement blocks the event loop until the statement ends — a collector stopping then
 * answers nothing and its stop deadline cannot fire. close() interrupts reads, waits a moment,
 * and leaves a connection that does not stop open (the WAL keeps what was committed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';

const FOLDED_FOR_SECONDS = 'SELECT list_sum(range(60000000)) + list_sum(range(60000001)) + list_sum(range(60000002)) AS s';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The longest time the event loop went without running a 10 ms timer while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const beat = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(beat);
  }
  return Math.max(longest, performance.now() - last);
}

describe('closing the database under a read that does not stop', () => {
  it('never blocks the event loop for the statement, and returns', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ft-close-'));
    const db = await openDatabase({ path: join(dir, 'db.duckdb'), abandonAfterMs: 600_000 });
    const running = db.readers.use((c) => c.run(FOLDED_FOR_SECONDS)).catch((error: unknown) => error);
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    const stall = await longestStall(() => db.close());
    const took = performance.now() - started;
    console.log(`close under a folding read: returned after ${took.toFixed(0)} ms, event loop stalled at most ${stall.toFixed(0)} ms`);
    expect(stall).toBeLessThan(1_000);
    expect(took).toBeLessThan(4_000);
    // The statement ends by itself (interrupted once folding is done).
    expect(String(await running)).toMatch(/interrupt/i);
  }, 60_000);
});
