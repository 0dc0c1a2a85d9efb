/**
 * The metric data point row: what ingest produces from OTLP metrics and the writer appends to
 * metric_data (schema/012_metrics.sql). Pure types and constants, no DuckDB, so ingest can
 * import it. Times are nanoseconds since the epoch; JSON collections are text.
 */

/** metric_data.type, one number per OTLP metric kind (the metrics view names them). */
export const METRIC_TYPE = { gauge: 1, sum: 2, histogram: 3, exponential_histogram: 4, summary: 5 } as const;

export type MetricType = (typeof METRIC_TYPE)[keyof typeof METRIC_TYPE];

/** One data point of one metric. Attribute collections, buckets and exemplars are JSON text. */
export interface MetricRow {
  serviceName: string;
  resourceAttributes: string;
  scopeName: string | null;
  scopeVersion: string | null;
  scopeAttributes: string;
  name: string;
  description: string | null;
  unit: string | null;
  type: MetricType;
  /** AggregationTemporality: 0 unspecified, 1 delta, 2 cumulative. */
  temporality: number;
  /** Sums only; null for the other kinds. */
  isMonotonic: boolean | null;
  attributes: string;
  /** null when the point has no start time. */
  startTimeUnixNano: bigint | null;
  timeUnixNano: bigint;
  /** Gauges and sums (null when the point records no value). */
  value: number | null;
  /** Gauges and sums sent as integers: the exact value. */
  intValue: bigint | null;
  /** Histograms and summaries. */
  count: bigint | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  /** JSON text of the buckets or quantiles (see the schema file), null for gauges and sums. */
  buckets: string | null;
  /** JSON array text of the exemplars. */
  exemplars: string;
  flags: number;
}
