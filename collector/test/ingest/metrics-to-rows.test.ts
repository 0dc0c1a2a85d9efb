/**
 * OTLP metrics → metric_data rows: every metric kind and field the converter maps, the same
 * rows from protobuf and from OTLP/JSON, and the rejections that become partial_success.
 */
import { describe, expect, it } from 'vitest';
import { opentelemetry } from '../../src/ingest/generated/otlp.js';
import { FlowtraceError } from '../../src/errors.js';
import { ingestMetrics } from '../../src/ingest/index.js';
import { successBody } from '../../src/ingest/otlp-response.js';
import { METRIC_TYPE } from '../../src/storage/index.js';
import { encodeJson, SPAN_ID, strAttr, TRACE_ID } from '../fixtures/otlp.js';
import {
  convertMetricsBothWays, encodeMetricsProtobuf, makeExemplar, makeExponentialHistogram, makeGauge, makeHistogram,
  makeMetricsRequest, makePoint, makeSum, makeSummary, POINT_START, POINT_TIME,
} from '../fixtures/otlp-metrics.js';

/** Converts both ways, checks both give the same, and returns the protobuf result. */
function convert(metrics: Record<string, unknown>[], options?: Parameters<typeof makeMetricsRequest>[1]) {
  const { proto, json } = convertMetricsBothWays(makeMetricsRequest(metrics, options));
  expect(json).toEqual(proto);
  return proto;
}

describe('metric data points', () => {
  it('keeps a gauge integer beyond 2^53 exactly, with resource, scope and point attributes', () => {
    const result = convert([makeGauge('queue.depth', [makePoint({ asInt: '9007199254740993' })])], {
      resourceAttributes: [strAttr('service.name', 'billing'), strAttr('host.name', 'h1')],
      scope: { name: 'my.meter', version: '2.0.0', attributes: [strAttr('scope.kind', 'test')] },
    });
    expect(result.batch.metrics).toHaveLength(1);
    expect(result.batch.metrics![0]).toMatchObject({
      serviceName: 'billing',
      resourceAttributes: '{"service.name":"billing","host.name":"h1"}',
      scopeName: 'my.meter', scopeVersion: '2.0.0', scopeAttributes: '{"scope.kind":"test"}',
      name: 'queue.depth', unit: '1', type: METRIC_TYPE.gauge, temporality: 0, isMonotonic: null,
      attributes: '{"route":"/a"}',
      startTimeUnixNano: BigInt(POINT_START), timeUnixNano: BigInt(POINT_TIME),
      intValue: 9007199254740993n, value: 9007199254740992, count: null, buckets: null, exemplars: '[]', flags: 0,
    });
  });

  it('keeps a monotonic cumulative sum with its description and a delta one as delta', () => {
    const result = convert([
      makeSum('http.requests', [makePoint({ asDouble: 3 })], 2, true),
      makeSum('queue.changes', [makePoint({ asDouble: -2.5 })], 1, false),
    ]);
    expect(result.batch.metrics!.map((m) => [m.name, m.type, m.temporality, m.isMonotonic, m.value, m.description, m.unit])).toEqual([
      ['http.requests', METRIC_TYPE.sum, 2, true, 3, 'http.requests total', '{request}'],
      ['queue.changes', METRIC_TYPE.sum, 1, false, -2.5, 'queue.changes total', '{request}'],
    ]);
  });

  it('keeps a histogram with its bounds, bucket counts, count, sum, min and max', () => {
    const point = makePoint({ count: '6', sum: 1234.5, min: 0.5, max: 900, explicitBounds: [10, 100, 1000], bucketCounts: ['1', '2', '3', '0'] });
    const [row] = convert([makeHistogram('latency', [point])]).batch.metrics!;
    expect(row).toMatchObject({ type: METRIC_TYPE.histogram, temporality: 2, count: 6n, sum: 1234.5, min: 0.5, max: 900, value: null });
    expect(JSON.parse(row.buckets!)).toEqual({ bounds: [10, 100, 1000], counts: [1, 2, 3, 0] });
  });

  it('keeps an exponential histogram with its scale, zero bucket and both bucket ranges', () => {
    const point = makePoint({
      count: '7', sum: 70, min: -3, max: 40, scale: 3, zeroCount: '1', zeroThreshold: 0.001,
      positive: { offset: -2, bucketCounts: ['1', '2', '1'] }, negative: { offset: 4, bucketCounts: ['2'] },
    });
    const [row] = convert([makeExponentialHistogram('payload.size', [point])]).batch.metrics!;
    expect(row).toMatchObject({ type: METRIC_TYPE.exponential_histogram, temporality: 1, count: 7n, sum: 70, min: -3, max: 40 });
    expect(JSON.parse(row.buckets!)).toEqual({
      scale: 3, zeroCount: 1, zeroThreshold: 0.001, positive: { offset: -2, counts: [1, 2, 1] }, negative: { offset: 4, counts: [2] },
    });
  });

  it('keeps a summary with its quantiles', () => {
    const point = makePoint({ count: '10', sum: 55, quantileValues: [{ quantile: 0.5, value: 5 }, { quantile: 0.99, value: 9.9 }] });
    const [row] = convert([makeSummary('rpc.duration', [point])]).batch.metrics!;
    expect(row).toMatchObject({ type: METRIC_TYPE.summary, count: 10n, sum: 55, min: null, max: null });
    expect(JSON.parse(row.buckets!)).toEqual({ quantiles: [{ quantile: 0.5, value: 5 }, { quantile: 0.99, value: 9.9 }] });
  });

  it('keeps exemplars with their trace and span ids as hex, value and filtered attributes', () => {
    const point = makePoint({ asDouble: 1, exemplars: [makeExemplar(), makeExemplar({ traceId: undefined, spanId: undefined, asDouble: undefined, asInt: '7' })] });
    const [row] = convert([makeSum('orders', [point])]).batch.metrics!;
    expect(JSON.parse(row.exemplars)).toEqual([
      { traceId: TRACE_ID, spanId: SPAN_ID, timeUnixNano: POINT_TIME, value: 42.5, filteredAttributes: { user: 'bob' } },
      { traceId: null, spanId: null, timeUnixNano: POINT_TIME, value: 7, filteredAttributes: { user: 'bob' } },
    ]);
  });

  it('keeps a point flagged "no recorded value" with a NULL value', () => {
    const [row] = convert([makeGauge('g', [makePoint({ flags: 1 })])]).batch.metrics!;
    expect(row).toMatchObject({ value: null, intValue: null, flags: 1 });
  });

  it('reads NaN and Infinity sent as OTLP/JSON text', () => {
    const request = makeMetricsRequest([
      makeGauge('g', [makePoint({ asDouble: 'NaN' })]),
      makeSummary('s', [makePoint({ count: '1', sum: 'Infinity', quantileValues: [{ quantile: 1, value: '-Infinity' }] })]),
    ]);
    const { json } = convertMetricsBothWays(request);
    const [gauge, summary] = json.batch.metrics!;
    expect(gauge.value).toBeNaN();
    expect(summary.sum).toBe(Infinity);
    expect(JSON.parse(summary.buckets!)).toEqual({ quantiles: [{ quantile: 1, value: '-Infinity' }] });
  });

  it('cuts a long point attribute to the cap and marks the point truncated', () => {
    const [row] = convert([makeGauge('g', [makePoint({ asDouble: 1, attributes: [strAttr('big', 'x'.repeat(100))] })])]).batch.metrics!;
    const { proto } = convertMetricsBothWays(makeMetricsRequest([makeGauge('g', [makePoint({ asDouble: 1, attributes: [strAttr('big', 'x'.repeat(100))] })])]), { maxValueBytes: 10 });
    expect(JSON.parse(row.attributes).big).toHaveLength(100);
    const cut = JSON.parse(proto.batch.metrics![0].attributes);
    expect(cut['flowtrace.truncated']).toBe(true);
    expect(cut.big.startsWith('xxxxxxxxxx')).toBe(true);
    expect(cut.big.length).toBeLessThan(100);
  });
});

describe('rejected data points', () => {
  it('rejects each invalid point with a reason naming it and keeps the valid ones', () => {
    const result = convert([
      makeGauge('g', [makePoint({ asDouble: 1 }), makePoint({ asDouble: 2, timeUnixNano: undefined })]),
      makeHistogram('h', [makePoint({ count: '1', explicitBounds: [1, 2], bucketCounts: ['1'] })]),
      makeSum('s', [makePoint({ asDouble: 1, exemplars: [makeExemplar({ traceId: 'abcd' })] })]),
      makeGauge('late', [makePoint({ asDouble: 1, startTimeUnixNano: '1800000000000000000' })]),
      makeGauge('', [makePoint({ asDouble: 1 })]),
      makeGauge('empty', [makePoint({})]),
      { name: 'no.data' },
    ]);
    expect(result.batch.metrics!.map((m) => m.name)).toEqual(['g']);
    expect(result.rejectedDataPoints).toBe(6);
    expect(result.errors).toEqual([
      'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[1]: timeUnixNano is missing',
      'resourceMetrics[0].scopeMetrics[0].metrics[1].histogram.dataPoints[0]: bucketCounts has 1 entries, explicitBounds 2 (need one more count than bounds)',
      'resourceMetrics[0].scopeMetrics[0].metrics[2].sum.dataPoints[0]: exemplars[0].traceId must be 16 bytes, got 2',
      'resourceMetrics[0].scopeMetrics[0].metrics[3].gauge.dataPoints[0]: startTimeUnixNano is after timeUnixNano',
      'resourceMetrics[0].scopeMetrics[0].metrics[4].gauge.dataPoints[0]: the metric has no name',
      'resourceMetrics[0].scopeMetrics[0].metrics[5].gauge.dataPoints[0]: asDouble or asInt is required',
    ]);
  });

  it('refuses a request whose every point is invalid with FT_OTLP_INVALID', () => {
    const body = encodeMetricsProtobuf(makeMetricsRequest([makeGauge('g', [makePoint({ timeUnixNano: undefined, asDouble: 1 })])]));
    expect(() => ingestMetrics(body, 'protobuf')).toThrow(expect.objectContaining({ code: 'FT_OTLP_INVALID', statusCode: 400 }));
  });

  it('refuses bytes that are not an ExportMetricsServiceRequest with FT_OTLP_UNDECODABLE', () => {
    let error: unknown;
    try {
      ingestMetrics(Uint8Array.from([0x0a, 0xff, 0xff, 0xff]), 'protobuf');
    } catch (e) {
      error = e;
    }
    expect(error instanceof FlowtraceError && error.code).toBe('FT_OTLP_UNDECODABLE');
  });

  it('names the field of the wrong JSON type', () => {
    const body = encodeJson(makeMetricsRequest([makeSum('s', [makePoint({ asInt: 'lots' })])]));
    expect(() => ingestMetrics(body, 'json')).toThrow(/metrics\[0\]\.sum\.dataPoints\[0\]\.asInt must be a 64-bit integer/);
  });

  it('answers rejected points in partial_success.rejected_data_points, in protobuf and JSON', () => {
    const Response = opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
    const decoded = Response.decode(successBody('metrics', 'protobuf', { rejected: 2, message: 'two bad' }) as Buffer);
    expect(Number(decoded.partialSuccess!.rejectedDataPoints)).toBe(2);
    expect(decoded.partialSuccess!.errorMessage).toBe('two bad');
    expect(successBody('metrics', 'json', { rejected: 2, message: 'two bad' })).toEqual({ partialSuccess: { rejectedDataPoints: '2', errorMessage: 'two bad' } });
    expect((successBody('metrics', 'protobuf', undefined) as Buffer).length).toBe(0);
  });
});
