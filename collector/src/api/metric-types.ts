/**
 * Wire types of OTLP metrics for the viewer's Metrics page (GET /api/metrics, GET
 * /api/metrics/series): schema and, under the same name, TypeScript type.
 */
import Type, { type Static } from 'typebox';
import { Attributes, IsoTime, Nullable, StringEnum, UnixNano } from './schema-kit.js';

/** The kinds of OTLP metric. */
export const METRIC_KINDS = ['gauge', 'sum', 'histogram', 'exponential_histogram', 'summary'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/**
 * What a metric's chart can show: `value` (newest in the bucket: gauges, non-monotonic cumulative
 * sums), `rate` (per second: a monotonic sum's increase, or a distribution's values recorded),
 * `change` (a non-monotonic delta sum's total per bucket), `p95`/`p50` (estimated from histogram
 * buckets; a summary's own) and `avg` (sum / count).
 */
export const METRIC_MEASURES = ['value', 'rate', 'change', 'p95', 'p50', 'avg'] as const;
export type MetricMeasure = (typeof METRIC_MEASURES)[number];

/** What every view of a metric says about it. */
const metricShape = {
  serviceName: Type.String(),
  name: Type.String(),
  type: StringEnum(METRIC_KINDS),
  unit: Nullable(Type.String()),
  description: Nullable(Type.String()),
  temporality: Nullable(StringEnum(['delta', 'cumulative'])),
  isMonotonic: Nullable(Type.Boolean({ description: 'Sums only' })),
  pointCount: Type.Integer(),
  firstTime: IsoTime(),
  lastTime: IsoTime(),
};

/** One metric name of one service (GET /api/metrics). */
export const MetricInfo = Type.Object({
  ...metricShape,
  seriesCount: Type.Integer({ description: 'Streams: distinct resource, scope and point attributes' }),
  lastValue: Nullable(Type.Number({ description: "The newest point's value (gauges and sums; one series' when there are several)" })),
  exemplarCount: Type.Integer(),
});
export type MetricInfo = Static<typeof MetricInfo>;

export const MetricList = Type.Object({ metrics: Type.Array(MetricInfo) });
export type MetricList = Static<typeof MetricList>;

export const MetricSeries = Type.Object({
  attributes: Type.Unsafe<Record<string, unknown>>({ ...Attributes, description: 'The point attributes of the series' }),
  resource: Type.Unsafe<Record<string, unknown>>({ ...Attributes, description: 'Resource attributes that tell it from another series with the same point attributes ({} mostly)' }),
  values: Type.Unsafe<Partial<Record<MetricMeasure, Array<number | null>>>>({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: ['number', 'null'] } },
    description: 'Per measure, one value per bucket of `bucketStarts` (null: no data)',
  }),
});
export type MetricSeries = Static<typeof MetricSeries>;

/** An exemplar: a measurement that points at the span (and trace) that recorded it. */
export const MetricExemplar = Type.Object({
  traceId: Type.String(),
  spanId: Nullable(Type.String()),
  time: IsoTime(),
  timeUnixNano: UnixNano(),
  value: Nullable(Type.Number()),
  attributes: Type.Unsafe<Record<string, unknown>>({ ...Attributes, description: 'The point attributes of the series it came with' }),
  filteredAttributes: Attributes,
});
export type MetricExemplar = Static<typeof MetricExemplar>;

/** GET /api/metrics/series: one metric over a time range. */
export const MetricSeriesResult = Type.Object({
  metric: Type.Object(metricShape),
  from: IsoTime(),
  to: IsoTime(),
  bucketSeconds: Type.Integer(),
  bucketStarts: Type.Array(IsoTime(), { description: 'ISO start of each bucket' }),
  measures: Type.Array(StringEnum(METRIC_MEASURES), { description: 'The measures each series carries, the first the default' }),
  series: Type.Array(MetricSeries, { description: 'The series with the highest peaks of the first measure, at most `maxSeries`' }),
  seriesCount: Type.Integer({ description: 'Series with points in the range; more than `series.length` when some were cut' }),
  truncated: Type.Boolean(),
  exemplars: Type.Array(MetricExemplar, { description: 'Exemplars with a trace id in the range: the highest few of each bucket, in time order' }),
  exemplarsTruncated: Type.Boolean(),
});
export type MetricSeriesResult = Static<typeof MetricSeriesResult>;

const time = Type.String({ maxLength: 64, description: 'ISO 8601 or epoch milliseconds' });

export const MetricListQuery = Type.Object({ from: Type.Optional(time), to: Type.Optional(time) }, { additionalProperties: false });

export const MetricSeriesQuery = Type.Object({
  service: Type.String({ minLength: 1, maxLength: 500 }),
  name: Type.String({ minLength: 1, maxLength: 500 }),
  from: Type.Optional(time),
  to: Type.Optional(time),
  bucket: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}(s|m|h|d)?$', description: '30s, 5m, 1h, 1d or seconds; about 60 buckets by default' })),
  maxSeries: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
}, { additionalProperties: false });
