/**
 * ExportMetricsServiceRequest (ResourceMetrics → ScopeMetrics → Metric → data points) → one
 * MetricRow per data point of a gauge, sum, histogram, exponential histogram or summary, with
 * the resource, scope and point attributes (capped as span attributes are) and the exemplars.
 * Invalid points are rejected one by one with a reason (partial_success.rejected_data_points);
 * a metric without data holds no point and adds nothing.
 */
import type { METRIC_TYPE as STORED_METRIC_TYPE, MetricRow } from '../storage/index.js';
import { capText, withTruncatedMark, type CutState } from './any-value-json.js';
import { attributesJson } from './attributes.js';
import { addError, emptyResult, finishErrors, INT64_MAX, resourceContext, textOrNull, type ConvertResult, type ResourceContext } from './convert-common.js';
import { int64Token, toUint64 } from './ids-and-times.js';
import { resolveCaps, type IngestCaps } from './ingest-caps.js';
import {
  countOf, doubleOf, exemplarsJson, exponentialBucketsJson, histogramBucketsJson, isRejection, quantilesJson, rejection,
  type Rejection,
} from './metric-values.js';
import type {
  DataPointIn, ExponentialHistogramDataPointIn, HistogramDataPointIn, MetricIn, MetricsRequestIn, NumberDataPointIn,
  SummaryDataPointIn,
} from './otlp-metrics-model.js';

/**
 * Storage's METRIC_TYPE numbers, written here so that ingest loads nothing of storage at run time
 * (it runs in the ingest workers, which must not load the database engines: workers/README.md);
 * `satisfies` holds the two equal, key for key and number for number.
 */
const METRIC_TYPE = { gauge: 1, sum: 2, histogram: 3, exponential_histogram: 4, summary: 5 } as const satisfies typeof STORED_METRIC_TYPE;

/** DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK: the point stands for a gap. */
const NO_RECORDED_VALUE = 1;

/** What the points of one metric share: the row's metric and scope fields, and its resource. */
type MetricContext = Pick<MetricRow,
  'scopeName' | 'scopeVersion' | 'scopeAttributes' | 'name' | 'description' | 'unit' | 'type' | 'temporality' | 'isMonotonic'>
  & { res: ResourceContext };

/** The value columns a point of one kind fills. */
type PointValues = Pick<MetricRow, 'value' | 'intValue' | 'count' | 'sum' | 'min' | 'max' | 'buckets' | 'exemplars'>;

/** Converts a decoded metrics request to data point rows; invalid points are explained. */
export function convertMetricsRequest(request: MetricsRequestIn, options?: Partial<IngestCaps>): ConvertResult {
  const caps = resolveCaps(options);
  const result = emptyResult();
  const rows: MetricRow[] = [];
  result.batch.metrics = rows;
  result.rejectedDataPoints = 0;
  const resourceMetrics = request.resourceMetrics ?? [];
  for (let r = 0; r < resourceMetrics.length; r++) {
    const rm = resourceMetrics[r];
    const res = resourceContext(rm.resource, caps);
    const scopeMetrics = rm.scopeMetrics ?? [];
    for (let s = 0; s < scopeMetrics.length; s++) {
      const sm = scopeMetrics[s];
      const scopeCut: CutState = { truncated: false, dropped: 0 };
      const scopeName = capText(textOrNull(sm.scope?.name), caps, scopeCut);
      const scopeVersion = capText(textOrNull(sm.scope?.version), caps, scopeCut);
      let scopeAttributes = attributesJson(sm.scope?.attributes, caps, scopeCut, {});
      if (scopeCut.truncated || scopeCut.dropped > 0) scopeAttributes = withTruncatedMark(scopeAttributes);
      const metrics = sm.metrics ?? [];
      for (let m = 0; m < metrics.length; m++) {
        const path = `resourceMetrics[${r}].scopeMetrics[${s}].metrics[${m}]`;
        convertMetric(metrics[m], path, { res, scopeName, scopeVersion, scopeAttributes }, caps, rows, result);
      }
    }
  }
  return finishErrors(result);
}

function convertMetric(
  metric: MetricIn, path: string, scope: Pick<MetricContext, 'res' | 'scopeName' | 'scopeVersion' | 'scopeAttributes'>,
  caps: IngestCaps, rows: MetricRow[], result: ConvertResult,
): void {
  const cut: CutState = { truncated: false, dropped: 0 };
  const base = {
    ...scope,
    name: capText(textOrNull(metric.name), caps, cut) ?? '',
    description: capText(textOrNull(metric.description), caps, cut),
    unit: capText(textOrNull(metric.unit), caps, cut),
  };
  const reject = (where: string, reason: string) => {
    result.rejectedDataPoints! += 1;
    addError(result, `${path}.${where}: ${reason}`);
  };
  const each = <P extends DataPointIn>(
    kind: string, points: P[] | null | undefined, ctx: MetricContext, values: (p: P) => PointValues | Rejection,
  ) => {
    const list = points ?? [];
    for (let i = 0; i < list.length; i++) {
      const row = base.name === '' ? rejection('the metric has no name') : pointRow(list[i], ctx, caps, values);
      if (isRejection(row)) reject(`${kind}.dataPoints[${i}]`, row.reason);
      else rows.push(row);
    }
  };
  const temporality = (t: number | null | undefined) => (typeof t === 'number' && t >= 0 && t <= 2 ? t : 0);
  if (metric.gauge != null) {
    each('gauge', metric.gauge.dataPoints, { ...base, type: METRIC_TYPE.gauge, temporality: 0, isMonotonic: null },
      (p) => numberValues(p, caps));
  } else if (metric.sum != null) {
    const sum = metric.sum;
    each('sum', sum.dataPoints, {
      ...base, type: METRIC_TYPE.sum, temporality: temporality(sum.aggregationTemporality), isMonotonic: sum.isMonotonic === true,
    }, (p) => numberValues(p, caps));
  } else if (metric.histogram != null) {
    each('histogram', metric.histogram.dataPoints, {
      ...base, type: METRIC_TYPE.histogram, temporality: temporality(metric.histogram.aggregationTemporality), isMonotonic: null,
    }, (p) => histogramValues(p, caps));
  } else if (metric.exponentialHistogram != null) {
    const eh = metric.exponentialHistogram;
    each('exponentialHistogram', eh.dataPoints, {
      ...base, type: METRIC_TYPE.exponential_histogram, temporality: temporality(eh.aggregationTemporality), isMonotonic: null,
    }, (p) => exponentialValues(p, caps));
  } else if (metric.summary != null) {
    each('summary', metric.summary.dataPoints, { ...base, type: METRIC_TYPE.summary, temporality: 0, isMonotonic: null },
      (p) => summaryValues(p));
  }
}

/** The row of one point: its times, attributes and flags, and the values of its kind. */
function pointRow<P extends DataPointIn>(
  p: P, ctx: MetricContext, caps: IngestCaps, values: (p: P) => PointValues | Rejection,
): MetricRow | Rejection {
  const time = toUint64(p.timeUnixNano);
  if (time === null || time === 0n) return rejection('timeUnixNano is missing');
  const start = toUint64(p.startTimeUnixNano);
  if (time > INT64_MAX || (start !== null && start > INT64_MAX)) return rejection('a time is out of range');
  if (start !== null && start > time) return rejection('startTimeUnixNano is after timeUnixNano');
  const v = values(p);
  if (isRejection(v)) return v;
  const cut: CutState = { truncated: false, dropped: 0 };
  let attributes = attributesJson(p.attributes, caps, cut, {});
  if (cut.truncated || cut.dropped > 0) attributes = withTruncatedMark(attributes);
  return {
    // Listed one by one: a spread here turns every row into a slow dictionary-mode object.
    serviceName: ctx.res.serviceName,
    resourceAttributes: ctx.res.resourceAttributes,
    scopeName: ctx.scopeName,
    scopeVersion: ctx.scopeVersion,
    scopeAttributes: ctx.scopeAttributes,
    name: ctx.name,
    description: ctx.description,
    unit: ctx.unit,
    type: ctx.type,
    temporality: ctx.temporality,
    isMonotonic: ctx.isMonotonic,
    attributes,
    startTimeUnixNano: start === null || start === 0n ? null : start,
    timeUnixNano: time,
    value: v.value,
    intValue: v.intValue,
    count: v.count,
    sum: v.sum,
    min: v.min,
    max: v.max,
    buckets: v.buckets,
    exemplars: v.exemplars,
    flags: typeof p.flags === 'number' ? p.flags >>> 0 : 0,
  };
}

const noValues = (): PointValues => ({ value: null, intValue: null, count: null, sum: null, min: null, max: null, buckets: null, exemplars: '[]' });

function numberValues(p: NumberDataPointIn, caps: IngestCaps): PointValues | Rejection {
  const out = noValues();
  if (p.asInt != null) {
    const tok = int64Token(p.asInt);
    if (tok === null) return rejection('asInt must be a 64-bit integer');
    out.intValue = BigInt(tok);
    out.value = Number(tok);
  } else {
    const d = doubleOf(p.asDouble, 'asDouble');
    if (isRejection(d)) return d;
    if (d === null && ((p.flags ?? 0) & NO_RECORDED_VALUE) === 0) return rejection('asDouble or asInt is required');
    out.value = d;
  }
  const exemplars = exemplarsJson(p.exemplars, caps, { truncated: false, dropped: 0 });
  if (isRejection(exemplars)) return exemplars;
  out.exemplars = exemplars;
  return out;
}

/** count, sum, min and max of a histogram-like point. */
function statistics(p: HistogramDataPointIn | ExponentialHistogramDataPointIn | SummaryDataPointIn, out: PointValues): Rejection | undefined {
  const count = countOf(p.count, 'count');
  if (isRejection(count)) return count;
  out.count = count ?? 0n;
  for (const field of ['sum', 'min', 'max'] as const) {
    const d = doubleOf((p as Record<string, unknown>)[field] as number | string | null | undefined, field);
    if (isRejection(d)) return d;
    out[field] = d;
  }
  return undefined;
}

function histogramValues(p: HistogramDataPointIn, caps: IngestCaps): PointValues | Rejection {
  const out = noValues();
  const bad = statistics(p, out);
  if (bad) return bad;
  const buckets = histogramBucketsJson(p.explicitBounds, p.bucketCounts);
  if (isRejection(buckets)) return buckets;
  out.buckets = buckets;
  const exemplars = exemplarsJson(p.exemplars, caps, { truncated: false, dropped: 0 });
  if (isRejection(exemplars)) return exemplars;
  out.exemplars = exemplars;
  return out;
}

function exponentialValues(p: ExponentialHistogramDataPointIn, caps: IngestCaps): PointValues | Rejection {
  const out = noValues();
  const bad = statistics(p, out);
  if (bad) return bad;
  const zeroCount = countOf(p.zeroCount, 'zeroCount');
  if (isRejection(zeroCount)) return zeroCount;
  const zeroThreshold = doubleOf(p.zeroThreshold, 'zeroThreshold');
  if (isRejection(zeroThreshold)) return zeroThreshold;
  const buckets = exponentialBucketsJson(p.scale, zeroCount, zeroThreshold, p.positive, p.negative);
  if (isRejection(buckets)) return buckets;
  out.buckets = buckets;
  const exemplars = exemplarsJson(p.exemplars, caps, { truncated: false, dropped: 0 });
  if (isRejection(exemplars)) return exemplars;
  out.exemplars = exemplars;
  return out;
}

function summaryValues(p: SummaryDataPointIn): PointValues | Rejection {
  const out = noValues();
  const bad = statistics(p, out);
  if (bad) return bad;
  // A summary has no min or max fields; statistics() read them as absent.
  const quantiles = quantilesJson(p.quantileValues);
  if (isRejection(quantiles)) return quantiles;
  out.buckets = quantiles;
  return out;
}
