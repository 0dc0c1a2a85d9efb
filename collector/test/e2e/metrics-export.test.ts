/**
 * OTLP metrics stored, not refused: the plain OpenTelemetry metrics SDK with the official
 * exporters (gRPC, HTTP protobuf, HTTP JSON) exports every kind it makes without an error, and
 * each point is in the `metrics` SQL view with its resource, scope and point attributes.
 * Summaries and exemplars, which the JS SDK does not emit, arrive in raw OTLP requests; an
 * exemplar's trace and span ids lead to the span in SQL; a retried request is stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, MetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { RunningServer } from '../../src/server.js';
import { api, onClickHouse, startTestCollector } from '../fixtures/collector.js';
import { rawExport, Status } from '../fixtures/grpc-client.js';
import { encodeJson, encodeTraceProtobuf, makeOtlpSpan, makeTraceRequest, SPAN_ID, strAttr, TRACE_ID } from '../fixtures/otlp.js';
import { encodeMetricsProtobuf, makeExemplar, makeMetricsRequest, makePoint, makeSum, makeSummary } from '../fixtures/otlp-metrics.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestCollector({ grpc: { port: 0 } });
});
afterAll(async () => {
  await server.close();
});

/** Rows of the SQL console (POST /api/sql) as objects. */
async function sql(text: string): Promise<Record<string, unknown>[]> {
  const r = await api(server.url, '/api/sql', { method: 'POST', json: { sql: text } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.rows.map((row: unknown[]) => Object.fromEntries(r.body.columns.map((c: { name: string }, i: number) => [c.name, row[i]])));
}

/** A reader that collects on demand, so the test hands the collection to the exporter itself. */
class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

describe.each([
  ['gRPC', (s: RunningServer): PushMetricExporter => new GrpcExporter({ url: `http://127.0.0.1:${s.grpcPort}` })],
  ['HTTP protobuf', (s: RunningServer): PushMetricExporter => new ProtoExporter({ url: `${s.url}/v1/metrics` })],
  ['HTTP JSON', (s: RunningServer): PushMetricExporter => new JsonExporter({ url: `${s.url}/v1/metrics` })],
])('the metrics SDK with the official %s exporter', (transport, makeExporter) => {
  // These read what landed through the SQL console in DuckDB's dialect (->>, ::VARCHAR of a NULL,
  // arg_max, the metric_exemplars view); on ClickHouse the console speaks ClickHouse's, and
  // metrics-api.test.ts checks every kind, summaries and exemplars through the metrics routes.
  it.skipIf(onClickHouse)('exports every kind of metric without an error, and each lands in the metrics view', async () => {
    const service = `metrics-${transport.replace(' ', '-')}`;
    const reader = new OnDemandReader();
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment': 'test' }),
      readers: [reader],
      views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    });
    const meter = provider.getMeter('shop.meter', '3.1.0');
    meter.createCounter('orders.placed', { unit: '{order}', description: 'orders placed' }).add(3, { route: '/checkout' });
    meter.createUpDownCounter('queue.depth').add(-2, { queue: 'mail' });
    meter.createHistogram('checkout.duration', { unit: 'ms' }).record(120, { route: '/checkout' });
    meter.createHistogram('payload.size', { unit: 'By' }).record(2048, { route: '/upload' });
    meter.createGauge('cpu.temperature').record(61.5, { core: '0' });
    meter.createObservableGauge('memory.used').addCallback((result) => result.observe(512, { pool: 'heap' }));

    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    const exporter = makeExporter(server);
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(resourceMetrics, resolve));
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0); // ExportResultCode.SUCCESS

    const rows = await sql(`
      SELECT name, type, temporality, is_monotonic, unit, value, count, sum,
             attributes::VARCHAR AS attributes, resource_attributes->>'$."deployment.environment"' AS env,
             scope_name, scope_version, buckets->>'$.scale' IS NOT NULL AS has_scale
      FROM metrics WHERE service_name = '${service}' ORDER BY name`);
    expect(rows).toEqual([
      { name: 'checkout.duration', type: 'histogram', temporality: 'cumulative', is_monotonic: null, unit: 'ms', value: null, count: '1', sum: 120, attributes: '{"route":"/checkout"}', env: 'test', scope_name: 'shop.meter', scope_version: '3.1.0', has_scale: false },
      { name: 'cpu.temperature', type: 'gauge', temporality: null, is_monotonic: null, unit: null, value: 61.5, count: null, sum: null, attributes: '{"core":"0"}', env: 'test', scope_name: 'shop.meter', scope_version: '3.1.0', has_scale: false },
      { name: 'memory.used', type: 'gauge', temporality: null, is_monotonic: null, unit: null, value: 512, count: null, sum: null, attributes: '{"pool":"heap"}', env: 'test', scope_name: 'shop.meter', scope_version: '3.1.0', has_scale: false },
      { name: 'orders.placed', type: 'sum', temporality: 'cumulative', is_monotonic: true, unit: '{order}', value: 3, count: null, sum: null, attributes: '{"route":"/checkout"}', env: 'test', scope_name: 'shop.meter', scope_version: '3.1.0', has_scale: false },
      { name: 'payload.size', type: 'exponential_histogram', temporality: 'cumulative', is_monotonic: null, unit: 'By', value: null, count: '1', sum: 2048, attributes: '{"route":"/upload"}', env: 'test', scope_name: 'shop.meter', scope_version: '3.1.0', has_scale: true },
      { name: 'queue.depth', type: 'sum', temporality: 'cumulative', is_monotonic: false, unit: null, value: -2, count: null, sum: null, attributes: '{"queue":"mail"}', env: 'test', scope_name: 'shop.meter', scope_version: '3.1.0', has_scale: false },
    ]);
    await exporter.shutdown();
    await provider.shutdown();
  });
});

describe('raw OTLP metrics', () => {
  const request = makeMetricsRequest([
    makeSum('orders.value', [makePoint({ asDouble: 99.5, exemplars: [makeExemplar()] })]),
    makeSummary('rpc.duration', [makePoint({ count: '4', sum: 10, quantileValues: [{ quantile: 0.5, value: 2 }, { quantile: 1, value: 4 }] })]),
  ], { resourceAttributes: [strAttr('service.name', 'raw-metrics')] });

  // DuckDB's dialect and its metric_exemplars view, as above.
  it.skipIf(onClickHouse)('stores summaries and exemplars whose trace and span ids lead to the span, once however often they are sent', async () => {
    await api(server.url, '/v1/traces', { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(encodeTraceProtobuf(makeTraceRequest([makeOtlpSpan({ parentSpanId: undefined })]))) });
    const body = encodeMetricsProtobuf(request);
    expect((await rawExport(`127.0.0.1:${server.grpcPort}`, 'metrics', body)).code).toBe(Status.OK);
    expect((await rawExport(`127.0.0.1:${server.grpcPort}`, 'metrics', body)).code).toBe(Status.OK);
    const posted = await api(server.url, '/v1/metrics', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from(encodeJson(request)) });
    expect(posted.status).toBe(200);

    const rows = await sql(`SELECT name, type, count, sum, buckets::VARCHAR AS buckets FROM metrics WHERE service_name = 'raw-metrics' ORDER BY name`);
    expect(rows).toEqual([
      { name: 'orders.value', type: 'sum', count: null, sum: null, buckets: null },
      { name: 'rpc.duration', type: 'summary', count: '4', sum: 10, buckets: '{"quantiles":[{"quantile":0.5,"value":2},{"quantile":1,"value":4}]}' },
    ]);
    const viaExemplar = await sql(`
      SELECT x.trace_id, x.span_id, x.value, x.filtered_attributes::VARCHAR AS filtered, s.name AS span_name
      FROM metric_exemplars x JOIN spans s USING (trace_id, span_id) WHERE x.name = 'orders.value'`);
    expect(viaExemplar).toEqual([{ trace_id: TRACE_ID, span_id: SPAN_ID, value: 42.5, filtered: '{"user":"bob"}', span_name: "I'm a server span" }]);
    expect(await sql(`SELECT exemplars->0->>'$.traceId' AS t FROM metrics WHERE name = 'orders.value'`)).toEqual([{ t: TRACE_ID }]);
  });

  it('answers OTLP/JSON with partial_success naming the rejected points', async () => {
    const mixed = makeMetricsRequest([makeSum('s', [makePoint({ asDouble: 1 }), makePoint({ asDouble: 2, timeUnixNano: undefined })])],
      { resourceAttributes: [strAttr('service.name', 'partial-metrics')] });
    const r = await api(server.url, '/v1/metrics', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from(encodeJson(mixed)) });
    expect(r.status).toBe(200);
    expect(r.body.partialSuccess.rejectedDataPoints).toBe('1');
    expect(r.body.partialSuccess.errorMessage).toMatch(/dataPoints\[1\]: timeUnixNano is missing/);
    expect(await sql(`SELECT count(*)::INTEGER AS n FROM metrics WHERE service_name = 'partial-metrics'`)).toEqual([{ n: 1 }]);
  });

  // The README's queries are DuckDB's (arg_max, metric_exemplars).
  it.skipIf(onClickHouse)("runs the README's metrics queries in the SQL console", async () => {
    expect(await sql(`SELECT attributes::VARCHAR AS a, arg_max(value, time) AS latest
      FROM metrics WHERE name = 'orders.value' GROUP BY attributes`)).toEqual([{ a: '{"route":"/a"}', latest: 99.5 }]);
    expect(await sql(`SELECT x.value, s.name, s.duration_ms, s.trace_id
      FROM metric_exemplars x JOIN spans s USING (trace_id, span_id)
      WHERE x.name = 'orders.value' ORDER BY x.value DESC LIMIT 20`)).toEqual([{ value: 42.5, name: "I'm a server span", duration_ms: 1000, trace_id: TRACE_ID }]);
  });
});
