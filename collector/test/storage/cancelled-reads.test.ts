/**
 * A read whose caller went away stops: the pool interrupts its DuckDB statement and frees the
 * connection (a query nobody will read must not keep a core busy), and a read still waiting
 * for a connection never starts.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../src/storage/connection-pool.js';
import { duckdbOf } from '../../src/storage/duckdb-storage.js';
import { openStorage } from '../../src/storage/index.js';

/** A statement that would run for hours: only an interrupt ends it. */
const ENDLESS = 'SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3';

let instance: DuckDBInstance | undefined;
let pool: ConnectionPool | undefined;

afterEach(async () => {
  await pool?.close();
  instance?.closeSync();
  pool = instance = undefined;
});

describe('cancelled reads', () => {
  it('interrupt a running statement when its signal aborts, and give the connection to the next read', async () => {
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    pool = await ConnectionPool.create(instance, 1);
    const controller = new AbortController();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const endless = pool.use(async (c) => {
      started();
      return c.runAndReadAll(ENDLESS);
    }, controller.signal);
    await running;
    await new Promise((r) => setTimeout(r, 100)); // let DuckDB get into the scan
    expect(pool.busy).toBe(1);
    controller.abort(new Error('client gone'));
    await expect(endless).rejects.toThrow('client gone');
    expect(pool.busy).toBe(0);
    expect(pool.stopped).toBe(1);
    // The one connection serves the next read (without the interrupt this would wait for hours).
    const next = await pool.use(async (c) => (await c.runAndReadAll('SELECT 42 AS n')).getRowObjectsJS());
    expect(next).toEqual([{ n: 42 }]);
  });

  it('never start a read whose signal aborts while it waits for a connection', async () => {
    instance = await DuckDBInstance.create(':memory:');
    pool = await ConnectionPool.create(instance, 1);
    let release!: () => void;
    const holding = pool.use(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    let ran = false;
    const waiting = pool.use(async () => {
      ran = true;
    }, controller.signal);
    controller.abort(new Error('gone while queued'));
    await expect(waiting).rejects.toThrow('gone while queued');
    release();
    await holding;
    expect(ran).toBe(false);
    expect(pool.busy).toBe(0);
    expect(pool.stopped).toBe(1);
  });

  it('answer a list request whose signal already aborted without reading anything', async () => {
    const storage = await openStorage({ path: ':memory:' });
    try {
      const controller = new AbortController();
      controller.abort(new Error('closed before it started'));
      await expect(storage.executions.list({ text: 'card declined', limit: 10 }, controller.signal)).rejects.toThrow('closed before it started');
      expect(duckdbOf(storage).reads.stopped).toBe(1);
      expect(duckdbOf(storage).reads.busy).toBe(0);
    } finally {
      await storage.close();
    }
  });
});
