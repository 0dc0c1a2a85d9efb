/**
 * The reads behind the viewer's Metrics page, for every engine: every metric name per service,
 * and one metric over a time range as bucketed series (one per stream, the busiest read, the
 * highest shown) with the exemplars that lead to traces. A metric never sent is undefined, not an
 * empty answer; a metric without points in the range is an empty one. A metric is read as its
 * newest point's type and temporality say (points of an instrument since changed are left out).
 * Each engine answers four named queries in its own SQL (DuckDB: metric-reads-sql.ts; ClickHouse:
 * clickhouse/metrics-sql.ts) with the same columns; the series arithmetic is metric-series.ts.
 */
import { METRIC_TYPE, type MetricType } from './metric-rows.js';
import { buildSeries, distinguishingResources, measuresOf, peakOf, TEMPORALITY, type BucketRow, type MetricMeasure } from './metric-series.js';

export { TEMPORALITY, type MetricMeasure } from './metric-series.js';

/** A metric's newest shape. Temporality as stored: 0 unspecified, 1 delta, 2 cumulative. */
export interface MetricShapeRecord {
  type: MetricType;
  unit: string | null;
  description: string | null;
  temporality: number;
  monotonic: boolean | null;
  points: number;
  firstNs: bigint;
  lastNs: bigint;
}

export interface MetricListRecord extends MetricShapeRecord {
  serviceName: string;
  name: string;
  /** Streams: resource, scope and point attributes. */
  streams: number;
  /** The newest point's value (gauges and sums; of one of the streams when there are several). */
  lastValue: number | null;
  exemplars: number;
}

export interface SeriesRequest {
  service: string;
  name: string;
  fromNs: bigint;
  toNs: bigint;
  bucketNs: bigint;
  /** Series answered at most (the highest peaks); exemplars per bucket at most; exemplars in all. */
  maxSeries: number;
  exemplarsPerBucket: number;
  maxExemplars: number;
}

export interface SeriesRecord {
  attributes: Record<string, unknown>;
  /** The resource attributes that tell this series from another with the same attributes. */
  resource: Record<string, unknown>;
  values: Partial<Record<MetricMeasure, Array<number | null>>>;
}

export interface ExemplarRecord {
  traceId: string;
  spanId: string | null;
  timeNs: bigint;
  value: number | null;
  /** The point's attributes (which series it belongs to) and the exemplar's own. */
  attributes: Record<string, unknown>;
  filteredAttributes: Record<string, unknown>;
}

export interface MetricSeriesRecord {
  shape: MetricShapeRecord;
  measures: MetricMeasure[];
  firstBucketNs: bigint;
  bucketNs: bigint;
  buckets: number;
  series: SeriesRecord[];
  /** Streams with points in the range, shown or not. */
  totalSeries: number;
  exemplars: ExemplarRecord[];
  /** Exemplars with a trace id in the range, returned or not. */
  totalExemplars: number;
}

/** Streams read before the highest are picked (by number of points in the range). */
export const MAX_STREAMS_READ = 200;
/** How far past the range a point is read for its exemplars (exported after they were taken). */
const EXEMPLAR_SLACK_NS = 300_000_000_000n;

type Row = Record<string, unknown>;

/** The queries an engine answers for these reads, each with the named parameters given below. */
export type MetricQueryName = 'list' | 'info' | 'buckets' | 'exemplars';
/** Runs one of them: the rows, with the columns the DuckDB SQL (metric-reads-sql.ts) names. */
export type MetricQuery = (which: MetricQueryName, params: Record<string, string | number | bigint | boolean>) => Promise<Row[]>;

/** A bigint from either engine's column (DuckDB: bigint; ClickHouse's JSON: a decimal string). */
const big = (v: unknown): bigint => BigInt(v as bigint | string);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function json(text: unknown): Record<string, unknown> {
  try {
    const v = JSON.parse(String(text)) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function shapeOf(r: Row): MetricShapeRecord {
  return {
    type: Number(r.type) as MetricType,
    unit: strOrNull(r.unit),
    description: strOrNull(r.description),
    temporality: Number(r.temporality),
    monotonic: r.is_monotonic === null || r.is_monotonic === undefined ? null : Boolean(r.is_monotonic),
    points: Number(r.points),
    firstNs: big(r.first_ns),
    lastNs: big(r.last_ns),
  };
}

export class MetricReads {
  constructor(private readonly rows: MetricQuery) {}

  /** Every metric per service with points in the range, by service then name. */
  async list(range: { fromNs: bigint; toNs: bigint }): Promise<MetricListRecord[]> {
    const rows = await this.rows('list', { from_ns: range.fromNs, to_ns: range.toNs });
    return rows.map((r) => ({
      ...shapeOf(r),
      serviceName: String(r.service_name),
      name: String(r.name),
      streams: Number(r.streams),
      lastValue: numOrNull(r.last_value),
      exemplars: Number(r.exemplars ?? 0),
    }));
  }

  /** One metric over a range as bucketed series and exemplars; undefined when it was never sent. */
  async series(q: SeriesRequest): Promise<MetricSeriesRecord | undefined> {
    const [info] = await this.rows('info', { service: q.service, name: q.name });
    if (!info) return undefined;
    const shape = shapeOf(info);
    const firstBucketNs = (q.fromNs / q.bucketNs) * q.bucketNs;
    const buckets = Number((q.toNs / q.bucketNs) * q.bucketNs - firstBucketNs) / Number(q.bucketNs) + 1;
    // One bucket before the first shown: cumulative values need the point before to subtract.
    const readFromNs = firstBucketNs - q.bucketNs > 0n ? firstBucketNs - q.bucketNs : 0n;
    const isDeltaDistribution = shape.temporality === TEMPORALITY.delta && (shape.type === METRIC_TYPE.histogram || shape.type === METRIC_TYPE.exponential_histogram);
    const [bucketRows, exemplarRows] = await Promise.all([
      this.rows('buckets', {
        service: q.service, name: q.name, type: shape.type, temporality: shape.temporality,
        lo_ns: readFromNs, hi_ns: q.toNs, bucket_ns: q.bucketNs, max_streams: MAX_STREAMS_READ, all_buckets: isDeltaDistribution,
      }),
      this.rows('exemplars', {
        service: q.service, name: q.name, type: shape.type, from_ns: q.fromNs, to_ns: q.toNs, slack_ns: EXEMPLAR_SLACK_NS,
        bucket_ns: q.bucketNs, per_bucket: q.exemplarsPerBucket, limit: q.maxExemplars,
      }),
    ]);
    const measures = measuresOf(shape.type, shape.temporality, shape.monotonic);
    const streams = buildSeries(bucketRows.map(toBucketRow), {
      type: shape.type, temporality: shape.temporality, monotonic: shape.monotonic,
      firstBucketNs, bucketNs: q.bucketNs, buckets, readFromNs,
    });
    // The highest series are the ones a chart is opened for (the busiest route, the slowest).
    const shown = streams
      .map((s) => ({ s, peak: peakOf(s, measures[0]) }))
      .sort((a, b) => b.peak - a.peak || a.s.stream - b.s.stream)
      .slice(0, q.maxSeries)
      .map(({ s }) => s);
    const resources = distinguishingResources(shown.map((s) => json(s.resourceAttributes)));
    return {
      shape,
      measures,
      firstBucketNs,
      bucketNs: q.bucketNs,
      buckets,
      series: shown.map((s, k) => ({ attributes: json(s.attributes), resource: resources[k], values: s.values })),
      totalSeries: bucketRows.length > 0 ? Number(bucketRows[0].total_streams) : 0,
      exemplars: exemplarRows.map((r) => ({
        traceId: String(r.trace_id),
        spanId: strOrNull(r.span_id),
        timeNs: big(r.at_ns),
        value: numOrNull(r.value),
        attributes: json(r.attributes),
        filteredAttributes: json(r.filtered_attributes),
      })),
      totalExemplars: exemplarRows.length > 0 ? Number(exemplarRows[0].total) : 0,
    };
  }
}

function toBucketRow(r: Row): BucketRow {
  return {
    stream: Number(r.stream),
    resourceAttributes: String(r.resource_attributes),
    attributes: String(r.attributes),
    bucketNs: big(r.bucket_ns),
    lastNs: big(r.last_ns),
    lastStartNs: r.last_start_ns === null ? null : big(r.last_start_ns),
    lastValue: numOrNull(r.last_value),
    lastCount: numOrNull(r.last_count),
    lastSum: numOrNull(r.last_sum),
    lastBuckets: strOrNull(r.last_buckets),
    totalValue: numOrNull(r.total_value),
    totalCount: numOrNull(r.total_count),
    totalSum: numOrNull(r.total_sum),
    coveredNs: numOrNull(r.covered_ns),
    allBuckets: Array.isArray(r.all_buckets) ? (r.all_buckets as unknown[]).map(String) : null,
  };
}
