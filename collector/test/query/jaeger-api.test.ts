/**
 * The Jaeger query API under /jaeger, against a real collector seeded through POST /v1/traces:
 * the requests Grafana's Jaeger data source makes (GRAFANA-API.md), answered in Jaeger's
 * envelope and trace model, checked field by field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestCollector } from '../fixtures/collector.js';
import { BIG_INT, BYTES, grafanaTraces, sendTraces, SCOPE, type GrafanaTrace } from '../fixtures/grafana-seed.js';
import type { RunningServer } from '../../src/server.js';

let server: RunningServer;
let traces: ReturnType<typeof grafanaTraces>;
const BASE_MS = Date.now() - 10 * 60_000;
const us = (ms: number): string => String(Math.round(ms * 1000));

beforeAll(async () => {
  server = await startTestCollector();
  traces = grafanaTraces(BASE_MS);
  await sendTraces(server.url, Object.values(traces));
});
afterAll(async () => {
  await server?.close();
});

const jaeger = (path: string) => api(server.url, `/jaeger${path}`);
const spanOf = (trace: GrafanaTrace, name: string) => trace.spans.find((s) => s.name === name)!;
/** The trace ids of a search answer. */
const ids = (body: { data: Array<{ traceID: string }> }): string[] => body.data.map((t) => t.traceID).sort();

function expectEnvelope(body: Record<string, unknown>, data: unknown): void {
  expect(Object.keys(body).sort()).toEqual(['data', 'errors', 'limit', 'offset', 'total']);
  expect(body).toMatchObject({ limit: 0, offset: 0, errors: null });
  expect(body.data).toEqual(data);
  expect(body.total).toBe(Array.isArray(data) ? data.length : 0);
}

describe('Jaeger services and operations', () => {
  it('lists the services (Save & test, the service dropdown) in the envelope', async () => {
    const r = await jaeger('/api/services');
    expect(r.status).toBe(200);
    expectEnvelope(r.body, ['frontend', 'orders', 'payments']);
  });

  it("lists a service's operations by name, once each", async () => {
    const r = await jaeger('/api/services/orders/operations');
    expectEnvelope(r.body, ['GET /orders', 'POST /orders']);
  });

  it('lists operations with their span kind, filtered by kind', async () => {
    const all = await jaeger('/api/operations?service=orders');
    expectEnvelope(all.body, [{ name: 'GET /orders', spanKind: 'internal' }, { name: 'GET /orders', spanKind: 'server' }, { name: 'POST /orders', spanKind: 'server' }]);
    const servers = await jaeger('/api/operations?service=frontend&spanKind=client');
    expectEnvelope(servers.body, [{ name: 'call orders', spanKind: 'client' }]);
  });

  it('answers an unknown service with an empty list, and a missing one with 400 in the envelope', async () => {
    expectEnvelope((await jaeger('/api/services/nobody/operations')).body, []);
    const r = await jaeger('/api/operations');
    expect(r.status).toBe(400);
    expect(r.body.data).toBeNull();
    expect(r.body.errors).toEqual([{ code: 400, msg: expect.stringContaining('service') }]);
  });
});

describe('Jaeger trace by id', () => {
  it('maps every OTLP field of a span to Jaeger tags, references, logs and processes', async () => {
    const t = traces.checkout;
    const r = await jaeger(`/api/traces/${t.traceId}`);
    expect(r.status).toBe(200);
    expectEnvelope(r.body, r.body.data);
    const [trace] = r.body.data;
    expect(Object.keys(trace).sort()).toEqual(['processes', 'spans', 'traceID', 'warnings']);
    expect(trace.traceID).toBe(t.traceId);
    expect(trace.warnings).toBeNull();
    expect(trace.spans).toHaveLength(4);

    const root = trace.spans.find((s: { operationName: string }) => s.operationName === 'GET /checkout');
    const seeded = spanOf(t, 'GET /checkout');
    expect(Object.keys(root).sort()).toEqual(['duration', 'flags', 'logs', 'operationName', 'processID', 'references', 'spanID', 'startTime', 'tags', 'traceID', 'warnings']);
    expect(root.spanID).toBe(seeded.spanId);
    expect(root.flags).toBe(1);
    expect(root.startTime).toBe(Number(us(BASE_MS)));
    expect(root.duration).toBe(300_000); // microseconds
    // The root's parent is none; its link is a FOLLOWS_FROM into the home trace.
    expect(root.references).toEqual([{ refType: 'FOLLOWS_FROM', traceID: traces.home.traceId, spanID: traces.home.spans[0].spanId }]);
    const tag = (key: string) => root.tags.find((x: { key: string }) => x.key === key);
    expect(tag('http.method')).toEqual({ key: 'http.method', type: 'string', value: 'GET' });
    expect(tag('http.status_code')).toEqual({ key: 'http.status_code', type: 'int64', value: 500 });
    expect(tag('big.count')).toEqual({ key: 'big.count', type: 'int64', value: BIG_INT }); // beyond 2^53: a string, every digit
    expect(tag('ratio')).toEqual({ key: 'ratio', type: 'float64', value: 0.25 });
    expect(tag('cached')).toEqual({ key: 'cached', type: 'bool', value: true });
    // Bytes are stored as their base64 text (ingest), so they come back as that text.
    expect(tag('blob')).toEqual({ key: 'blob', type: 'string', value: Buffer.from(BYTES).toString('base64') });
    expect(tag('tags.list')).toEqual({ key: 'tags.list', type: 'string', value: '["a",2]' });
    expect(tag('user.info')).toEqual({ key: 'user.info', type: 'string', value: '{"id":"u-1","vip":false}' });
    expect(tag('span.kind')).toEqual({ key: 'span.kind', type: 'string', value: 'server' });
    expect(tag('otel.status_code')).toEqual({ key: 'otel.status_code', type: 'string', value: 'ERROR' });
    expect(tag('error')).toEqual({ key: 'error', type: 'bool', value: true });
    expect(tag('otel.status_description')).toEqual({ key: 'otel.status_description', type: 'string', value: 'checkout failed' });
    expect(tag('otel.scope.name')).toEqual({ key: 'otel.scope.name', type: 'string', value: SCOPE.name });
    expect(tag('otel.scope.version')).toEqual({ key: 'otel.scope.version', type: 'string', value: SCOPE.version });
    expect(tag('w3c.tracestate')).toEqual({ key: 'w3c.tracestate', type: 'string', value: 'vendor=abc' });
    expect(root.logs).toEqual([{
      timestamp: Number(us(BASE_MS + 290)),
      fields: [
        { key: 'event', type: 'string', value: 'exception' },
        { key: 'exception.type', type: 'string', value: 'Error' },
        { key: 'exception.message', type: 'string', value: 'no stock' },
      ],
    }]);

    // The parent of a child is its first reference, CHILD_OF; services differ by process.
    const server = trace.spans.find((s: { operationName: string }) => s.operationName === 'POST /orders');
    expect(server.references[0]).toEqual({ refType: 'CHILD_OF', traceID: t.traceId, spanID: spanOf(t, 'call orders').spanId });
    expect(server.tags.find((x: { key: string }) => x.key === 'otel.status_code').value).toBe('ERROR');
    const ok = trace.spans.find((s: { operationName: string }) => s.operationName === 'charge');
    expect(ok.tags.filter((x: { key: string }) => ['error', 'otel.status_code'].includes(x.key))).toEqual([{ key: 'otel.status_code', type: 'string', value: 'OK' }]);
    const unset = trace.spans.find((s: { operationName: string }) => s.operationName === 'call orders');
    expect(unset.tags.map((x: { key: string }) => x.key)).not.toContain('otel.status_code');

    expect(Object.keys(trace.processes).sort()).toEqual(['p1', 'p2', 'p3']);
    const byService = Object.fromEntries(Object.values(trace.processes).map((p: any) => [p.serviceName, p.tags]));
    expect(byService.frontend).toEqual([{ key: 'host.name', type: 'string', value: 'web-1' }, { key: 'process.pid', type: 'int64', value: 4242 }]);
    expect(byService.payments).toEqual([{ key: 'cloud.region', type: 'string', value: 'eu-west-1' }]);
    expect(trace.processes[root.processID].serviceName).toBe('frontend');
    expect(trace.processes[server.processID].serviceName).toBe('orders');
  });

  it('finds a trace by its 32-digit id in any case, and a 64-bit id by its 16 digits', async () => {
    expect((await jaeger(`/api/traces/${traces.home.traceId.toUpperCase()}`)).body.data[0].traceID).toBe(traces.home.traceId);
    const r = await jaeger(`/api/traces/${traces.home.traceId.slice(16)}`);
    expect(r.status).toBe(404); // its high half is not zero: another id
    expect(r.body).toEqual({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] });
  });

  it('answers 400 in the envelope for an id that is not hex', async () => {
    const r = await jaeger('/api/traces/not-hex');
    expect(r.status).toBe(400);
    expect(r.body.errors[0].code).toBe(400);
  });

  it('answers 404 in the envelope for an unknown route under /jaeger', async () => {
    const r = await jaeger('/api/nothing');
    expect(r.status).toBe(404);
    expect(r.body.errors[0].code).toBe(404);
  });
});

describe('Jaeger search', () => {
  const window = `start=${us(BASE_MS - 60_000)}&end=${us(BASE_MS + 60_000)}`;
  const search = (query: string) => jaeger(`/api/traces?${window}&${query}`);

  it('matches a trace when one span satisfies service, operation, tags and durations together', async () => {
    const tags = encodeURIComponent(JSON.stringify({ 'http.status_code': '500' }));
    const r = await search(`service=orders&operation=${encodeURIComponent('POST /orders')}&tags=${tags}&minDuration=200ms&maxDuration=1s&limit=20`);
    expect(r.status).toBe(200);
    // split has a POST /orders span (200) and a 500 span (GET): no one span matches.
    expect(ids(r.body)).toEqual([traces.checkout.traceId]);
    expect(r.body.total).toBe(1);
    expect(r.body.data[0].spans).toHaveLength(4); // whole traces
  });

  it('reads Go durations in every unit', async () => {
    const names = async (q: string) => ids((await search(`service=orders&${q}`)).body);
    expect(await names('minDuration=221ms')).toEqual([traces.split.traceId]); // GET /orders 399 ms
    expect(await names('minDuration=0.2s&maxDuration=230000us')).toEqual([traces.checkout.traceId]); // 220 ms
    expect(await names('maxDuration=25000000ns')).toEqual([traces.home.traceId, traces.split.traceId].sort()); // 25 and 10 ms
    expect(await names('minDuration=1m')).toEqual([]);
  });

  it('matches the derived tags: error, span.kind and resource attributes', async () => {
    const tagged = async (tags: Record<string, string>) => ids((await search(`tags=${encodeURIComponent(JSON.stringify(tags))}`)).body);
    expect(await tagged({ error: 'true' })).toEqual([traces.checkout.traceId]);
    expect(await tagged({ 'span.kind': 'client' })).toEqual([traces.checkout.traceId]);
    expect(await tagged({ 'host.name': 'app-1', 'http.status_code': '200' })).toEqual([traces.home.traceId, traces.split.traceId].sort());
    expect(await tagged({ cached: 'true', 'big.count': BIG_INT })).toEqual([traces.checkout.traceId]);
  });

  it('limits the number of traces and keeps to the time window (µs)', async () => {
    expect((await search('service=orders&limit=1')).body.data).toHaveLength(1);
    const all = await jaeger(`/api/traces?service=orders&operation=${encodeURIComponent('POST /orders')}&start=${us(BASE_MS - 4 * 3600_000)}&end=${us(BASE_MS + 60_000)}`);
    expect(ids(all.body)).toEqual([traces.checkout.traceId, traces.old.traceId, traces.split.traceId].sort());
    const old = await jaeger(`/api/traces?service=orders&start=${us(BASE_MS - 4 * 3600_000)}&end=${us(BASE_MS - 3600_000)}`);
    expect(ids(old.body)).toEqual([traces.old.traceId]);
  });

  it('refuses maxDuration below minDuration, bad durations and bad tags with 400 in the envelope', async () => {
    for (const q of ['minDuration=2s&maxDuration=1s', 'minDuration=10parsecs', 'tags=%7Bnope', `tags=${encodeURIComponent('{"a":1}')}`, 'limit=0', 'start=-5']) {
      const r = await search(q);
      expect(r.status, q).toBe(400);
      expect(r.body.data, q).toBeNull();
      expect(r.body.errors, q).toEqual([{ code: 400, msg: expect.any(String) }]);
    }
  });

  it('answers an empty list, never a trace without spans, when nothing matches', async () => {
    const r = await search('service=nobody');
    expectEnvelope(r.body, []);
  });
});

describe('Jaeger dependencies', () => {
  it('counts parent → child calls across services in the lookback', async () => {
    const r = await jaeger(`/api/dependencies?endTs=${BASE_MS + 60_000}&lookback=${120_000}`);
    expectEnvelope(r.body, [
      { parent: 'frontend', child: 'orders', callCount: 2 },
      { parent: 'orders', child: 'payments', callCount: 1 },
    ]);
    expectEnvelope((await jaeger(`/api/dependencies?endTs=${BASE_MS - 3600_000}&lookback=60000`)).body, []);
  });
});

describe('Jaeger api_v3', () => {
  it('lists services and operations in the v3 shapes', async () => {
    expect((await jaeger('/api/v3/services')).body).toEqual({ services: ['frontend', 'orders', 'payments'] });
    expect((await jaeger('/api/v3/operations?service=payments')).body).toEqual({ operations: [{ name: 'charge', spanKind: 'server' }] });
  });

  it('answers a trace as OTLP JSON in result.resourceSpans, int64 exact', async () => {
    const r = await jaeger(`/api/v3/traces/${traces.checkout.traceId}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['result']);
    const resourceSpans = r.body.result.resourceSpans;
    expect(resourceSpans.map((rs: any) => rs.resource.attributes.find((a: any) => a.key === 'service.name').value.stringValue).sort()).toEqual(['frontend', 'orders', 'payments']);
    const spans = resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
    expect(spans).toHaveLength(4);
    const root = spans.find((s: any) => s.name === 'GET /checkout');
    expect(root.traceId).toBe(traces.checkout.traceId);
    expect(root.attributes.find((a: any) => a.key === 'big.count').value).toEqual({ intValue: BIG_INT });
  });

  it('answers an unknown trace with the v3 error shape', async () => {
    const r = await jaeger(`/api/v3/traces/${'ab'.repeat(16)}`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: { grpcCode: 5, httpCode: 404, message: 'trace not found', httpStatus: 'Not Found' } });
  });
});

describe('Jaeger API with a query token', () => {
  it('answers 401 without the token (in the envelope) and lets Grafana in with its Authorization header', async () => {
    const guarded = await startTestCollector({ queryToken: 'grafana-secret' });
    try {
      await sendTraces(guarded.url, [traces.home]);
      for (const path of ['/jaeger/api/services', `/jaeger/api/traces/${traces.home.traceId}`, '/jaeger/api/v3/services', '/jaeger/api/nothing']) {
        const r = await api(guarded.url, path);
        expect(r.status, path).toBe(401);
        expect(JSON.stringify(r.body), path).not.toContain('frontend');
      }
      expect((await api(guarded.url, '/jaeger/api/services')).body.errors).toEqual([{ code: 401, msg: expect.any(String) }]);
      const ok = await api(guarded.url, '/jaeger/api/services', { headers: { authorization: 'Bearer grafana-secret' } });
      expect(ok.status).toBe(200);
      expect(ok.body.data).toEqual(['frontend', 'orders']);
    } finally {
      await guarded.close();
    }
  });
});
