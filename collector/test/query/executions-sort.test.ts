/**
 * The execution list sorted by duration (Jaeger's "longest first") with cursors that keep that
 * order, and the flow filter's prefix form (`flow=check*`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { seed, type SeededExecution } from '../fixtures/seed.js';

let server: RunningServer;
let seeded: SeededExecution[];
const base = Date.now() - 3_600_000;
// Two pairs of equal durations, so that the tie-break (trace id) decides across page edges.
const durations = [120, 40, 900, 40, 5000, 300, 120, 7];

beforeAll(async () => {
  server = await startTestCollector();
  seeded = await seed(
    server.url,
    durations.map((durationMs, i) => ({ flow: i % 3 === 0 ? 'checkout' : i % 3 === 1 ? 'checkout-v2' : 'reports', startMs: base + i * 1000, durationMs })),
  );
});
afterAll(async () => {
  await server.close();
});

const ids = (body: any): string[] => body.executions.map((e: any) => e.traceId);
/** Longest first; equal durations by trace id, descending. */
const byDuration = (runs: SeededExecution[]) =>
  [...runs].sort((a, b) => b.durationMs - a.durationMs || (a.traceId < b.traceId ? 1 : -1)).map((r) => r.traceId);

describe('GET /api/executions?sort=duration', () => {
  it('lists the longest executions first', async () => {
    const r = await api(server.url, '/api/executions?sort=duration');
    expect(r.status).toBe(200);
    expect(ids(r.body)).toEqual(byDuration(seeded));
    expect(r.body.executions.map((e: any) => e.durationMs)).toEqual([...durations].sort((a, b) => b - a));
  });

  it.each([1, 2, 3])('pages by cursor in duration order, every execution once (pages of %i)', async (limit) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await api(server.url, `/api/executions?sort=duration&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...ids(r.body));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(byDuration(seeded));
  });

  it('keeps the other filters with the duration order', async () => {
    const r = await api(server.url, '/api/executions?sort=duration&flow=reports&minDurationMs=100');
    expect(ids(r.body)).toEqual(byDuration(seeded.filter((s) => s.flow === 'reports' && s.durationMs >= 100)));
  });

  it('refuses a cursor of the other order, and an unknown order', async () => {
    const first: any = await api(server.url, '/api/executions?limit=2');
    const mixed = await api(server.url, `/api/executions?sort=duration&cursor=${first.body.nextCursor}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.code).toBe('FT_BAD_CURSOR');
    const byDurationPage: any = await api(server.url, '/api/executions?sort=duration&limit=2');
    const back = await api(server.url, `/api/executions?cursor=${byDurationPage.body.nextCursor}`);
    expect(back.body.code).toBe('FT_BAD_CURSOR');
    const unknown = await api(server.url, '/api/executions?sort=shortest');
    expect(unknown.status).toBe(400);
  });
});

describe('the flow filter', () => {
  it('matches by prefix when the value ends in *', async () => {
    const r = await api(server.url, `/api/executions?flow=${encodeURIComponent('check*')}`);
    expect(new Set(ids(r.body))).toEqual(new Set(seeded.filter((s) => s.flow.startsWith('check')).map((s) => s.traceId)));
  });

  it('matches the whole name otherwise', async () => {
    const r = await api(server.url, '/api/executions?flow=checkout');
    expect(new Set(ids(r.body))).toEqual(new Set(seeded.filter((s) => s.flow === 'checkout').map((s) => s.traceId)));
    const none = await api(server.url, '/api/executions?flow=check');
    expect(ids(none.body)).toEqual([]);
  });

  it('takes % and _ in a prefix as plain characters', async () => {
    const r = await api(server.url, `/api/executions?flow=${encodeURIComponent('check_ut*')}`);
    expect(ids(r.body)).toEqual([]);
    const pct = await api(server.url, `/api/executions?flow=${encodeURIComponent('%*')}`);
    expect(ids(pct.body)).toEqual([]);
  });
});
