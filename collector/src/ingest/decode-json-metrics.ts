/**
 * OTLP/JSON ExportMetricsServiceRequest bodies → the decoded shapes of otlp-metrics-model.ts,
 * by the same rules as decode-json.ts (whose field readers it uses): lowerCamelCase names
 * (snake_case accepted), ids as hex text, enums as numbers or names, 64-bit integers as
 * numbers or decimal text, doubles as numbers or text ("NaN", "Infinity", "1.5"), unknown
 * fields ignored, a field of the wrong JSON type undecodable (coded 400 naming the field).
 */
import { arr, each, enumOf, fail, get, id, obj, parseBody, resource, str, u32, u64, withinStack } from './decode-json.js';
import { keyValues } from './decode-json-values.js';
import type {
  BucketsIn, DoubleIn, ExemplarIn, ExponentialHistogramDataPointIn, HistogramDataPointIn, MetricIn, MetricScopeIn,
  MetricsRequestIn, NumberDataPointIn, ResourceMetricsIn, ScopeMetricsIn, SummaryDataPointIn, ValueAtQuantileIn,
} from './otlp-metrics-model.js';

type Obj = Record<string, unknown>;

const TEMPORALITIES: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0, AGGREGATION_TEMPORALITY_DELTA: 1, AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};
const SIGNED = /^-?\d{1,20}$/;
const DOUBLE_TEXT = /^(NaN|-?Infinity|-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)$/;

function i64(v: unknown, path: string, field: string): number | string | null {
  if (v == null) return null;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && SIGNED.test(v)) return v;
  return fail(path, 'must be a 64-bit integer (number or decimal text)', field);
}

function i32(v: unknown, path: string, field: string): number | null {
  if (v == null) return null;
  const n = typeof v === 'string' && SIGNED.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) fail(path, 'must be a 32-bit integer', field);
  return n;
}

function double(v: unknown, path: string, field: string): DoubleIn | null {
  if (v == null) return null;
  if (typeof v === 'number' || (typeof v === 'string' && DOUBLE_TEXT.test(v))) return v;
  return fail(path, 'must be a number', field);
}

function bool(v: unknown, path: string, field: string): boolean | null {
  if (v == null) return null;
  if (typeof v !== 'boolean') fail(path, 'must be true or false', field);
  return v;
}

function list<T>(v: unknown, path: string, field: string, one: (x: unknown, p: string, f: string) => T | null): T[] | null {
  const a = arr(v, path, field);
  if (a === null) return null;
  return a.map((x, i) => one(x, path, `${field}[${i}]`) ?? fail(path, 'must not hold null', `${field}[${i}]`));
}

function exemplar(o: Obj, p: string): ExemplarIn {
  return {
    filteredAttributes: keyValues(get(o, 'filteredAttributes', 'filtered_attributes'), `${p}.filteredAttributes`),
    timeUnixNano: u64(get(o, 'timeUnixNano', 'time_unix_nano'), p, 'timeUnixNano'),
    asDouble: double(get(o, 'asDouble', 'as_double'), p, 'asDouble'),
    asInt: i64(get(o, 'asInt', 'as_int'), p, 'asInt'),
    spanId: id(get(o, 'spanId', 'span_id'), p, 'spanId'),
    traceId: id(get(o, 'traceId', 'trace_id'), p, 'traceId'),
  };
}

/** The fields every kind of point has. */
function point(o: Obj, p: string) {
  return {
    attributes: keyValues(o.attributes, `${p}.attributes`),
    startTimeUnixNano: u64(get(o, 'startTimeUnixNano', 'start_time_unix_nano'), p, 'startTimeUnixNano'),
    timeUnixNano: u64(get(o, 'timeUnixNano', 'time_unix_nano'), p, 'timeUnixNano'),
    flags: u32(o.flags, p, 'flags'),
    exemplars: each(arr(o.exemplars, p, 'exemplars'), p, 'exemplars', exemplar),
  };
}

function numberPoint(o: Obj, p: string): NumberDataPointIn {
  return { ...point(o, p), asDouble: double(get(o, 'asDouble', 'as_double'), p, 'asDouble'), asInt: i64(get(o, 'asInt', 'as_int'), p, 'asInt') };
}

/** count, sum, min, max. */
function statistics(o: Obj, p: string) {
  return {
    count: u64(o.count, p, 'count'),
    sum: double(o.sum, p, 'sum'),
    min: double(o.min, p, 'min'),
    max: double(o.max, p, 'max'),
  };
}

function histogramPoint(o: Obj, p: string): HistogramDataPointIn {
  return {
    ...point(o, p),
    ...statistics(o, p),
    bucketCounts: list(get(o, 'bucketCounts', 'bucket_counts'), p, 'bucketCounts', u64),
    explicitBounds: list(get(o, 'explicitBounds', 'explicit_bounds'), p, 'explicitBounds', double),
  };
}

function buckets(o: Obj | null, p: string): BucketsIn | null {
  if (o === null) return null;
  return { offset: i32(o.offset, p, 'offset'), bucketCounts: list(get(o, 'bucketCounts', 'bucket_counts'), p, 'bucketCounts', u64) };
}

function exponentialPoint(o: Obj, p: string): ExponentialHistogramDataPointIn {
  return {
    ...point(o, p),
    ...statistics(o, p),
    scale: i32(o.scale, p, 'scale'),
    zeroCount: u64(get(o, 'zeroCount', 'zero_count'), p, 'zeroCount'),
    zeroThreshold: double(get(o, 'zeroThreshold', 'zero_threshold'), p, 'zeroThreshold'),
    positive: buckets(obj(o.positive, p, 'positive'), `${p}.positive`),
    negative: buckets(obj(o.negative, p, 'negative'), `${p}.negative`),
  };
}

function quantile(o: Obj, p: string): ValueAtQuantileIn {
  return { quantile: double(o.quantile, p, 'quantile'), value: double(o.value, p, 'value') };
}

function summaryPoint(o: Obj, p: string): SummaryDataPointIn {
  return {
    ...point(o, p),
    count: u64(o.count, p, 'count'),
    sum: double(o.sum, p, 'sum'),
    quantileValues: each(arr(get(o, 'quantileValues', 'quantile_values'), p, 'quantileValues'), p, 'quantileValues', quantile),
  };
}

function points<T>(o: Obj, p: string, one: (o: Obj, p: string) => T): T[] | null {
  return each(arr(get(o, 'dataPoints', 'data_points'), p, 'dataPoints'), p, 'dataPoints', one);
}

function temporality(o: Obj, p: string): number | null {
  return enumOf(get(o, 'aggregationTemporality', 'aggregation_temporality'), TEMPORALITIES, p, 'aggregationTemporality');
}

function metric(o: Obj, p: string): MetricIn {
  const gauge = obj(o.gauge, p, 'gauge');
  const sum = obj(o.sum, p, 'sum');
  const histogram = obj(o.histogram, p, 'histogram');
  const exponential = obj(get(o, 'exponentialHistogram', 'exponential_histogram'), p, 'exponentialHistogram');
  const summary = obj(o.summary, p, 'summary');
  return {
    name: str(o.name, p, 'name'),
    description: str(o.description, p, 'description'),
    unit: str(o.unit, p, 'unit'),
    gauge: gauge && { dataPoints: points(gauge, `${p}.gauge`, numberPoint) },
    sum: sum && {
      dataPoints: points(sum, `${p}.sum`, numberPoint),
      aggregationTemporality: temporality(sum, `${p}.sum`),
      isMonotonic: bool(get(sum, 'isMonotonic', 'is_monotonic'), `${p}.sum`, 'isMonotonic'),
    },
    histogram: histogram && { dataPoints: points(histogram, `${p}.histogram`, histogramPoint), aggregationTemporality: temporality(histogram, `${p}.histogram`) },
    exponentialHistogram: exponential && {
      dataPoints: points(exponential, `${p}.exponentialHistogram`, exponentialPoint),
      aggregationTemporality: temporality(exponential, `${p}.exponentialHistogram`),
    },
    summary: summary && { dataPoints: points(summary, `${p}.summary`, summaryPoint) },
  };
}

function scope(o: Obj | null, p: string): MetricScopeIn | null {
  if (o === null) return null;
  return { name: str(o.name, p, 'name'), version: str(o.version, p, 'version'), attributes: keyValues(o.attributes, `${p}.attributes`) };
}

function scopeMetrics(o: Obj, p: string): ScopeMetricsIn {
  return { scope: scope(obj(o.scope, p, 'scope'), `${p}.scope`), metrics: each(arr(o.metrics, p, 'metrics'), p, 'metrics', metric) };
}

function resourceMetrics(o: Obj, p: string): ResourceMetricsIn {
  return {
    resource: resource(obj(o.resource, p, 'resource'), `${p}.resource`),
    scopeMetrics: each(arr(get(o, 'scopeMetrics', 'scope_metrics'), p, 'scopeMetrics'), p, 'scopeMetrics', scopeMetrics),
  };
}

/** Decodes an OTLP/JSON ExportMetricsServiceRequest; throws FT_OTLP_UNDECODABLE when it is not one. */
export function decodeMetricsRequestJson(body: string | Uint8Array): MetricsRequestIn {
  const o = parseBody(body, 'ExportMetricsServiceRequest');
  return withinStack(() => ({
    resourceMetrics: each(arr(get(o, 'resourceMetrics', 'resource_metrics'), 'body', 'resourceMetrics'), 'body', 'resourceMetrics', resourceMetrics),
  }));
}
