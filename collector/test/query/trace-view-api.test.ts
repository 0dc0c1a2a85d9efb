/**
 * The trace view's reads: GET /api/executions/:traceId/outline says for every span what the
 * full trace says (decoded from its tuples), and GET .../spans/:spanId answers
 * one span exactly as the full trace does, with that span's console lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine, OutlineSpan, Span, TraceOutline } from '../../src/api/wire-types.js';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { attr, makeLogRecord, makeLogsRequest, makeOtlpSpan, makeTraceRequest, strAttr } from '../fixtures/otlp.js';
import { seed, type SeededExecution } from '../fixtures/seed.js';

let server: RunningServer;
let seeded: SeededExecution[];
const base = Date.now() - 600_000;
const nsOf = (ms: number) => String(BigInt(Math.round(ms * 1000)) * 1000n);

/** The outline's spans as objects keyed by field name, codes decoded, times as absolute epoch microseconds. */
function decode(outline: TraceOutline): Array<Record<string, unknown>> {
  const baseUs = BigInt(outline.baseTimeUnixNano) / 1000n;
  const codes = outline.codes as unknown as Record<string, readonly string[] | undefined>;
  return outline.spans.map((tuple: OutlineSpan) => {
    const raw: Record<string, unknown> = {};
    outline.fields.forEach((field, k) => {
      const list = codes[field];
      raw[field] = list ? list[tuple[k] as number] : tuple[k];
    });
    const { startUs, durationUs, ...out } = raw;
    const start = baseUs + BigInt(startUs as number);
    return { ...out, startUs: String(start), endUs: durationUs === null ? null : String(start + BigInt(durationUs as number)) };
  });
}

/** What the outline should say of a full Span (times cut to microseconds, as the viewer shows them). */
function expected(s: Span): Record<string, unknown> {
  const a = s.attributes;
  const asText = (v: unknown) => (v === undefined ? null : String(v));
  const us = (ns: string | null) => (ns === null ? null : String(BigInt(ns) / 1000n));
  return {
    spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, serviceName: s.serviceName, kind: s.kind,
    status: s.status, statusCode: s.statusCode, statusMessage: s.statusMessage,
    nodeId: asText(a['flow.node.id']), nodeName: asText(a['flow.node.name']), nodeType: asText(a['flow.node.type']),
    nodeIndex: a['flow.node.index'] ?? null,
    startUs: us(s.startTimeUnixNano), endUs: us(s.endTimeUnixNano),
  };
}

async function post(path: string, body: unknown): Promise<void> {
  const r = await api(server.url, path, { method: 'POST', json: body });
  expect(r.status).toBe(200);
}

/** A trace with a running root (start mark), a finished node with console lines, an orphan and awkward texts. */
const mixed = { traceId: 'a1'.repeat(16), root: '0a'.repeat(8), node: '0b'.repeat(8), running: '0c'.repeat(8), orphan: '0d'.repeat(8) };
/** A trace whose times are not whole microseconds, and whose spans use every kind and status code. */
const odd = { traceId: 'b2'.repeat(16), baseNs: BigInt(base + 7000) * 1_000_000n + 999n };

beforeAll(async () => {
  server = await startTestCollector();
  seeded = await seed(server.url, [
    { flow: 'orders', startMs: base, durationMs: 100, nodes: 4 },
    { flow: 'orders', startMs: base + 1000, durationMs: 900, fail: true, service: 'payments' },
  ]);
  const t = base + 5000;
  const startMark = (spanId: string, name: string, parent: string | null, atMs: number) =>
    makeLogRecord({
      traceId: mixed.traceId, spanId, timeUnixNano: nsOf(atMs), observedTimeUnixNano: nsOf(atMs), body: { stringValue: `start ${name}` },
      attributes: [
        strAttr('flowtrace.mark', 'span.start'), strAttr('flowtrace.span.name', name),
        ...(parent ? [strAttr('flowtrace.span.parent_id', parent)] : []),
        attr('flowtrace.span.kind', { intValue: '1' }), strAttr('flow.execution.kind', 'flow'), strAttr('flow.name', 'mixed'),
      ],
    });
  await post('/v1/logs', makeLogsRequest([startMark(mixed.root, 'mixed', null, t), startMark(mixed.running, 'still "running" ✓', mixed.root, t + 30)]));
  await post('/v1/traces', makeTraceRequest([
    makeOtlpSpan({
      traceId: mixed.traceId, spanId: mixed.node, parentSpanId: mixed.root, name: 'line\nbreak "quoted" \\ ünïcode', kind: 3,
      startTimeUnixNano: nsOf(t + 1.234567), endTimeUnixNano: nsOf(t + 20),
      attributes: [strAttr('flow.node.id', 'n-1'), strAttr('flow.node.name', 'Fetch "it"'), strAttr('flow.node.type', 'http'), attr('flow.node.index', { intValue: '7' }), strAttr('flow.node.input', `{"big":"${'x'.repeat(600)}"}`)],
      status: { code: 2, message: 'upstream\tsaid "no"' },
      events: [{ name: 'exception', timeUnixNano: nsOf(t + 19), attributes: [strAttr('exception.message', 'boom')] }],
    }),
    makeOtlpSpan({ traceId: mixed.traceId, spanId: mixed.orphan, parentSpanId: 'ff'.repeat(8), name: 'lost', startTimeUnixNano: nsOf(t + 40), endTimeUnixNano: nsOf(t + 41), attributes: [] }),
  ], { resourceAttributes: [strAttr('service.name', 'svc "q"')] }));
  await post('/v1/logs', makeLogsRequest([
    makeLogRecord({ traceId: mixed.traceId, spanId: mixed.node, timeUnixNano: nsOf(t + 5), body: { stringValue: 'fetching' } }),
    makeLogRecord({ traceId: mixed.traceId, spanId: mixed.node, timeUnixNano: nsOf(t + 6), severityNumber: 13, severityText: 'WARN', body: { stringValue: 'slow' } }),
    makeLogRecord({ traceId: mixed.traceId, spanId: mixed.orphan, timeUnixNano: nsOf(t + 40.5), body: { stringValue: 'other span' } }),
  ]));
  const at = (offsetNs: bigint) => String(odd.baseNs + offsetNs);
  await post('/v1/traces', makeTraceRequest([
    makeOtlpSpan({ traceId: odd.traceId, spanId: '1e'.repeat(8), parentSpanId: '', name: 'odd', kind: 2, startTimeUnixNano: at(0n), endTimeUnixNano: at(9_000_002n), attributes: [], status: { code: 1 } }),
    ...[0, 1, 3, 4, 5].map((kind, i) =>
      makeOtlpSpan({
        traceId: odd.traceId, spanId: `2${i}`.repeat(8), parentSpanId: '1e'.repeat(8), name: `kind ${kind}`, kind,
        // Starts 1 ns before a microsecond and lasts 2 ns: the microseconds it spans differ by one.
        startTimeUnixNano: at(BigInt(i + 1) * 1_000_000n), endTimeUnixNano: at(BigInt(i + 1) * 1_000_000n + 2n), attributes: [],
        status: { code: i % 3 },
      })),
  ]));
});
afterAll(async () => {
  await server.close();
});

describe('GET /api/executions/:traceId/outline', () => {
  it.each([['a finished flow', 0], ['a failed flow', 1]])('says of every span of %s what the full trace says', async (_label, which) => {
    const { traceId } = seeded[which];
    const [outline, full] = await Promise.all([api<TraceOutline>(server.url, `/api/executions/${traceId}/outline`), api(server.url, `/api/executions/${traceId}`)]);
    expect(outline.status).toBe(200);
    expect(outline.headers.get('content-type')).toContain('application/json');
    expect(outline.body.execution).toEqual(full.body.execution);
    expect(decode(outline.body)).toEqual(full.body.spans.map(expected));
  });

  it('holds running spans, orphans and texts that need escaping, and counts orphans as the full trace does', async () => {
    const [outline, full] = await Promise.all([api<TraceOutline>(server.url, `/api/executions/${mixed.traceId}/outline`), api(server.url, `/api/executions/${mixed.traceId}`)]);
    expect(outline.status).toBe(200);
    const spans = decode(outline.body);
    expect(spans).toEqual(full.body.spans.map(expected));
    expect(spans.find((s) => s.spanId === mixed.running)).toMatchObject({ status: 'running', endUs: null, name: 'still "running" ✓' });
    expect(spans.find((s) => s.spanId === mixed.node)).toMatchObject({ status: 'error', statusMessage: 'upstream\tsaid "no"', nodeIndex: 7, nodeName: 'Fetch "it"', kind: 'client' });
    expect(outline.body.execution).toMatchObject({ status: 'running', orphanCount: 1, complete: false, spanCount: 4 });
    // A running execution's duration is the time so far, which moves between the two answers.
    const { durationMs: _a, ...outlineExecution } = outline.body.execution;
    const { durationMs: _b, ...fullExecution } = full.body.execution;
    expect(outlineExecution).toEqual(fullExecution);
    expect(outline.body.baseTimeUnixNano).toBe(full.body.spans[0].startTimeUnixNano);
    expect(outline.body.spans).toHaveLength(4);
    // A large payload attribute is nowhere in the outline.
    expect(JSON.stringify(outline.body)).not.toContain('xxxxxxxxxx');
  });

  it('codes kind, status and status code as indexes into `codes` and cuts times to microseconds', async () => {
    const [outline, full] = await Promise.all([api<TraceOutline>(server.url, `/api/executions/${odd.traceId}/outline`), api(server.url, `/api/executions/${odd.traceId}`)]);
    expect(outline.status).toBe(200);
    expect(outline.body.codes).toEqual({
      kind: ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'],
      status: ['running', 'success', 'error', 'cancelled', 'timed_out', 'skipped', 'abandoned'],
      statusCode: ['unset', 'ok', 'error'],
    });
    const at = (field: string) => outline.body.fields.indexOf(field as never);
    for (const tuple of outline.body.spans) {
      for (const field of ['kind', 'status', 'statusCode', 'startUs']) expect(Number.isInteger(tuple[at(field)])).toBe(true);
    }
    // The base keeps its nanoseconds; times count from its microsecond.
    expect(outline.body.baseTimeUnixNano).toBe(String(odd.baseNs));
    const spans = decode(outline.body);
    expect(spans).toEqual(full.body.spans.map(expected));
    expect(spans.map((s) => s.kind)).toEqual(['server', 'unspecified', 'internal', 'client', 'producer', 'consumer']);
    expect(spans.map((s) => s.statusCode)).toEqual(['ok', 'unset', 'ok', 'error', 'unset', 'ok']);
    expect(spans.map((s) => s.status)).toEqual(['success', 'success', 'success', 'error', 'success', 'success']);
    const kind1 = outline.body.spans[1];
    expect([kind1[at('startUs')], kind1[at('durationUs')]]).toEqual([1000, 1]);
    expect(spans[1].startUs).toBe(String((odd.baseNs + 1_000_000n) / 1000n));
  });

  it('is much smaller than the full trace', async () => {
    const [outline, full] = await Promise.all([
      fetch(`${server.url}/api/executions/${mixed.traceId}/outline`).then((r) => r.text()),
      fetch(`${server.url}/api/executions/${mixed.traceId}`).then((r) => r.text()),
    ]);
    expect(outline.length * 3).toBeLessThan(full.length);
  });

  it('answers 404 for an unknown trace and 400 for a malformed id', async () => {
    const missing = await api(server.url, `/api/executions/${'0'.repeat(31)}1/outline`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'FT_TRACE_NOT_FOUND', statusCode: 404 });
    const bad = await api(server.url, '/api/executions/not-a-trace/outline');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'FT_BAD_REQUEST', statusCode: 400 });
  });
});

describe('GET /api/executions/:traceId/spans/:spanId', () => {
  it('answers every span exactly as the full trace holds it, with its own console lines', async () => {
    for (const traceId of [seeded[0].traceId, seeded[1].traceId, mixed.traceId]) {
      const full = await api<{ spans: Span[]; logs: LogLine[] }>(server.url, `/api/executions/${traceId}`);
      for (const span of full.body.spans) {
        const one = await api<{ span: Span; logs: LogLine[] }>(server.url, `/api/executions/${traceId}/spans/${span.spanId}`);
        expect(one.status).toBe(200);
        expect(one.body.span).toEqual(span);
        expect(one.body.logs).toEqual(full.body.logs.filter((l) => l.spanId === span.spanId));
      }
    }
  });

  it('holds attributes, payloads, events and console lines of a span', async () => {
    const one = await api<{ span: Span; logs: LogLine[] }>(server.url, `/api/executions/${mixed.traceId}/spans/${mixed.node.toUpperCase()}`);
    expect(one.status).toBe(200);
    expect(one.body.span.attributes['flow.node.input']).toBe(`{"big":"${'x'.repeat(600)}"}`);
    expect(one.body.span.events).toMatchObject([{ name: 'exception', attributes: { 'exception.message': 'boom' } }]);
    expect(one.body.logs.map((l) => [l.body, l.severity])).toEqual([['fetching', 'INFO'], ['slow', 'WARN']]);
  });

  it('answers a running span from its start mark', async () => {
    const one = await api<{ span: Span }>(server.url, `/api/executions/${mixed.traceId}/spans/${mixed.running}`);
    expect(one.status).toBe(200);
    expect(one.body.span).toMatchObject({ spanId: mixed.running, status: 'running', endTimeUnixNano: null, parentSpanId: mixed.root });
  });

  it('answers 404 for an unknown span or trace and 400 for malformed ids', async () => {
    const noSpan = await api(server.url, `/api/executions/${mixed.traceId}/spans/${'12'.repeat(8)}`);
    expect(noSpan.status).toBe(404);
    expect(noSpan.body).toMatchObject({ code: 'FT_SPAN_NOT_FOUND', statusCode: 404 });
    // A span of another trace is not found in this one.
    expect((await api(server.url, `/api/executions/${seeded[0].traceId}/spans/${mixed.node}`)).status).toBe(404);
    const noTrace = await api(server.url, `/api/executions/${'0'.repeat(31)}1/spans/${mixed.node}`);
    expect(noTrace.status).toBe(404);
    expect(noTrace.body).toMatchObject({ code: 'FT_TRACE_NOT_FOUND' });
    for (const path of [`/api/executions/${mixed.traceId}/spans/xyz`, `/api/executions/${mixed.traceId}/spans/${'0'.repeat(17)}`, `/api/executions/nope/spans/${mixed.node}`]) {
      const bad = await api(server.url, path);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'FT_BAD_REQUEST' });
    }
  });
});

describe('documentation and access', () => {
  it('lists both routes in the OpenAPI document with their answers', async () => {
    const doc = await api(server.url, '/api/openapi.json');
    const outline = doc.body.paths['/api/executions/{traceId}/outline']?.get;
    const span = doc.body.paths['/api/executions/{traceId}/spans/{spanId}']?.get;
    expect(outline.responses['200'].content['application/json'].schema.properties).toHaveProperty('fields');
    expect(outline.responses['404']).toBeDefined();
    expect(span.responses['200'].content['application/json'].schema.properties.span.properties).toHaveProperty('attributes');
    expect(span.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['spanId', 'traceId']);
  });

  it('asks for the query token like the other /api routes', async () => {
    const guarded = await startTestCollector({ queryToken: 'q-secret' });
    try {
      const [execution] = await seed(guarded.url, [{ flow: 'guarded', startMs: base }]);
      const paths = [`/api/executions/${execution.traceId}/outline`, `/api/executions/${execution.traceId}/spans/${execution.rootSpanId}`];
      for (const path of paths) {
        const refused = await api(guarded.url, path);
        expect(refused.status).toBe(401);
        expect(refused.body).toMatchObject({ code: 'FT_UNAUTHORIZED' });
        expect((await api(guarded.url, path, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
        expect((await api(guarded.url, path, { headers: { authorization: 'Bearer q-secret' } })).status).toBe(200);
      }
    } finally {
      await guarded.close();
    }
  });
});
