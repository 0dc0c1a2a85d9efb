/**
 * A metric's bucket rows (metric-reads-sql.ts: per stream and bucket, the newest point and the
 * totals) → what a chart draws, per stream one array per measure, aligned with the buckets:
 *
 * - gauge, and a cumulative sum that is not monotonic (a level): `value`, the newest in the bucket;
 * - monotonic sum: `rate`, increase per second — for cumulative points the difference between
 *   the bucket's newest point and the one before (a lower value or a new start time is a reset,
 *   counted from zero), over the time between them; for delta points their total over the time
 *   they cover;
 * - delta sum that is not monotonic: `change`, the bucket's total;
 * - histograms (explicit and exponential) and summaries: `p95`, `p50` (estimated from the
 *   bucket's counts; a summary's own quantiles), `avg` (sum / count) and `rate` (values
 *   recorded per second), from the bucket's points the same way as sums.
 *
 * The rows include one bucket before the first shown, so the first shown bucket has a point to
 * subtract from. Pure code, no DuckDB.
 */
import { mergeDistributions, parseDistribution, quantile, subtractDistribution, type Distribution } from './metric-distribution.js';
import { METRIC_TYPE, type MetricType } from './metric-rows.js';

export type MetricMeasure = 'value' | 'rate' | 'change' | 'p95' | 'p50' | 'avg';

/** AggregationTemporality as metric_data stores it. */
export const TEMPORALITY = { unspecified: 0, delta: 1, cumulative: 2 } as const;

/** What a metric's chart can show, the first by default. */
export function measuresOf(type: MetricType, temporality: number, monotonic: boolean | null): MetricMeasure[] {
  if (type === METRIC_TYPE.gauge) return ['value'];
  if (type === METRIC_TYPE.sum) return monotonic ? ['rate'] : temporality === TEMPORALITY.delta ? ['change'] : ['value'];
  return ['p95', 'p50', 'avg', 'rate'];
}

/** One (stream, bucket) row as the bucket query reads it. */
export interface BucketRow {
  stream: number;
  resourceAttributes: string;
  attributes: string;
  bucketNs: bigint;
  lastNs: bigint;
  lastStartNs: bigint | null;
  lastValue: number | null;
  lastCount: number | null;
  lastSum: number | null;
  lastBuckets: string | null;
  totalValue: number | null;
  totalCount: number | null;
  totalSum: number | null;
  /** Time the bucket's points cover (time − start), summed; null when a point has no start. */
  coveredNs: number | null;
  /** Every point's buckets text (delta histograms only). */
  allBuckets: string[] | null;
}

export interface StreamSeries {
  stream: number;
  resourceAttributes: string;
  attributes: string;
  values: Partial<Record<MetricMeasure, Array<number | null>>>;
}

export interface SeriesShape {
  type: MetricType;
  temporality: number;
  monotonic: boolean | null;
  /** First shown bucket, bucket width, number of buckets shown. */
  firstBucketNs: bigint;
  bucketNs: bigint;
  buckets: number;
  /** Start of what was read (one bucket before the first shown): a run that began since began at zero. */
  readFromNs: bigint;
}

/** A cumulative point reduced to what differences need. */
interface Cumulative { ns: bigint; start: bigint | null; value: number; sum: number; dist: Distribution | null }

/** What happened between two cumulative points of a stream: the increase and the time it took. */
interface Step { value: number; sum: number; dist: Distribution | null; seconds: number }

function step(prev: Cumulative | null, cur: Cumulative, readFromNs: bigint): Step | null {
  if (prev) {
    const sameRun = (cur.start === null || prev.start === null || cur.start === prev.start) && cur.value >= prev.value;
    const dist = sameRun && cur.dist && prev.dist ? subtractDistribution(cur.dist, prev.dist) : null;
    if (sameRun && (cur.dist === null || dist !== null)) {
      return { value: cur.value - prev.value, sum: cur.sum - prev.sum, dist, seconds: Number(cur.ns - prev.ns) / 1e9 };
    }
  }
  // A new run (a reset, or a stream that started inside what was read) counts from zero at its start.
  const startsAfter = prev ? prev.ns : readFromNs;
  const from = cur.start !== null && cur.start >= startsAfter && cur.start < cur.ns ? cur.start : prev ? prev.ns : null;
  if (from === null) return null;
  return { value: cur.value, sum: cur.sum, dist: cur.dist, seconds: Number(cur.ns - from) / 1e9 };
}

const perSecond = (n: number | null, seconds: number): number | null => (n === null || !(seconds > 0) ? null : n / seconds);
const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

function summaryQuantile(text: string | null, q: number): number | null {
  if (!text) return null;
  try {
    const list = (JSON.parse(text) as { quantiles?: Array<{ quantile: number; value: number }> }).quantiles ?? [];
    const hit = list.find((x) => Math.abs(Number(x.quantile) - q) < 1e-9);
    return hit === undefined ? null : Number(hit.value);
  } catch {
    return null;
  }
}

/** One stream's rows (in bucket order) → its measures per shown bucket. */
function streamValues(rows: BucketRow[], shape: SeriesShape): StreamSeries['values'] {
  const measures = measuresOf(shape.type, shape.temporality, shape.monotonic);
  const values: StreamSeries['values'] = {};
  for (const m of measures) values[m] = new Array<number | null>(shape.buckets).fill(null);
  const set = (m: MetricMeasure, i: number, v: number | null) => {
    if (values[m] && v !== null && Number.isFinite(v)) values[m]![i] = v;
  };
  const isDistribution = shape.type === METRIC_TYPE.histogram || shape.type === METRIC_TYPE.exponential_histogram;
  const isDelta = shape.temporality === TEMPORALITY.delta && shape.type !== METRIC_TYPE.summary;
  const bucketSeconds = Number(shape.bucketNs) / 1e9;
  let prev: Cumulative | null = null;
  for (const r of rows) {
    const i = Number((r.bucketNs - shape.firstBucketNs) / shape.bucketNs);
    const shown = r.bucketNs >= shape.firstBucketNs && i < shape.buckets;
    const seconds = r.coveredNs !== null && r.coveredNs > 0 ? r.coveredNs / 1e9 : bucketSeconds;
    if (measures[0] === 'value') {
      if (shown) set('value', i, r.lastValue);
      continue;
    }
    if (measures[0] === 'change' || (isDelta && shape.type === METRIC_TYPE.sum)) {
      if (shown) set(measures[0], i, measures[0] === 'rate' ? perSecond(r.totalValue, seconds) : r.totalValue);
      continue;
    }
    if (isDelta) {
      // Delta histograms: the bucket's points together.
      if (!shown) continue;
      const count = r.totalCount ?? 0;
      set('rate', i, perSecond(count, seconds));
      set('avg', i, ratio(r.totalSum ?? 0, count));
      const dist = mergeDistributions((r.allBuckets ?? []).map(parseDistribution));
      set('p50', i, quantile(dist, 0.5));
      set('p95', i, quantile(dist, 0.95));
      continue;
    }
    const isSum = shape.type === METRIC_TYPE.sum;
    const cur: Cumulative = {
      ns: r.lastNs,
      start: r.lastStartNs,
      value: (isSum ? r.lastValue : r.lastCount) ?? 0,
      sum: r.lastSum ?? 0,
      dist: isDistribution ? parseDistribution(r.lastBuckets) : null,
    };
    const s = step(prev, cur, shape.readFromNs);
    prev = cur;
    if (!shown) continue;
    if (isSum) {
      set('rate', i, s ? perSecond(s.value, s.seconds) : null);
      continue;
    }
    if (s) {
      set('rate', i, perSecond(s.value, s.seconds));
      set('avg', i, ratio(s.sum, s.value));
    }
    if (isDistribution) {
      if (s?.dist) {
        set('p50', i, quantile(s.dist, 0.5));
        set('p95', i, quantile(s.dist, 0.95));
      }
    } else {
      // Summaries carry their own quantiles, over whatever window the sender keeps.
      set('p50', i, summaryQuantile(r.lastBuckets, 0.5));
      set('p95', i, summaryQuantile(r.lastBuckets, 0.95));
    }
  }
  return values;
}

/** The bucket rows of several streams (ordered by stream, then bucket) → one series per stream. */
export function buildSeries(rows: BucketRow[], shape: SeriesShape): StreamSeries[] {
  const out: StreamSeries[] = [];
  let from = 0;
  for (let k = 1; k <= rows.length; k++) {
    if (k < rows.length && rows[k].stream === rows[from].stream) continue;
    const group = rows.slice(from, k);
    out.push({ stream: group[0].stream, resourceAttributes: group[0].resourceAttributes, attributes: group[0].attributes, values: streamValues(group, shape) });
    from = k;
  }
  return out;
}

/** The highest value of a series' first measure; -Infinity when it has none. */
export function peakOf(series: StreamSeries, measure: MetricMeasure): number {
  let peak = -Infinity;
  for (const v of series.values[measure] ?? []) if (v !== null && v > peak) peak = v;
  return peak;
}

/**
 * The resource attributes that tell series apart: those whose value is not the same in every
 * series' resource (service.instance.id of two instances, say); {} for each when there is one resource.
 */
export function distinguishingResources(resources: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const keys = new Set(resources.flatMap((r) => Object.keys(r)));
  const differing = [...keys].filter((k) => new Set(resources.map((r) => JSON.stringify(r[k] ?? null))).size > 1);
  return resources.map((r) => Object.fromEntries(differing.filter((k) => k in r).map((k) => [k, r[k]])));
}
