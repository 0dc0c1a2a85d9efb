/**
 * The Metrics page's reads on ClickHouse (the contract's MetricStore): metric names per service,
 * one metric's bucketed series and exemplars. The SQL (metrics-sql.ts) gives one row per stream
 * and bucket; the series are built by the same engine-neutral code as on DuckDB
 * (metric-series.ts), so a chart means the same on both engines.
 */
import type { MetricListRecord, MetricSeriesRecord, MetricShapeRecord, SeriesRequest } from '../metric-reads.js';
import { METRIC_TYPE, type MetricType } from '../metric-rows.js';
import { buildSeries, distinguishingResources, measuresOf, peakOf, TEMPORALITY, type BucketRow } from '../metric-series.js';
import type { ClickHouseConnection, Row } from './connection.js';
import { metricBucketsSql, metricExemplarsSql, metricInfoSql, metricListSql } from './metrics-sql.js';
import type { Tables } from './tables.js';

const MAX_STREAMS_READ = 200;
const EXEMPLAR_SLACK_NS = 300_000_000_000n;

const big = (v: unknown): bigint => BigInt(v as string);
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

export class ClickHouseMetrics {
  constructor(private readonly conn: ClickHouseConnection, private readonly t: Tables) {}

  async list(range: { fromNs: bigint; toNs: bigint }): Promise<MetricListRecord[]> {
    const rows = await this.conn.query(metricListSql(this.t), { from_ns: range.fromNs.toString(), to_ns: range.toNs.toString() });
    return rows.map((r) => ({
      ...shapeOf(r),
      serviceName: String(r.service_name),
      name: String(r.name),
      streams: Number(r.streams),
      lastValue: numOrNull(r.last_value),
      exemplars: Number(r.exemplars ?? 0),
    }));
  }

  async series(q: SeriesRequest): Promise<MetricSeriesRecord | undefined> {
    const [info] = await this.conn.query(metricInfoSql(this.t), { service: q.service, name: q.name });
    if (!info) return undefined;
    const shape = shapeOf(info);
    const firstBucketNs = (q.fromNs / q.bucketNs) * q.bucketNs;
    const buckets = Number((q.toNs / q.bucketNs) * q.bucketNs - firstBucketNs) / Number(q.bucketNs) + 1;
    const readFromNs = firstBucketNs - q.bucketNs > 0n ? firstBucketNs - q.bucketNs : 0n;
    const isDeltaDistribution = shape.temporality === TEMPORALITY.delta && (shape.type === METRIC_TYPE.histogram || shape.type === METRIC_TYPE.exponential_histogram);
    const [bucketRows, exemplarRows] = await Promise.all([
      this.conn.query(metricBucketsSql(this.t), {
        service: q.service, name: q.name, type: shape.type, temporality: shape.temporality, lo_ns: readFromNs.toString(), hi_ns: q.toNs.toString(),
        bucket_ns: q.bucketNs.toString(), max_streams: MAX_STREAMS_READ, all_buckets: isDeltaDistribution,
      }),
      this.conn.query(metricExemplarsSql(this.t), {
        service: q.service, name: q.name, type: shape.type, from_ns: q.fromNs.toString(), to_ns: q.toNs.toString(),
        slack_ns: EXEMPLAR_SLACK_NS.toString(), bucket_ns: q.bucketNs.toString(), per_bucket: q.exemplarsPerBucket, limit: q.maxExemplars,
      }),
    ]);
    const measures = measuresOf(shape.type, shape.temporality, shape.monotonic);
    const streams = buildSeries(bucketRows.map(toBucketRow), {
      type: shape.type, temporality: shape.temporality, monotonic: shape.monotonic, firstBucketNs, bucketNs: q.bucketNs, buckets, readFromNs,
    });
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
