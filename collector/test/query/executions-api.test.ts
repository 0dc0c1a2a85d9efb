/** The execution history API: list, filters, paging, detail, export and deletion. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { attr, strAttr } from '../fixtures/otlp.js';
import { seed, type SeededExecution } from '../fixtures/seed.js';

let server: RunningServer;
let seeded: SeededExecution[];
const base = Date.now() - 3_600_000;
/** Long enough to be stored among the large attributes (storage/rows.ts LARGE_ATTRIBUTE_CHARS). */
const longValue = `{"note":"${'needle-'.repeat(50)}"}`;

beforeAll(async () => {
  server = await startTestCollector();
  seeded = await seed(server.url, [
    { flow: 'orders', startMs: base, durationMs: 100, user: 'alice' },
    { flow: 'orders', startMs: base + 1000, durationMs: 900, fail: true, user: 'bob' },
    {
      flow: 'refunds', startMs: base + 2000, durationMs: 50, trigger: 'manual', service: 'payments',
      extraRootAttributes: [strAttr('refund.note', longValue), attr('refund.count', { intValue: '7' })],
    },
    { flow: 'orders', startMs: base + 3000, durationMs: 300, extraRootAttributes: [strAttr('order.region', 'eu-west')] },
    { flow: 'reports', startMs: base + 4000, durationMs: 5000, trigger: 'scheduled', user: 'carol' },
  ]);
});
afterAll(async () => {
  await server.close();
});

const ids = (body: any) => body.executions.map((e: any) => e.traceId);

describe('GET /api/executions', () => {
  it('lists executions newest first with the documented fields', async () => {
    const r = await api(server.url, '/api/executions');
    expect(r.status).toBe(200);
    expect(ids(r.body)).toEqual(seeded.map((s) => s.traceId).reverse());
    expect(r.body.executions[0]).toMatchObject({
      flowName: 'reports',
      serviceName: 'orders',
      status: 'success',
      triggerType: 'scheduled',
      userId: 'carol',
      spanCount: 4,
      errorCount: 0,
      durationMs: 5000,
    });
    expect(r.body.executions[0].startTime).toBe(new Date(base + 4000).toISOString());
    expect(r.body.nextCursor).toBeNull();
  });

  it.each([
    ['flow=orders', [0, 1, 3]],
    ['status=error', [1]],
    ['user=bob', [1]],
    ['trigger=manual', [2]],
    ['service=payments', [2]],
    ['minDurationMs=500', [1, 4]],
    ['maxDurationMs=100', [0, 2]],
    ['attr=order.region=eu-west', [3]],
    [`attr=${encodeURIComponent(`refund.note=${longValue}`)}`, [2]],
    [`attr=${encodeURIComponent(`refund.note=${longValue.slice(1)}`)}`, []],
    ['attr=refund.count=7', [2]],
    ['attr=refund.count=8', []],
    // flow.* attributes ingest left to their hot columns (storage/moved-attributes.ts)
    ['attr=flow.name=refunds', [2]],
    ['attr=flow.trigger.type=scheduled', [4]],
    ['attr=enduser.id=bob', [1]],
    ['attr=flow.node.id=step-2', [0, 1, 2, 3, 4]],
    ['attr=flow.node.id=step-9', []],
    ['q=STEP 1', [0, 1, 2, 3, 4]],
    ['q=NEEDLE-NEEDLE', [2]],
    ['q=REPORTS', [4]],
    ['flow=orders&status=success', [0, 3]],
    ['status=success,error&flow=orders', [0, 1, 3]],
  ])('narrows the list with %s', async (query, expected) => {
    const r = await api(server.url, `/api/executions?${query}`);
    expect(r.status).toBe(200);
    expect(new Set(ids(r.body))).toEqual(new Set(expected.map((i) => seeded[i].traceId)));
  });

  it('narrows by time range given as ISO 8601 or epoch milliseconds', async () => {
    const from = new Date(base + 1500).toISOString();
    const r = await api(server.url, `/api/executions?from=${from}&to=${base + 3500}`);
    expect(new Set(ids(r.body))).toEqual(new Set([seeded[2].traceId, seeded[3].traceId]));
  });

  it('pages with a cursor until every execution was seen once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await api(server.url, `/api/executions?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.body.executions.length).toBeLessThanOrEqual(2);
      seen.push(...ids(r.body));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(seeded.map((s) => s.traceId).reverse());
  });

  it.each([
    ['cursor=not-a-cursor', 'FT_BAD_CURSOR'],
    ['status=exploded', 'FT_BAD_FILTER'],
    ['limit=100000', 'FT_BAD_REQUEST'],
    ['from=yesterday-ish', 'FT_BAD_FILTER'],
    ['attr=novalue', 'FT_BAD_FILTER'],
    ['minDurationMs=-1', 'FT_BAD_REQUEST'],
    ['unknownParam=1', 'FT_BAD_REQUEST'],
  ])('answers 400 with a code for %s', async (query, code) => {
    const r = await api(server.url, `/api/executions?${query}`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code, statusCode: 400 });
  });

  it("treats SQL-looking filter values as plain text", async () => {
    const r = await api(server.url, `/api/executions?flow=${encodeURIComponent("orders' OR '1'='1")}&q=${encodeURIComponent("'; DROP TABLE span_data; --")}`);
    expect(r.status).toBe(200);
    expect(r.body.executions).toEqual([]);
    expect((await api(server.url, '/api/executions')).body.executions).toHaveLength(5);
  });
});

describe('GET /api/executions/:traceId', () => {
  it('returns the execution, its spans and whether it is complete', async () => {
    const failed = seeded[1];
    const r = await api(server.url, `/api/executions/${failed.traceId}`);
    expect(r.status).toBe(200);
    expect(r.body.execution).toMatchObject({ status: 'error', complete: true, orphanCount: 0, spanCount: 4, errorNodeId: 'step-2' });
    const root = r.body.spans.find((s: any) => s.parentSpanId === null);
    expect(root).toMatchObject({ spanId: failed.rootSpanId, kind: 'server', statusCode: 'error', statusMessage: 'flow failed' });
    const node = r.body.spans.find((s: any) => s.attributes['flow.node.id'] === 'step-2');
    expect(node).toMatchObject({ status: 'error', parentSpanId: failed.rootSpanId });
    expect(node.attributes['flow.node.index']).toBe(2);
  });

  it('answers 404 with a coded error for an unknown trace id and 400 for a malformed one', async () => {
    const missing = await api(server.url, `/api/executions/${'0'.repeat(31)}1`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'FT_TRACE_NOT_FOUND', statusCode: 404 });
    expect((await api(server.url, '/api/executions/xyz')).status).toBe(400);
  });

  it('exports the trace as OTLP JSON that POST /v1/traces takes back unchanged', async () => {
    const source = seeded[3];
    const exported = await api(server.url, `/api/executions/${source.traceId}/otlp`);
    expect(exported.status).toBe(200);
    const other = await startTestCollector();
    try {
      const posted = await api(other.url, '/v1/traces', { method: 'POST', json: exported.body });
      expect(posted.status).toBe(200);
      const original = await api(server.url, `/api/executions/${source.traceId}`);
      const copy = await api(other.url, `/api/executions/${source.traceId}`);
      expect(copy.body.spans).toEqual(original.body.spans);
    } finally {
      await other.close();
    }
  });
});

describe('deletion', () => {
  it('deletes one execution, then answers 404 for it', async () => {
    const [victim] = await seed(server.url, [{ flow: 'temp', startMs: base - 10_000 }]);
    expect((await api(server.url, `/api/executions/${victim.traceId}`, { method: 'DELETE' })).status).toBe(200);
    expect((await api(server.url, `/api/executions/${victim.traceId}`)).status).toBe(404);
    expect((await api(server.url, `/api/executions/${victim.traceId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it("clears a flow's history and leaves other flows", async () => {
    await seed(server.url, [
      { flow: 'doomed', startMs: base - 20_000 },
      { flow: 'doomed', startMs: base - 19_000 },
    ]);
    const r = await api(server.url, '/api/flows/doomed/executions', { method: 'DELETE' });
    expect(r.body).toEqual({ deleted: 2 });
    expect((await api(server.url, '/api/executions?flow=doomed')).body.executions).toEqual([]);
    expect((await api(server.url, '/api/executions?flow=orders')).body.executions).toHaveLength(3);
    expect((await api(server.url, '/api/flows/doomed/executions', { method: 'DELETE' })).status).toBe(404);
  });
});
