/**
 * OTLP/gRPC against a real listening collector (127.0.0.1, free ports): the official gRPC
 * exporters deliver traces and logs, plain and gzip; and the answers the OTLP specification
 * asks for, seen through a raw gRPC client — UNAUTHENTICATED, INVALID_ARGUMENT,
 * RESOURCE_EXHAUSTED, UNAVAILABLE with a RetryInfo trailer, partial_success, retries stored
 * once — each counted in /metrics; and a gRPC client dialling the HTTP port is counted.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metadata } from '@grpc/grpc-js';
import { context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { opentelemetry } from '../../src/ingest/generated/otlp.js';
import type { RunningServer } from '../../src/server.js';
import { api, eventually, startTestCollector } from '../fixtures/collector.js';
import { decodeStatusDetails, rawExport, Status } from '../fixtures/grpc-client.js';
import { encodeTraceProtobuf, makeOtlpSpan, makeTraceRequest } from '../fixtures/otlp.js';

const TOKEN = 'grpc-secret-token';
let server: RunningServer;
let grpcAddress: string;

beforeAll(async () => {
  server = await startTestCollector({ grpc: { port: 0 }, ingestToken: TOKEN });
  grpcAddress = `127.0.0.1:${server.grpcPort}`;
});
afterAll(async () => {
  await server.close();
});

/** A protobuf trace request of `n` new spans of one new trace; returns the body and trace id. */
function traceBody(n: number, overrides: Record<string, unknown> = {}): { body: Uint8Array; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  const spans = Array.from({ length: n }, () => makeOtlpSpan({ traceId, spanId: randomBytes(8).toString('hex'), parentSpanId: undefined, ...overrides }));
  return { body: encodeTraceProtobuf(makeTraceRequest(spans)), traceId };
}

async function spanCount(traceId: string): Promise<number> {
  const r = await server.storage.sql.run(`SELECT count(*) FROM spans WHERE trace_id = '${traceId}'`);
  return Number(r.rows[0][0]);
}

const metricsText = async () => (await api(server.url, '/metrics')).body as string;

describe.each([['none'], ['gzip']] as const)('the official gRPC exporters (compression %s)', (compression) => {
  it('deliver a trace that the execution API returns, and its console lines', async () => {
    const metadata = () => {
      const m = new Metadata();
      m.set('authorization', `Bearer ${TOKEN}`);
      return m;
    };
    const resource = resourceFromAttributes({ 'service.name': `grpc-${compression}` });
    const traceExporter = new OTLPTraceExporter({ url: `http://${grpcAddress}`, compression: compression as never, metadata: metadata() });
    const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(traceExporter)] });
    const logExporter = new OTLPLogExporter({ url: `http://${grpcAddress}`, compression: compression as never, metadata: metadata() });
    const loggers = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: logExporter })] });
    const tracer = provider.getTracer('grpc-test', '1.0.0');
    const root = tracer.startSpan('checkout', { attributes: { 'flow.name': 'checkout', 'flow.execution.kind': 'flow' } });
    const ctx = trace.setSpan(context.active(), root);
    tracer.startSpan('charge', { attributes: { 'flow.node.id': 'charge' } }, ctx).end();
    loggers.getLogger('console').emit({ body: 'charging card', severityNumber: SeverityNumber.INFO, context: ctx });
    root.end();
    const traceId = root.spanContext().traceId;
    await provider.forceFlush();
    await loggers.forceFlush();
    const detail = await eventually(async () => {
      const r = await api(server.url, `/api/executions/${traceId}`);
      return r.status === 200 && r.body.spans.length === 2 && r.body.logs.length === 1 ? r.body : undefined;
    });
    expect(detail.execution).toMatchObject({ traceId, flowName: 'checkout', serviceName: `grpc-${compression}`, spanCount: 2 });
    expect(detail.logs[0].body).toBe('charging card');
    await provider.shutdown();
    await loggers.shutdown();
  });
});

describe('OTLP/gRPC answers', () => {
  it('answers OK only once the spans are stored, and stores a retried request once', async () => {
    const { body, traceId } = traceBody(5);
    const first = await rawExport(grpcAddress, 'traces', body, { token: TOKEN });
    expect(first.code).toBe(Status.OK);
    expect(await spanCount(traceId)).toBe(5); // no waiting: OK means committed
    const retry = await rawExport(grpcAddress, 'traces', body, { token: TOKEN, gzip: true });
    expect(retry.code).toBe(Status.OK);
    expect(await spanCount(traceId)).toBe(5);
  });

  it('answers a wrong or missing token with UNAUTHENTICATED and stores nothing', async () => {
    const { body, traceId } = traceBody(1);
    expect((await rawExport(grpcAddress, 'traces', body, { token: 'wrong' })).code).toBe(Status.UNAUTHENTICATED);
    expect((await rawExport(grpcAddress, 'traces', body)).code).toBe(Status.UNAUTHENTICATED);
    expect(await spanCount(traceId)).toBe(0);
  });

  it('answers a garbage body with INVALID_ARGUMENT and a message', async () => {
    const result = await rawExport(grpcAddress, 'traces', Buffer.from('this is not protobuf at all'), { token: TOKEN });
    expect(result.code).toBe(Status.INVALID_ARGUMENT);
    expect(result.details).toMatch(/FT_OTLP_UNDECODABLE: .*ExportTraceServiceRequest/);
  });

  it('names rejected spans in partial_success and stores the valid ones', async () => {
    const traceId = randomBytes(16).toString('hex');
    const good = makeOtlpSpan({ traceId, spanId: randomBytes(8).toString('hex'), parentSpanId: undefined });
    const bad = makeOtlpSpan({ traceId, spanId: 'abcd' });
    const result = await rawExport(grpcAddress, 'traces', encodeTraceProtobuf(makeTraceRequest([good, bad])), { token: TOKEN });
    expect(result.code).toBe(Status.OK);
    const response = opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.decode(result.response!);
    expect(Number(response.partialSuccess!.rejectedSpans)).toBe(1);
    expect(response.partialSuccess!.errorMessage).toMatch(/spanId must be 8 bytes/);
    expect(await spanCount(traceId)).toBe(1);
  });

  it('counts calls by gRPC status code in /metrics', async () => {
    const text = await metricsText();
    expect(text).toMatch(/flowtrace_grpc_requests_total\{signal="traces",code="OK"\} [1-9]/);
    expect(text).toMatch(/flowtrace_grpc_requests_total\{signal="traces",code="UNAUTHENTICATED"\} [1-9]/);
    expect(text).toMatch(/flowtrace_grpc_requests_total\{signal="traces",code="INVALID_ARGUMENT"\} [1-9]/);
  });

  it('counts a gRPC client that dials the OTLP/HTTP port, which fails fast', async () => {
    const before = Number(/flowtrace_grpc_on_http_port_total (\d+)/.exec(await metricsText())![1]);
    const started = Date.now();
    const result = await rawExport(`127.0.0.1:${server.port}`, 'traces', traceBody(1).body, { token: TOKEN, timeoutMs: 5_000 });
    expect(result.code).not.toBe(Status.OK);
    expect(Date.now() - started).toBeLessThan(4_000);
    const after = Number(/flowtrace_grpc_on_http_port_total (\d+)/.exec(await metricsText())![1]);
    expect(after).toBeGreaterThan(before);
  });
});

describe('OTLP/gRPC limits', () => {
  let small: RunningServer;
  beforeAll(async () => {
    small = await startTestCollector({ grpc: { port: 0, maxMessageBytes: 64 * 1024 }, maxQueueRows: 1 });
  });
  afterAll(async () => {
    await small.close();
  });

  it('answers a request over the receive limit with RESOURCE_EXHAUSTED, also when it only grows past it once decompressed', async () => {
    const address = `127.0.0.1:${small.grpcPort}`;
    const big = Buffer.alloc(100 * 1024, 0x41);
    expect((await rawExport(address, 'traces', big)).code).toBe(Status.RESOURCE_EXHAUSTED);
    expect(gzipSync(big).length).toBeLessThan(64 * 1024);
    expect((await rawExport(address, 'traces', big, { gzip: true })).code).toBe(Status.RESOURCE_EXHAUSTED);
  });

  it('answers UNAVAILABLE with a RetryInfo delay while the write queue is full, and stores every call it acknowledged', async () => {
    const address = `127.0.0.1:${small.grpcPort}`;
    const bodies = Array.from({ length: 40 }, () => traceBody(100));
    const results = await Promise.all(bodies.map(({ body }) => rawExport(address, 'traces', body)));
    const refused = results.filter((r) => r.code === Status.UNAVAILABLE);
    expect(refused.length).toBeGreaterThan(0);
    expect(results.every((r) => r.code === Status.OK || r.code === Status.UNAVAILABLE)).toBe(true);
    const [bytes] = refused[0].trailers.get('grpc-status-details-bin') as Buffer[];
    const status = decodeStatusDetails(bytes);
    expect(status.code).toBe(Status.UNAVAILABLE);
    expect(status.message).toMatch(/FT_QUEUE_FULL/);
    expect(status.details).toEqual([{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', retryDelaySeconds: 1, retryDelayNanos: 0 }]);
    for (let i = 0; i < results.length; i++) {
      const stored = Number((await small.storage.sql.run(`SELECT count(*) FROM spans WHERE trace_id = '${bodies[i].traceId}'`)).rows[0][0]);
      expect(stored).toBe(results[i].code === Status.OK ? 100 : 0);
    }
  });
});
