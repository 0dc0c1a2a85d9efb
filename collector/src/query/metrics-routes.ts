/**
 * OTLP metrics for the viewer's Metrics page: every metric name per service, and one metric
 * over a time range as bucketed series per attribute set (the highest few) with the exemplars
 * that lead to the traces behind a spike. An unknown metric is FT_METRIC_NOT_FOUND (404); a
 * known one without points in the range answers empty series.
 */
import type { MetricInfo, MetricKind, MetricList, MetricSeriesResult } from '../api/metric-types.js';
import { listMetrics, metricSeries } from '../api/routes/statistics.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import { errors } from '../errors.js';
import { TEMPORALITY, type MetricShapeRecord, type Storage } from '../storage/index.js';
import { bucketSeconds } from './flows-routes.js';
import { parseTime } from './params.js';
import { isoOfNs } from './to-wire.js';

/** metric_data.type → its name (storage/metric-rows.ts METRIC_TYPE). */
const KINDS: Record<number, MetricKind> = { 1: 'gauge', 2: 'sum', 3: 'histogram', 4: 'exponential_histogram', 5: 'summary' };
const INT64_MAX = 2n ** 63n - 1n;
const HOUR_NS = 3_600_000_000_000n;
/** A chart of more buckets than this is wider than any screen. */
const MAX_BUCKETS = 2_000;
const EXEMPLARS_PER_BUCKET = 5;
const MAX_EXEMPLARS = 1_000;

function temporalityName(t: number): MetricInfo['temporality'] {
  return t === TEMPORALITY.delta ? 'delta' : t === TEMPORALITY.cumulative ? 'cumulative' : null;
}

function shapeToWire(serviceName: string, name: string, s: MetricShapeRecord): MetricSeriesResult['metric'] {
  return {
    serviceName,
    name,
    type: KINDS[s.type],
    unit: s.unit,
    description: s.description,
    temporality: temporalityName(s.temporality),
    isMonotonic: s.monotonic,
    pointCount: s.points,
    firstTime: isoOfNs(s.firstNs),
    lastTime: isoOfNs(s.lastNs),
  };
}

function range(query: { from?: string; to?: string }, defaultFromNs: bigint, defaultToNs: bigint): { fromNs: bigint; toNs: bigint } {
  const fromNs = parseTime(query.from, 'from') ?? defaultFromNs;
  const toNs = parseTime(query.to, 'to') ?? defaultToNs;
  if (fromNs > toNs) throw errors.FT_BAD_FILTER('from is after to');
  return { fromNs, toNs };
}

export async function metricsRoutes(app: TypeBoxApp, opts: { storage: Storage }): Promise<void> {
  const { metrics } = opts.storage;

  app.get(
    '/api/metrics',
    { schema: listMetrics },
    async (request): Promise<MetricList> => {
      const rows = await metrics.list(range(request.query, 0n, INT64_MAX));
      return {
        metrics: rows.map((r) => ({
          ...shapeToWire(r.serviceName, r.name, r),
          seriesCount: r.streams,
          lastValue: r.lastValue,
          exemplarCount: r.exemplars,
        })),
      };
    },
  );

  app.get(
    '/api/metrics/series',
    { schema: metricSeries },
    async (request): Promise<MetricSeriesResult> => {
      const q = request.query;
      const nowNs = BigInt(Date.now()) * 1_000_000n;
      const { fromNs, toNs } = range(q, nowNs - HOUR_NS, nowNs);
      const seconds = bucketSeconds(q.bucket, fromNs, toNs);
      const bucketNs = BigInt(seconds) * 1_000_000_000n;
      if ((toNs - fromNs) / bucketNs + 1n > BigInt(MAX_BUCKETS)) {
        throw errors.FT_BAD_FILTER(`more than ${MAX_BUCKETS.toLocaleString('en')} buckets; use a wider bucket`);
      }
      const read = await metrics.series({
        service: q.service, name: q.name, fromNs, toNs, bucketNs, maxSeries: q.maxSeries,
        exemplarsPerBucket: EXEMPLARS_PER_BUCKET, maxExemplars: MAX_EXEMPLARS,
      });
      if (!read) throw errors.FT_METRIC_NOT_FOUND(`${q.name} of ${q.service}`);
      return {
        metric: shapeToWire(q.service, q.name, read.shape),
        from: isoOfNs(fromNs),
        to: isoOfNs(toNs),
        bucketSeconds: seconds,
        bucketStarts: Array.from({ length: read.buckets }, (_, i) => isoOfNs(read.firstBucketNs + BigInt(i) * read.bucketNs)),
        measures: read.measures,
        series: read.series,
        seriesCount: read.totalSeries,
        truncated: read.totalSeries > read.series.length,
        exemplars: read.exemplars.map((e) => ({
          traceId: e.traceId,
          spanId: e.spanId,
          time: isoOfNs(e.timeNs),
          timeUnixNano: e.timeNs.toString(),
          value: e.value,
          attributes: e.attributes,
          filteredAttributes: e.filteredAttributes,
        })),
        exemplarsTruncated: read.totalExemplars > read.exemplars.length,
      };
    },
  );
}
