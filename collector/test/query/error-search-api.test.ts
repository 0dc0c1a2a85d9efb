/**
 * GET /api/executions?q=…&partial=true: a text search that answers with the runs found by their
 * error texts (storage/span-model/error-texts.ts) without waiting for older history to be
 * searched, and gives a cursor to search on; without `partial` the pages are full as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, onClickHouse, startTestCollector } from '../fixtures/collector.js';
import { seed, type SeededExecution } from '../fixtures/seed.js';

let server: RunningServer;
let seeded: SeededExecution[];
const base = Date.now() - 3_600_000;

beforeAll(async () => {
  server = await startTestCollector();
  seeded = await seed(server.url, [
    { flow: 'orders', startMs: base, durationMs: 100 },
    { flow: 'orders', startMs: base + 60_000, durationMs: 900, fail: true },
    { flow: 'orders', startMs: base + 120_000, durationMs: 300 },
  ]);
});
afterAll(async () => {
  await server.close();
});

const ids = (body: any): string[] => body.executions.map((e: any) => e.traceId);

describe('GET /api/executions with q and partial', () => {
  // Partial pages are the DuckDB engine's shortcut (error texts first); the contract lets an engine
  // answer full pages instead (ExecutionFilter.partial), as ClickHouse does — the test below.
  it.skipIf(onClickHouse)('answers the run whose error holds the text, then searches on from its cursor', async () => {
    const failed = seeded[1].traceId;
    const first = await api(server.url, `/api/executions?q=${encodeURIComponent('STEP failed')}&partial=true`);
    expect(first.status).toBe(200);
    expect(ids(first.body)).toEqual([failed]);
    expect(first.body.nextCursor).toEqual(expect.any(String)); // the older run was not searched yet
    const next = await api(server.url, `/api/executions?q=${encodeURIComponent('STEP failed')}&partial=true&cursor=${first.body.nextCursor}`);
    expect(next.status).toBe(200);
    expect(ids(next.body)).toEqual([]);
    expect(next.body.nextCursor).toBeNull();
  });

  it('gives full pages without it, as before', async () => {
    const r = await api(server.url, `/api/executions?q=${encodeURIComponent('step failed')}`);
    expect(r.status).toBe(200);
    expect(ids(r.body)).toEqual([seeded[1].traceId]);
    expect(r.body.nextCursor).toBeNull();
  });

  it('refuses a partial that is not a boolean', async () => {
    expect((await api(server.url, '/api/executions?q=x&partial=maybe')).status).toBe(400);
  });
});
