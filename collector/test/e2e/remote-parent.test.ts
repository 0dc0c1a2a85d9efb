/**
 * Traces that continue a trace from elsewhere, sent by the official OTLP exporter from a plain
 * SDK to a real collector: a service behind a gateway or a browser gets a `traceparent`, so its
 * execution's root has a parent that never arrives. Such an execution is finished as soon as its
 * root is in (never running, never abandoned), labelled as continuing a remote trace, and takes
 * its status and duration from that root; spans arriving in any order settle on the true root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { RunningServer } from '../../src/server.js';
import { api, eventually, startTestCollector } from '../fixtures/collector.js';
import { newSpanId, newTraceId } from '../fixtures/rows.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestCollector();
});
afterAll(async () => {
  await server.close();
});

/** A plain SDK (no flowtrace instrumentation) exporting each span as it ends. */
function sdk(serviceName: string) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces` }))],
  });
  return { provider, tracer: provider.getTracer('plain-sdk') };
}

/** The context an SDK extracts from an incoming `traceparent`. */
function remoteParent(traceId = newTraceId(), spanId = newSpanId()): Context {
  return trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: 1, isRemote: true });
}

const T0 = Date.now() - 60_000;
const at = (ms: number): number => T0 + ms;

async function listed(traceId: string, check: (e: any) => boolean = () => true): Promise<any> {
  return eventually(async () => {
    const r = await api(server.url, `/api/executions?q=${traceId}`);
    const e = r.body.executions?.find((x: any) => x.traceId === traceId);
    return e && check(e) ? e : undefined;
  });
}

describe('a trace continued from a remote parent', () => {
  it('is listed at once as finished, with its root span duration, labelled as continuing a remote trace', async () => {
    const { provider, tracer } = sdk('orders-api');
    const parentSpanId = newSpanId();
    const root = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER, startTime: at(0) }, remoteParent(undefined, parentSpanId));
    const traceId = root.spanContext().traceId;
    const rootCtx = trace.setSpan(context.active(), root);
    tracer.startSpan('load', { startTime: at(10) }, rootCtx).end(at(200));
    const render = tracer.startSpan('render', { startTime: at(210) }, rootCtx);
    render.setStatus({ code: SpanStatusCode.ERROR, message: 'template missing' });
    render.end(at(300));
    root.end(at(500));
    await provider.forceFlush();

    const e = await listed(traceId, (x) => x.spanCount === 3);
    expect(e).toMatchObject({
      flowName: 'orders-api: GET /orders',
      serviceName: 'orders-api',
      status: 'success',
      durationMs: 500,
      hasRoot: true,
      continuesRemoteTrace: true,
      remoteParentSpanId: parentSpanId,
    });
    // The child's error marks the execution though its root is OK.
    expect(e.errorCount).toBeGreaterThanOrEqual(1);
    expect(e.errorMessage).toBe('template missing');

    const detail = await api(server.url, `/api/executions/${traceId}`);
    expect(detail.body.execution).toMatchObject({ status: 'success', continuesRemoteTrace: true, complete: true, orphanCount: 0 });
    const outline = await api(server.url, `/api/executions/${traceId}/outline`);
    expect(outline.body.execution).toMatchObject({ continuesRemoteTrace: true, complete: true, orphanCount: 0 });
    // Never running, never abandoned: the filters agree with the row.
    const running = await api(server.url, `/api/executions?status=running&service=orders-api`);
    expect(running.body.executions.map((x: any) => x.traceId)).not.toContain(traceId);
    const succeeded = await api(server.url, `/api/executions?status=success&service=orders-api`);
    expect(succeeded.body.executions.map((x: any) => x.traceId)).toContain(traceId);
    // The SQL console's executions view says the same as the API.
    const sql = await api(server.url, '/api/sql', {
      method: 'POST',
      json: { sql: `SELECT flow_name, status, continues_remote_trace, remote_parent_span_id FROM executions WHERE trace_id = '${traceId}'` },
    });
    expect(sql.body.rows).toEqual([['orders-api: GET /orders', 'success', true, parentSpanId]]);
    await provider.shutdown();
  });

  it('takes an error status from its root span', async () => {
    const { provider, tracer } = sdk('billing-api');
    const root = tracer.startSpan('POST /charge', { kind: SpanKind.SERVER, startTime: at(0) }, remoteParent());
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
    root.end(at(40));
    await provider.forceFlush();
    const e = await listed(root.spanContext().traceId);
    expect(e).toMatchObject({ status: 'error', durationMs: 40, continuesRemoteTrace: true, errorMessage: 'card declined' });
    await provider.shutdown();
  });

  it('switches to the root when a child whose parent was missing arrived first', async () => {
    const { provider, tracer } = sdk('late-root-api');
    const parentSpanId = newSpanId();
    const root = tracer.startSpan('GET /late', { kind: SpanKind.SERVER, startTime: at(0) }, remoteParent(undefined, parentSpanId));
    const traceId = root.spanContext().traceId;
    const child = tracer.startSpan('query', { startTime: at(5) }, trace.setSpan(context.active(), root));
    child.end(at(25));
    await provider.forceFlush();
    // Only the child so far: a finished span, never shown as running.
    const first = await listed(traceId);
    expect(first).toMatchObject({ flowName: 'late-root-api: query', status: 'success', durationMs: 20, continuesRemoteTrace: true });
    expect(first.remoteParentSpanId).toBe(root.spanContext().spanId);

    root.end(at(100));
    await provider.forceFlush();
    const second = await listed(traceId, (x) => x.spanCount === 2);
    expect(second).toMatchObject({
      flowName: 'late-root-api: GET /late', status: 'success', durationMs: 100, continuesRemoteTrace: true, remoteParentSpanId: parentSpanId,
    });
    await provider.shutdown();
  });

  it('switches to a true root (no parent) that arrives after its children', async () => {
    const { provider, tracer } = sdk('true-root-api');
    const root = tracer.startSpan('nightly-job', { startTime: at(0) }, context.active());
    const traceId = root.spanContext().traceId;
    const step: Span = tracer.startSpan('step', { startTime: at(1) }, trace.setSpan(context.active(), root));
    step.end(at(2));
    await provider.forceFlush();
    await listed(traceId);
    root.end(at(3_000));
    await provider.forceFlush();
    const e = await listed(traceId, (x) => x.spanCount === 2);
    expect(e).toMatchObject({ flowName: 'true-root-api: nightly-job', durationMs: 3_000, status: 'success', continuesRemoteTrace: false, remoteParentSpanId: null });
  });
});

it('groups plain-SDK traces of two services with the same root name into two flows', async () => {
  const a = sdk('health-a');
  const b = sdk('health-b');
  for (const { tracer } of [a, b]) tracer.startSpan('GET /health', { kind: SpanKind.SERVER }).end();
  await Promise.all([a.provider.forceFlush(), b.provider.forceFlush()]);
  const flows = await eventually(async () => {
    const r = await api(server.url, '/api/flows');
    const names = (r.body.flows as any[]).map((f) => f.flowName).filter((n: string) => n.endsWith('GET /health'));
    return names.length === 2 ? names : undefined;
  });
  expect(flows.sort()).toEqual(['health-a: GET /health', 'health-b: GET /health']);
  const one = await api(server.url, `/api/executions?flow=${encodeURIComponent('health-a: GET /health')}`);
  expect(one.body.executions.map((e: any) => e.serviceName)).toEqual(['health-a']);
  const stats = await api(server.url, `/api/flows/${encodeURIComponent('health-b: GET /health')}/stats`);
  expect(stats.status).toBe(200);
  expect(stats.body.summary.count).toBe(1);
  await Promise.all([a.provider.shutdown(), b.provider.shutdown()]);
});
