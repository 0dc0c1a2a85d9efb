/**
 * Zipkin v2 JSON on POST /api/v2/spans: the official OpenTelemetry Zipkin exporter and raw
 * bodies against a real listening collector. Spans are stored as OTLP spans are: parent links,
 * service, kind, attributes, status and events come back from the query API.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import type { RunningServer } from '../../src/server.js';
import { api, eventually, startTestCollector } from '../fixtures/collector.js';
import { newSpanId, newTraceId } from '../fixtures/rows.js';

const TOKEN = 'zipkin-ingest-token';
let server: RunningServer;
beforeAll(async () => {
  server = await startTestCollector({ ingestToken: TOKEN });
});
afterAll(async () => {
  await server.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };

function postSpans(body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(`${server.url}/api/v2/spans`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...headers }, body: text });
}

async function trace200(traceId: string, spans: number): Promise<any> {
  return eventually(async () => {
    const r = await api(server.url, `/api/executions/${traceId}`);
    return r.status === 200 && r.body.spans.length === spans ? r.body : undefined;
  });
}

const nowUs = (): number => Date.now() * 1000;

it('stores what the official Zipkin exporter sends: parents, service, kind, attributes, status, events', async () => {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'zipkin-shop' }),
    spanProcessors: [new SimpleSpanProcessor(new ZipkinExporter({ url: `${server.url}/api/v2/spans`, headers: auth }))],
  });
  const tracer = provider.getTracer('zipkin-test');
  const root = tracer.startSpan('GET /cart', { kind: SpanKind.SERVER, attributes: { 'http.route': '/cart' } });
  const child = tracer.startSpan('SELECT carts', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } }, trace.setSpan(context.active(), root));
  child.addEvent('retrying');
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock detected' });
  child.end();
  root.end();
  await provider.forceFlush();
  const traceId = root.spanContext().traceId;
  const detail = await trace200(traceId, 2);
  const byName = Object.fromEntries(detail.spans.map((s: any) => [s.name, s]));
  expect(byName['GET /cart']).toMatchObject({ parentSpanId: null, serviceName: 'zipkin-shop', kind: 'server', status: 'success' });
  expect(byName['GET /cart'].attributes['http.route']).toBe('/cart');
  expect(byName['GET /cart'].resourceAttributes['service.name']).toBe('zipkin-shop');
  expect(byName['SELECT carts']).toMatchObject({
    parentSpanId: root.spanContext().spanId, kind: 'client', status: 'error', statusCode: 'error', statusMessage: 'deadlock detected',
  });
  expect(byName['SELECT carts'].attributes['db.system']).toBe('postgresql');
  expect(byName['SELECT carts'].events.map((e: any) => e.name)).toEqual(['retrying']);
  expect(detail.execution).toMatchObject({ flowName: 'zipkin-shop: GET /cart', serviceName: 'zipkin-shop', status: 'success', errorCount: 1, complete: true });
  await provider.shutdown();
});

describe('raw Zipkin v2 JSON', () => {
  it('answers 202 and left-pads 64-bit trace ids to 128 bits', async () => {
    const shortId = newSpanId();
    const rootId = newSpanId();
    const ts = nowUs();
    const r = await postSpans([
      {
        traceId: shortId, id: rootId, name: 'get /a', kind: 'SERVER', timestamp: ts, duration: 1500,
        localEndpoint: { serviceName: 'Legacy', ipv4: '10.0.0.1', port: 8080 },
        remoteEndpoint: { serviceName: 'browser', ipv6: '::1', port: 51000 },
        tags: { 'http.method': 'GET', error: 'boom' },
        annotations: [{ timestamp: ts + 10, value: 'wr' }],
      },
    ]);
    expect(r.status).toBe(202);
    const traceId = '0'.repeat(16) + shortId;
    const detail = await trace200(traceId, 1);
    const span = detail.spans[0];
    expect(span).toMatchObject({
      traceId, spanId: rootId, serviceName: 'Legacy', kind: 'server', statusCode: 'error', statusMessage: 'boom', durationMs: 1.5,
      startTimeUnixNano: String(BigInt(ts) * 1000n),
    });
    expect(span.attributes).toMatchObject({
      'http.method': 'GET', 'peer.service': 'browser', 'network.peer.address': '::1', 'network.peer.port': 51000,
      'network.local.address': '10.0.0.1', 'network.local.port': 8080,
    });
    expect(span.attributes.error).toBeUndefined();
    expect(span.events).toMatchObject([{ name: 'wr', timeUnixNano: String(BigInt(ts + 10) * 1000n) }]);
    expect(detail.execution.status).toBe('error');
  });

  it('keeps both halves of a shared span: the server half becomes a child of the client half', async () => {
    const traceId = newTraceId();
    const rootId = newSpanId();
    const sharedId = newSpanId();
    const ts = nowUs();
    const r = await postSpans([
      { traceId, id: rootId, name: 'checkout', timestamp: ts, duration: 5000, localEndpoint: { serviceName: 'front' } },
      { traceId, parentId: rootId, id: sharedId, kind: 'CLIENT', name: 'post /pay', timestamp: ts + 100, duration: 3000, localEndpoint: { serviceName: 'front' } },
      { traceId, parentId: rootId, id: sharedId, kind: 'SERVER', shared: true, name: 'post /pay', timestamp: ts + 200, duration: 2000, localEndpoint: { serviceName: 'pay' } },
    ]);
    expect(r.status).toBe(202);
    const detail = await trace200(traceId, 3);
    const serverHalf = detail.spans.find((s: any) => s.kind === 'server');
    const clientHalf = detail.spans.find((s: any) => s.kind === 'client');
    expect(clientHalf).toMatchObject({ spanId: sharedId, parentSpanId: rootId, serviceName: 'front' });
    expect(serverHalf).toMatchObject({ parentSpanId: sharedId, serviceName: 'pay' });
    expect(serverHalf.spanId).not.toBe(sharedId);
    expect(serverHalf.spanId).toMatch(/^[0-9a-f]{16}$/);
    // A retry of the same body stores nothing twice (the server half's id is derived, not random).
    expect((await postSpans([
      { traceId, parentId: rootId, id: sharedId, kind: 'SERVER', shared: true, name: 'post /pay', timestamp: ts + 200, duration: 2000, localEndpoint: { serviceName: 'pay' } },
    ])).status).toBe(202);
    const again = await api(server.url, `/api/executions/${traceId}`);
    expect(again.body.spans).toHaveLength(3);
  });

  it('takes a gzip body', async () => {
    const traceId = newTraceId();
    const body = gzipSync(JSON.stringify([{ traceId, id: newSpanId(), name: 'zipped', timestamp: nowUs(), duration: 1 }]));
    const r = await fetch(`${server.url}/api/v2/spans`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...auth }, body,
    });
    expect(r.status).toBe(202);
    await trace200(traceId, 1);
  });

  it('answers 400 with a message for bad data and stores nothing of it', async () => {
    const traceId = newTraceId();
    for (const [body, words] of [
      ['{not json', /JSON/],
      [{ traceId }, /array/],
      [[{ traceId, id: 'xyz', name: 'a', timestamp: nowUs() }], /id/],
      [[{ traceId: 'abc', id: newSpanId(), name: 'a', timestamp: nowUs() }], /traceId/],
      [[{ traceId, id: newSpanId(), name: 'a' }], /timestamp/],
      [[{ traceId, id: newSpanId(), name: 'ok', timestamp: nowUs() }, { traceId, id: newSpanId(), kind: 'SIDEWAYS', timestamp: nowUs() }], /kind/],
    ] as const) {
      const r = await postSpans(body);
      expect(r.status).toBe(400);
      const error = await r.json();
      expect(error).toMatchObject({ statusCode: 400 });
      expect(error.message).toMatch(words);
    }
    expect((await api(server.url, `/api/executions/${traceId}`)).status).toBe(404);
  });

  it('answers 415 for a content type other than JSON', async () => {
    const r = await postSpans('[]', { 'content-type': 'application/x-thrift' });
    expect(r.status).toBe(415);
    expect((await r.json()).code).toBe('FT_UNSUPPORTED_MEDIA_TYPE');
  });

  it('needs the ingest token', async () => {
    const body = JSON.stringify([{ traceId: newTraceId(), id: newSpanId(), name: 'x', timestamp: nowUs() }]);
    const none = await fetch(`${server.url}/api/v2/spans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(none.status).toBe(401);
    const query = await fetch(`${server.url}/api/v2/spans`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' }, body });
    expect(query.status).toBe(401);
  });
});
