/**
 * GET /api/executions?q=…&in=errors: the text searched for only in a run's own fields and its
 * error texts (status and exception messages, error-level console lines), as Tempo's
 * `{ status = error && statusMessage =~ … }` does; in=all (the default) searches everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { strAttr } from '../fixtures/otlp.js';
import { seed, type SeededExecution } from '../fixtures/seed.js';

let server: RunningServer;
let seeded: SeededExecution[];
const base = Date.now() - 3_600_000;
/** A payload that quotes the failed run's error text, on a run that succeeded. */
const payload = `{"note":"the last run said: step failed", "pad":"${'x'.repeat(300)}"}`;

beforeAll(async () => {
  server = await startTestCollector();
  seeded = await seed(server.url, [
    { flow: 'orders', startMs: base, durationMs: 100, extraRootAttributes: [strAttr('flow.input', payload)] },
    { flow: 'orders', startMs: base + 60_000, durationMs: 900, fail: true },
    { flow: 'billing', startMs: base + 120_000, durationMs: 300, fail: true },
  ]);
});
afterAll(async () => {
  await server.close();
});

const ids = (body: any): string[] => body.executions.map((e: any) => e.traceId);
const list = (query: string) => api(server.url, `/api/executions?${query}`);

describe('GET /api/executions with q and in=errors', () => {
  it('finds failed runs by their error text and leaves out the run whose payload alone holds it', async () => {
    const scoped = await list(`q=${encodeURIComponent('STEP FAILED')}&in=errors`);
    expect(scoped.status).toBe(200);
    expect(ids(scoped.body)).toEqual([seeded[2].traceId, seeded[1].traceId]);
    expect(scoped.body.nextCursor).toBeNull();
    const everywhere = await list(`q=${encodeURIComponent('STEP FAILED')}`);
    expect(ids(everywhere.body)).toEqual([seeded[2].traceId, seeded[1].traceId, seeded[0].traceId]);
    expect(ids((await list(`q=${encodeURIComponent('step failed')}&in=all`)).body)).toEqual(ids(everywhere.body));
  });

  it('combines with the other filters and pages by cursor', async () => {
    const q = `q=${encodeURIComponent('step failed')}&in=errors`;
    expect(ids((await list(`${q}&flow=orders`)).body)).toEqual([seeded[1].traceId]);
    const first = await list(`${q}&limit=1`);
    expect(ids(first.body)).toEqual([seeded[2].traceId]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list(`${q}&limit=1&cursor=${first.body.nextCursor}`);
    expect(ids(second.body)).toEqual([seeded[1].traceId]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('refuses a scope it does not know', async () => {
    const r = await list('q=x&in=payloads');
    expect(r.status).toBe(400);
  });
});
