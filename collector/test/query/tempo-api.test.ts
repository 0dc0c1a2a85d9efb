/**
 * The Tempo API under /tempo, against a real collector seeded through POST /v1/traces: the
 * requests Grafana's Tempo data source makes (GRAFANA-API.md) — echo, trace by id as protobuf
 * (decoded here with the generated OTLP code) and JSON, TraceQL search run in the database, and
 * the tag suggestions — with Tempo's plain-text errors and the query token.
 */
import protobuf from 'protobufjs/minimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opentelemetry } from '../../src/ingest/generated/otlp.js';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { BIG_INT, grafanaTraces, sendTraces, type GrafanaTrace } from '../fixtures/grafana-seed.js';

let server: RunningServer;
let traces: ReturnType<typeof grafanaTraces>;
const BASE_MS = Date.now() - 10 * 60_000;
const seconds = (ms: number): number => Math.floor(ms / 1000);
const WINDOW = `start=${seconds(BASE_MS - 60_000)}&end=${seconds(BASE_MS + 60_000)}`;

beforeAll(async () => {
  server = await startTestCollector();
  traces = grafanaTraces(BASE_MS);
  await sendTraces(server.url, Object.values(traces));
});
afterAll(async () => {
  await server?.close();
});

const tempo = (path: string, headers: Record<string, string> = {}) => api(server.url, `/tempo${path}`, { headers });
const search = (q: string, extra = '') => tempo(`/api/search?q=${encodeURIComponent(q)}&${WINDOW}${extra}`);
const traceIds = (body: { traces: Array<{ traceID: string }> }): string[] => body.traces.map((t) => t.traceID).sort();
const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The spans of decoded OTLP resourceSpans as [service, span name, span id] sorted. */
function spansOf(resourceSpans: any[], idOf: (id: any) => string): string[][] {
  return resourceSpans.flatMap((rs) => {
    const service = rs.resource.attributes.find((a: any) => a.key === 'service.name').value.stringValue;
    return rs.scopeSpans.flatMap((ss: any) => ss.spans.map((s: any) => [service, s.name, idOf(s.spanId)]));
  }).sort();
}
const seededSpans = (t: GrafanaTrace): string[][] => t.spans.map((s) => [s.service, s.name, s.spanId]).sort();

describe('Tempo trace by id', () => {
  it('answers echo for Save & test', async () => {
    const r = await tempo('/api/echo');
    expect(r.status).toBe(200);
    expect(r.body).toBe('echo');
  });

  it('answers a TraceByIDResponse whose field 1 holds the OTLP TracesData of the trace, as protobuf', async () => {
    const t = traces.checkout;
    const response = await fetch(`${server.url}/tempo/api/v2/traces/${t.traceId}?start=${seconds(BASE_MS) - 60}&end=${seconds(BASE_MS) + 60}`, { headers: { accept: 'application/protobuf' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/protobuf');
    const body = new Uint8Array(await response.arrayBuffer());
    const reader = protobuf.Reader.create(body);
    expect(reader.uint32()).toBe((1 << 3) | 2); // field 1, length-delimited
    const inner = reader.bytes();
    expect(reader.pos).toBe(body.length); // nothing else: no metrics, status or message
    const decoded = opentelemetry.proto.trace.v1.TracesData.decode(inner);
    expect(spansOf(decoded.resourceSpans, hexOf)).toEqual(seededSpans(t));
    const root = decoded.resourceSpans.flatMap((rs) => rs.scopeSpans!.flatMap((ss) => ss.spans!)).find((s) => s.name === 'GET /checkout')!;
    expect(hexOf(root.traceId!)).toBe(t.traceId);
    expect(root.parentSpanId?.length ?? 0).toBe(0);
    expect(String(root.startTimeUnixNano)).toBe((BigInt(BASE_MS) * 1_000_000n).toString());
    expect(String(root.endTimeUnixNano)).toBe((BigInt(BASE_MS + 300) * 1_000_000n).toString());
    expect(root.kind).toBe(2);
    expect(root.status).toMatchObject({ code: 2, message: 'checkout failed' });
    expect(root.traceState).toBe('vendor=abc');
    expect(String(root.attributes!.find((a) => a.key === 'big.count')!.value!.intValue)).toBe(BIG_INT);
    expect(root.attributes!.find((a) => a.key === 'ratio')!.value!.doubleValue).toBe(0.25);
    expect(root.events!.map((e) => e.name)).toEqual(['exception']);
    expect(hexOf(root.links![0].traceId!)).toBe(traces.home.traceId);
    const child = decoded.resourceSpans.flatMap((rs) => rs.scopeSpans!.flatMap((ss) => ss.spans!)).find((s) => s.name === 'charge')!;
    expect(hexOf(child.parentSpanId!)).toBe(t.spans.find((s) => s.name === 'POST /orders')!.spanId);
  });

  it('answers JSON {trace:{resourceSpans}} without the protobuf Accept header, and a bare Trace on the v1 route', async () => {
    const t = traces.home;
    const v2 = await tempo(`/api/v2/traces/${t.traceId}`, { accept: 'application/json' });
    expect(v2.status).toBe(200);
    expect(Object.keys(v2.body)).toEqual(['trace']);
    expect(spansOf(v2.body.trace.resourceSpans, String)).toEqual(seededSpans(t));
    const v1 = await tempo(`/api/traces/${t.traceId}`);
    expect(Object.keys(v1.body)).toEqual(['resourceSpans']);
    const raw = await fetch(`${server.url}/tempo/api/traces/${t.traceId}`, { headers: { accept: 'application/protobuf' } });
    const decoded = opentelemetry.proto.trace.v1.TracesData.decode(new Uint8Array(await raw.arrayBuffer()));
    expect(spansOf(decoded.resourceSpans, hexOf)).toEqual(seededSpans(t));
  });

  it('answers 404 in plain text for an unknown trace (Grafana then tries /api/traces/{id}), and 400 for an id that is not hex', async () => {
    for (const path of [`/api/v2/traces/${'ab'.repeat(16)}`, `/api/traces/${'ab'.repeat(16)}`]) {
      const r = await tempo(path, { accept: 'application/protobuf' });
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(r.body).toBe('trace not found');
    }
    const bad = await tempo('/api/v2/traces/xyz');
    expect(bad.status).toBe(400);
    expect(typeof bad.body).toBe('string');
  });
});

describe('Tempo TraceQL search', () => {
  it('answers the search shape field by field, with the attributes the query names', async () => {
    const r = await search('{ resource.service.name = "orders" && name = "POST /orders" && status = error && duration > 100ms && span.order.id = "ord-1" }');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['metrics', 'traces']);
    expect(r.body.traces).toHaveLength(1);
    const [hit] = r.body.traces;
    const t = traces.checkout;
    const span = t.spans.find((s) => s.name === 'POST /orders')!;
    expect(hit).toEqual({
      traceID: t.traceId,
      rootServiceName: 'frontend',
      rootTraceName: 'GET /checkout',
      startTimeUnixNano: (BigInt(BASE_MS) * 1_000_000n).toString(),
      durationMs: 300,
      spanSets: [{
        spans: [{
          spanID: span.spanId,
          name: 'POST /orders',
          startTimeUnixNano: (BigInt(BASE_MS + 20) * 1_000_000n).toString(),
          durationNanos: '220000000',
          attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }, { key: 'order.id', value: { stringValue: 'ord-1' } }],
        }],
        matched: 1,
      }],
    });
  });

  it('matches a trace only when one span satisfies every condition', async () => {
    // split: its POST /orders span answered 200, its other span 500.
    expect(traceIds((await search('{ name = "POST /orders" && span.http.status_code = 500 }')).body)).toEqual([traces.checkout.traceId]);
    expect(traceIds((await search('{ name = "POST /orders" || span.http.status_code = 500 }')).body))
      .toEqual([traces.checkout.traceId, traces.split.traceId].sort());
  });

  it('compares numbers, durations, kinds, statuses, regular expressions and unscoped attributes', async () => {
    const ids = async (q: string) => traceIds((await search(q)).body);
    expect(await ids('{ span.http.status_code >= 500 && kind = internal }')).toEqual([traces.split.traceId]);
    expect(await ids('{ duration >= 399ms }')).toEqual([traces.split.traceId]);
    expect(await ids('{ duration < 11ms && status != error }')).toEqual([traces.split.traceId]);
    expect(await ids('{ name =~ "GET /(home|orders)" && kind = server }')).toEqual([traces.home.traceId]);
    expect(await ids('{ name !~ ".*orders.*" && .host.name = "web-1" && status != ok }')).toEqual([traces.checkout.traceId]);
    expect(await ids('{ .big.count = 9007199254740993 }')).toEqual([traces.checkout.traceId]);
    expect(await ids('{ span.cached = true && span.ratio < 0.5 }')).toEqual([traces.checkout.traceId]);
    expect(await ids('{ resource.cloud.region = "eu-west-1" }')).toEqual([traces.checkout.traceId]);
    expect(await ids('{ statusMessage = "out of stock" }')).toEqual([traces.checkout.traceId]);
  });

  it('matches every trace in the window with {} and with no query, counting matched spans', async () => {
    const all = await search('{}');
    expect(traceIds(all.body)).toEqual([traces.checkout.traceId, traces.home.traceId, traces.split.traceId].sort());
    const checkout = all.body.traces.find((t: { traceID: string }) => t.traceID === traces.checkout.traceId);
    expect(checkout.spanSets[0].matched).toBe(4);
    expect(checkout.spanSets[0].spans).toHaveLength(3); // spss defaults to 3
    const none = await tempo(`/api/search?${WINDOW}`);
    expect(traceIds(none.body)).toEqual(traceIds(all.body));
  });

  it('keeps to limit, spss and the window in unix seconds, newest first', async () => {
    const limited = await search('{}', '&limit=2&spss=1');
    expect(limited.body.traces.map((t: { traceID: string }) => t.traceID)).toEqual([traces.split.traceId, traces.home.traceId]);
    expect(limited.body.traces.every((t: any) => t.spanSets[0].spans.length === 1)).toBe(true);
    const old = await tempo(`/api/search?q=${encodeURIComponent('{ status = error }')}&start=${seconds(BASE_MS - 4 * 3600_000)}&end=${seconds(BASE_MS - 3600_000)}`);
    expect(traceIds(old.body)).toEqual([traces.old.traceId]);
  });

  it.each([
    ['{ name = "x" } | count() > 1', 'pipelines'],
    ['{ name = "x" } && { status = error }', 'only one span selector'],
    ['{ status = "error" }', 'status compares with error, ok or unset'],
    ['{ nonsense }', 'unknown field'],
    ['{ name =~ "(" }', 'invalid regular expression'],
  ])('refuses %j with 400 and a plain-text message', async (q, message) => {
    const r = await search(q);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(r.body).toContain(message);
  });

  it('refuses a bad limit or window with 400', async () => {
    for (const extra of ['&limit=0', '&spss=abc', '&start=-1']) expect((await search('{}', extra)).status, extra).toBe(400);
  });
});

describe('Tempo tags', () => {
  it('lists tag names by scope, leaving out empty scopes', async () => {
    const r = await tempo('/api/v2/search/tags');
    expect(r.status).toBe(200);
    expect(r.body.scopes.map((s: { name: string }) => s.name)).toEqual(['resource', 'span', 'intrinsic']);
    const scope = (name: string) => r.body.scopes.find((s: { name: string }) => s.name === name).tags;
    expect(scope('resource')).toEqual(['cloud.region', 'host.name', 'process.pid', 'service.name']);
    expect(scope('span')).toEqual(expect.arrayContaining(['http.status_code', 'order.id', 'big.count', 'amount']));
    expect(scope('intrinsic')).toEqual(['duration', 'kind', 'name', 'status', 'statusMessage']);
    const spanOnly = await tempo('/api/v2/search/tags?scope=span');
    expect(spanOnly.body.scopes.map((s: { name: string }) => s.name)).toEqual(['span']);
    expect((await tempo('/api/v2/search/tags?scope=event')).status).toBe(400);
  });

  it('lists typed tag values for attributes and intrinsics', async () => {
    const values = async (tag: string) => (await tempo(`/api/v2/search/tag/${encodeURIComponent(tag)}/values`)).body.tagValues;
    expect(await values('resource.service.name')).toEqual(['frontend', 'orders', 'payments'].map((value) => ({ type: 'string', value })));
    expect(await values('span.http.status_code')).toEqual(expect.arrayContaining([{ type: 'int', value: '500' }, { type: 'int', value: '200' }]));
    expect(await values('.ratio')).toEqual([{ type: 'float', value: '0.25' }]);
    expect(await values('span.cached')).toEqual([{ type: 'bool', value: 'true' }]);
    expect(await values('.host.name')).toEqual(expect.arrayContaining([{ type: 'string', value: 'web-1' }, { type: 'string', value: 'app-1' }]));
    expect(await values('status')).toEqual(['error', 'ok', 'unset'].map((value) => ({ type: 'keyword', value })));
    expect(await values('name')).toEqual(expect.arrayContaining([{ type: 'string', value: 'charge' }]));
    expect((await tempo('/api/v2/search/tag/span.a%20%3D%201/values')).status).toBe(400);
  });

  it('answers the v1 shapes: unscoped names and values as text', async () => {
    const names = (await tempo('/api/search/tags')).body;
    expect(Object.keys(names)).toEqual(['tagNames']);
    expect(names.tagNames).toEqual(expect.arrayContaining(['service.name', 'http.status_code', 'host.name']));
    expect((await tempo('/api/search/tag/host.name/values')).body).toEqual({ tagValues: expect.arrayContaining(['web-1', 'app-1']) });
  });
});

describe('Tempo API with a query token', () => {
  it('answers 401 without the token and lets Grafana in with its Authorization header', async () => {
    const guarded = await startTestCollector({ queryToken: 'grafana-secret' });
    try {
      await sendTraces(guarded.url, [traces.home]);
      for (const path of ['/tempo/api/echo', `/tempo/api/v2/traces/${traces.home.traceId}`, '/tempo/api/search?q=%7B%7D', '/tempo/api/v2/search/tags', '/tempo/api/nothing']) {
        const r = await api(guarded.url, path, { headers: { authorization: 'Bearer wrong' } });
        expect(r.status, path).toBe(401);
        expect(JSON.stringify(r.body), path).not.toContain('frontend');
      }
      const ok = await api(guarded.url, '/tempo/api/search?q=%7B%7D', { headers: { authorization: 'Bearer grafana-secret' } });
      expect(ok.status).toBe(200);
      expect(ok.body.traces.map((t: { traceID: string }) => t.traceID)).toEqual([traces.home.traceId]);
    } finally {
      await guarded.close();
    }
  });
});
