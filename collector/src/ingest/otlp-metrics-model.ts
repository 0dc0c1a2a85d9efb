/**
 * The decoded ExportMetricsServiceRequest shape the metrics converter reads, as both decoders
 * produce it, with the scalars and attribute lists of the other signals (otlp/shapes.ts): the
 * protobuf decoder gives the generated message objects (ids as bytes, 64-bit integers as Long,
 * oneof members not sent as null), the JSON decoder plain objects (ids as hex text, 64-bit
 * integers as numbers or decimal text, point doubles as numbers or the texts "NaN",
 * "Infinity", "-Infinity", attribute values normalised as for spans).
 */
import type { Decoded, InstrumentationScope, Int64, KeyValue, Resource } from '../otlp/shapes.js';

type IdIn = Decoded['id'];
type Int64In = Int64;
type KeyValueIn = KeyValue;
type ResourceIn = Resource;
type ScopeIn = InstrumentationScope;

/** A double as decoded: a number, or (JSON) its text such as "NaN" or "1.5". */
export type DoubleIn = number | string;

export interface ExemplarIn {
  filteredAttributes?: KeyValueIn[] | null;
  timeUnixNano?: Int64In | null;
  asDouble?: DoubleIn | null;
  asInt?: Int64In | null;
  spanId?: IdIn | null;
  traceId?: IdIn | null;
}

/** What every kind of data point has. */
export interface DataPointIn {
  attributes?: KeyValueIn[] | null;
  startTimeUnixNano?: Int64In | null;
  timeUnixNano?: Int64In | null;
  flags?: number | null;
}

export interface NumberDataPointIn extends DataPointIn {
  asDouble?: DoubleIn | null;
  asInt?: Int64In | null;
  exemplars?: ExemplarIn[] | null;
}

export interface HistogramDataPointIn extends DataPointIn {
  count?: Int64In | null;
  sum?: DoubleIn | null;
  bucketCounts?: Int64In[] | null;
  explicitBounds?: DoubleIn[] | null;
  exemplars?: ExemplarIn[] | null;
  min?: DoubleIn | null;
  max?: DoubleIn | null;
}

export interface BucketsIn {
  offset?: number | null;
  bucketCounts?: Int64In[] | null;
}

export interface ExponentialHistogramDataPointIn extends DataPointIn {
  count?: Int64In | null;
  sum?: DoubleIn | null;
  scale?: number | null;
  zeroCount?: Int64In | null;
  positive?: BucketsIn | null;
  negative?: BucketsIn | null;
  exemplars?: ExemplarIn[] | null;
  min?: DoubleIn | null;
  max?: DoubleIn | null;
  zeroThreshold?: DoubleIn | null;
}

export interface ValueAtQuantileIn {
  quantile?: DoubleIn | null;
  value?: DoubleIn | null;
}

export interface SummaryDataPointIn extends DataPointIn {
  count?: Int64In | null;
  sum?: DoubleIn | null;
  quantileValues?: ValueAtQuantileIn[] | null;
}

export interface MetricIn {
  name?: string | null;
  description?: string | null;
  unit?: string | null;
  gauge?: { dataPoints?: NumberDataPointIn[] | null } | null;
  sum?: { dataPoints?: NumberDataPointIn[] | null; aggregationTemporality?: number | null; isMonotonic?: boolean | null } | null;
  histogram?: { dataPoints?: HistogramDataPointIn[] | null; aggregationTemporality?: number | null } | null;
  exponentialHistogram?: { dataPoints?: ExponentialHistogramDataPointIn[] | null; aggregationTemporality?: number | null } | null;
  summary?: { dataPoints?: SummaryDataPointIn[] | null } | null;
}

/** InstrumentationScope with its attributes (metrics store them). */
export interface MetricScopeIn extends ScopeIn {
  attributes?: KeyValueIn[] | null;
}

export interface ScopeMetricsIn {
  scope?: MetricScopeIn | null;
  metrics?: MetricIn[] | null;
}

export interface ResourceMetricsIn {
  resource?: ResourceIn | null;
  scopeMetrics?: ScopeMetricsIn[] | null;
}

/** ExportMetricsServiceRequest. */
export interface MetricsRequestIn {
  resourceMetrics?: ResourceMetricsIn[] | null;
}
