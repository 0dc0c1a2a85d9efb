/**
 * The official OpenTelemetry exporters (protobuf and JSON over HTTP) send real traces to a
 * real listening collector, and the query API returns them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { RunningServer } from '../../src/server.js';
import { api, eventually, startTestCollector } from '../fixtures/collector.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestCollector();
});
afterAll(async () => {
  await server.close();
});

function providerWith(exporter: SpanExporter, serviceName: string) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 100 })],
  });
  return { provider, tracer: provider.getTracer('test-scope', '1.2.3') };
}

async function runFlow(tracer: Tracer, fail: boolean): Promise<string> {
  return tracer.startActiveSpan('checkout', { attributes: { 'flow.name': 'checkout', 'flow.execution.kind': 'flow', 'enduser.id': 'bob' } }, async (root) => {
    for (const step of ['validate', 'charge']) {
      const child = tracer.startSpan(
        step,
        { attributes: { 'flow.node.id': step, 'flow.node.name': step } },
        trace.setSpan(context.active(), root),
      );
      if (fail && step === 'charge') {
        child.recordException(new Error('card declined'));
        child.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
      }
      child.end();
    }
    if (fail) root.setStatus({ code: SpanStatusCode.ERROR });
    root.end();
    return root.spanContext().traceId;
  });
}

describe.each([
  ['protobuf', (url: string) => new ProtoExporter({ url: `${url}/v1/traces` })],
  ['JSON', (url: string) => new JsonExporter({ url: `${url}/v1/traces` })],
])('the official %s exporter', (format, makeExporter) => {
  it('delivers a trace that the execution list and detail return', async () => {
    const { provider, tracer } = providerWith(makeExporter(server.url), `svc-${format}`);
    const traceId = await runFlow(tracer, true);
    await provider.forceFlush();
    const detail = await eventually(async () => {
      const r = await api(server.url, `/api/executions/${traceId}`);
      return r.status === 200 && r.body.spans.length === 3 ? r.body : undefined;
    });
    expect(detail.execution).toMatchObject({
      traceId,
      flowName: 'checkout',
      serviceName: `svc-${format}`,
      status: 'error',
      userId: 'bob',
      complete: true,
      spanCount: 3,
      errorCount: 2,
    });
    const charge = detail.spans.find((s: any) => s.name === 'charge');
    expect(charge.events[0].name).toBe('exception');
    expect(charge.events[0].attributes['exception.message']).toBe('card declined');
    expect(charge.scopeName).toBe('test-scope');
    const list = await api(server.url, `/api/executions?service=svc-${format}`);
    expect(list.body.executions.map((e: any) => e.traceId)).toContain(traceId);
    await provider.shutdown();
  });
});

it('lists a plain OTel trace without flow attributes under its service and root span name', async () => {
  const { provider, tracer } = providerWith(new ProtoExporter({ url: `${server.url}/v1/traces` }), 'plain-svc');
  const root = tracer.startSpan('GET /users');
  const traceId = root.spanContext().traceId;
  root.end();
  await provider.forceFlush();
  const found = await eventually(async () => {
    const r = await api(server.url, `/api/executions?service=plain-svc`);
    return r.body.executions.find((e: any) => e.traceId === traceId);
  });
  expect(found).toMatchObject({ flowName: 'plain-svc: GET /users', status: 'success', hasRoot: true, continuesRemoteTrace: false });
  await provider.shutdown();
});
