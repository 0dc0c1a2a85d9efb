/** OTLP/HTTP as the specification says it: encodings, answers and their status codes. */
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opentelemetry } from '../../src/ingest/generated/otlp.js';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import {
  encodeJson, encodeLogsProtobuf, encodeTraceProtobuf, makeLogRecord, makeLogsRequest, makeOtlpSpan, makeStartMark,
  makeTraceRequest, strAttr,
} from '../fixtures/otlp.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestCollector({ maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await server.close();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

function post(path: string, body: Uint8Array | string, headers: Record<string, string>) {
  return fetch(server.url + path, { method: 'POST', body, headers });
}

function traceWith(traceId: string, spans: Array<Record<string, unknown>>) {
  return makeTraceRequest(spans.map((s) => makeOtlpSpan({ traceId, ...s })));
}

describe('POST /v1/traces', () => {
  it('answers protobuf with an empty ExportTraceServiceResponse in protobuf', async () => {
    const traceId = hex(16);
    const response = await post('/v1/traces', encodeTraceProtobuf(traceWith(traceId, [{ parentSpanId: '' }])), {
      'content-type': 'application/x-protobuf',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-protobuf');
    const decoded = opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.decode(new Uint8Array(await response.arrayBuffer()));
    expect(decoded.partialSuccess).toBeFalsy();
    expect((await api(server.url, `/api/executions/${traceId}`)).status).toBe(200);
  });

  it('takes gzip bodies in both encodings', async () => {
    for (const [type, encode] of [
      ['application/x-protobuf', encodeTraceProtobuf],
      ['application/json', encodeJson],
    ] as const) {
      const traceId = hex(16);
      const response = await post('/v1/traces', gzipSync(encode(traceWith(traceId, [{ parentSpanId: '' }]))), {
        'content-type': type,
        'content-encoding': 'gzip',
      });
      expect(response.status).toBe(200);
      expect((await api(server.url, `/api/executions/${traceId}`)).body.spans).toHaveLength(1);
    }
  });

  it('answers 200 with partial_success naming the rejected spans', async () => {
    const traceId = hex(16);
    const body = traceWith(traceId, [
      { parentSpanId: '', spanId: hex(8) },
      { spanId: 'abcd' },
      { spanId: hex(8), startTimeUnixNano: '2000', endTimeUnixNano: '1000' },
    ]);
    const response = await api(server.url, '/v1/traces', { method: 'POST', json: body });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body.partialSuccess.rejectedSpans).toBe('2');
    expect(response.body.partialSuccess.errorMessage).toMatch(/span/i);
    expect((await api(server.url, `/api/executions/${traceId}`)).body.spans).toHaveLength(1);
  });

  it('answers 400 with a message when nothing in the request is valid', async () => {
    const response = await api(server.url, '/v1/traces', { method: 'POST', json: traceWith(hex(16), [{ spanId: 'zz' }]) });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'FT_OTLP_INVALID', statusCode: 400 });
  });

  it('answers 400 with a google.rpc.Status body for undecodable protobuf', async () => {
    const response = await post('/v1/traces', Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]), {
      'content-type': 'application/x-protobuf',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/x-protobuf');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.toString('utf8')).toMatch(/protobuf/);
  });

  it('answers 400 for a JSON body that is not JSON, and for a corrupt gzip body', async () => {
    expect((await post('/v1/traces', '{"resourceSpans": [', { 'content-type': 'application/json' })).status).toBe(400);
    const corrupt = await post('/v1/traces', Buffer.from('not gzip'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
  });

  it('answers 415 for other content types and encodings', async () => {
    const text = await post('/v1/traces', 'hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect((await text.json()).code).toBe('FT_UNSUPPORTED_MEDIA_TYPE');
    const br = await post('/v1/traces', encodeJson(traceWith(hex(16), [{}])), { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(br.status).toBe(415);
  });

  it('answers 413 past the body cap, measured after decompression', async () => {
    const huge = traceWith(hex(16), [{ attributes: [strAttr('blob', 'x'.repeat(200 * 1024))] }]);
    const compressed = gzipSync(encodeJson(huge));
    expect(compressed.length).toBeLessThan(64 * 1024);
    const response = await post('/v1/traces', compressed, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    const plain = await post('/v1/traces', encodeJson(huge), { 'content-type': 'application/json' });
    expect(plain.status).toBe(413);
  });

  it('stores a span once when the same batch is sent three times', async () => {
    const traceId = hex(16);
    const body = encodeTraceProtobuf(traceWith(traceId, [{ parentSpanId: '', spanId: hex(8) }, { spanId: hex(8) }]));
    await Promise.all([1, 2, 3].map(() => post('/v1/traces', body, { 'content-type': 'application/x-protobuf' })));
    const detail = await api(server.url, `/api/executions/${traceId}`);
    expect(detail.body.spans).toHaveLength(2);
    expect(detail.body.execution.spanCount).toBe(2);
  });

  it('assembles one trace sent across requests and services, root last', async () => {
    const traceId = hex(16);
    const rootId = hex(8);
    const childId = hex(8);
    const t0 = nowNs();
    const grandChild = makeTraceRequest(
      [makeOtlpSpan({ traceId, spanId: hex(8), parentSpanId: childId, startTimeUnixNano: String(t0 + 2n), endTimeUnixNano: String(t0 + 3n) })],
      { resourceAttributes: [strAttr('service.name', 'db-svc')] },
    );
    const child = traceWith(traceId, [{ spanId: childId, parentSpanId: rootId, startTimeUnixNano: String(t0 + 1n), endTimeUnixNano: String(t0 + 4n) }]);
    const root = traceWith(traceId, [{ spanId: rootId, parentSpanId: '', name: 'root', startTimeUnixNano: String(t0), endTimeUnixNano: String(t0 + 5n) }]);
    await api(server.url, '/v1/traces', { method: 'POST', json: grandChild });
    let detail = await api(server.url, `/api/executions/${traceId}`);
    // Rooted at the grandchild until its parent arrives: finished, continuing a trace from elsewhere.
    expect(detail.body.execution).toMatchObject({ hasRoot: true, status: 'success', continuesRemoteTrace: true, remoteParentSpanId: childId });
    await api(server.url, '/v1/traces', { method: 'POST', json: child });
    await api(server.url, '/v1/traces', { method: 'POST', json: root });
    detail = await api(server.url, `/api/executions/${traceId}`);
    expect(detail.body.execution).toMatchObject({
      complete: true, hasRoot: true, status: 'success', flowName: 'my.service: root', spanCount: 3, continuesRemoteTrace: false,
    });
    expect(new Set(detail.body.spans.map((s: any) => s.serviceName))).toEqual(new Set(['my.service', 'db-svc']));
  });
});

describe('POST /v1/logs', () => {
  it('turns a start mark into a running execution that the finished span replaces', async () => {
    const traceId = hex(16);
    const spanId = hex(8);
    const start = nowNs();
    const mark = makeStartMark('long-flow', { traceId, spanId, timeUnixNano: String(start) }, [
      strAttr('flow.name', 'long-flow'),
      strAttr('flow.execution.kind', 'flow'),
      strAttr('flowtrace.span.parent_id', ''),
    ]);
    const marked = await post('/v1/logs', encodeLogsProtobuf(makeLogsRequest([mark])), { 'content-type': 'application/x-protobuf' });
    expect(marked.status).toBe(200);
    let detail = await api(server.url, `/api/executions/${traceId}`);
    expect(detail.body.execution).toMatchObject({ status: 'running', flowName: 'long-flow' });
    expect(detail.body.spans[0]).toMatchObject({ spanId, status: 'running', endTime: null });
    await api(server.url, '/v1/traces', {
      method: 'POST',
      json: traceWith(traceId, [{ spanId, parentSpanId: '', name: 'long-flow', startTimeUnixNano: String(start), endTimeUnixNano: String(start + 1000n), attributes: [strAttr('flow.name', 'long-flow'), strAttr('flow.execution.kind', 'flow')] }]),
    });
    detail = await api(server.url, `/api/executions/${traceId}`);
    expect(detail.body.spans).toHaveLength(1);
    expect(detail.body.spans[0].status).toBe('success');
    expect(detail.body.execution.status).toBe('success');
  });

  it('keeps other log records as console lines of their span', async () => {
    const traceId = hex(16);
    const spanId = hex(8);
    await api(server.url, '/v1/traces', { method: 'POST', json: traceWith(traceId, [{ spanId, parentSpanId: '' }]) });
    const line = makeLogRecord({ traceId, spanId, body: { stringValue: 'charging card 4242' }, severityNumber: 13, severityText: 'WARN' });
    const response = await api(server.url, '/v1/logs', { method: 'POST', json: makeLogsRequest([line]) });
    expect(response.status).toBe(200);
    const detail = await api(server.url, `/api/executions/${traceId}`);
    expect(detail.body.logs).toEqual([expect.objectContaining({ spanId, body: 'charging card 4242', severity: 'WARN' })]);
  });
});

describe('write queue and shutdown', () => {
  it('answers 429 with Retry-After when the write queue is full', async () => {
    const small = await startTestCollector({ maxQueueRows: 50 });
    try {
      const bodies = Array.from({ length: 40 }, () =>
        encodeTraceProtobuf(traceWith(hex(16), Array.from({ length: 40 }, () => ({ spanId: hex(8) })))),
      );
      const responses = await Promise.all(
        bodies.map((b) => fetch(`${small.url}/v1/traces`, { method: 'POST', body: b, headers: { 'content-type': 'application/x-protobuf' } })),
      );
      const refused = responses.filter((r) => r.status === 429);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0].headers.get('retry-after')).toMatch(/^\d+$/);
      expect(responses.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    } finally {
      await small.close();
    }
  });

  it('commits what it acknowledged and refuses new batches with 503 while stopping', async () => {
    const s = await startTestCollector();
    const traceId = hex(16);
    const ok = await fetch(`${s.url}/v1/traces`, { method: 'POST', body: encodeTraceProtobuf(traceWith(traceId, [{ parentSpanId: '' }])), headers: { 'content-type': 'application/x-protobuf' } });
    expect(ok.status).toBe(200);
    const closing = s.close();
    const late = await fetch(`${s.url}/v1/traces`, { method: 'POST', body: encodeJson(traceWith(hex(16), [{}])), headers: { 'content-type': 'application/json' } }).catch(() => undefined);
    if (late) {
      expect(late.status).toBe(503);
      expect(late.headers.get('retry-after')).toBeTruthy();
    }
    await closing;
  });
});
