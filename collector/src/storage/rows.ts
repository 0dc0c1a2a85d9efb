/**
 * The rows storage keeps: what ingest produces from OTLP and the writer appends.
 * Ids are lower-case hex; times are nanoseconds since the epoch; attribute collections are
 * JSON text (objects for attributes, arrays for events and links) so every attribute stays
 * queryable from SQL. The hot fields are copied out of the attributes into real columns.
 */
import type { MetricRow } from './metric-rows.js';

/**
 * A span attribute whose `"key":value` JSON text is longer than this is stored in the
 * large_attributes column instead of attributes (schema/007_large_attributes.sql).
 */
export const LARGE_ATTRIBUTE_CHARS = 256;

/** One attributes object text from the small and the large ones (SQL: the merged_attributes macro). */
export function mergedAttributes(small: string, large: string | null): string {
  if (large === null) return small;
  if (small === '{}') return large;
  return small.slice(0, -1) + ',' + large.slice(1);
}

/** Fields copied out of span attributes into real columns (see instrumentation conventions). */
export interface HotSpanFields {
  /** flow.execution.kind */
  executionKind: string | null;
  /** flow.id */
  flowId: string | null;
  /** flow.name */
  flowName: string | null;
  /** flow.version */
  flowVersion: string | null;
  /** flow.trigger.type */
  triggerType: string | null;
  /** enduser.id */
  userId: string | null;
  /** flow.node.id */
  nodeId: string | null;
  /** flow.node.name */
  nodeName: string | null;
  /** flow.node.type */
  nodeType: string | null;
  /** flow.node.index */
  nodeIndex: number | null;
  /** flow.execution.status on a root, flow.node.status on a node (cancelled, timed_out, skipped …). */
  flowStatus: string | null;
  /** flow.error.node_id */
  errorNodeId: string | null;
}

/**
 * What OTLP says of a span's or record's resource and scope beyond what the older columns keep,
 * and the value types its JSON cannot tell (schema/014_otlp_fidelity.sql): with them an export
 * gives back what was sent.
 */
export interface OtlpOriginFields {
  /** ResourceSpans/ResourceLogs schema_url, null when empty. */
  resourceSchemaUrl: string | null;
  resourceDroppedAttributesCount: number;
  /** JSON object text of the InstrumentationScope attributes, null when it has none. */
  scopeAttributes: string | null;
  scopeDroppedAttributesCount: number;
  /** ScopeSpans/ScopeLogs schema_url, null when empty. */
  scopeSchemaUrl: string | null;
  /** JSON text of the value types the row's JSON cannot tell (storage/value-types.ts), null when none. */
  valueTypes: string | null;
}

export interface SpanRow extends HotSpanFields, OtlpOriginFields {
  traceId: string;
  spanId: string;
  /** null for a root span. */
  parentSpanId: string | null;
  traceState: string | null;
  name: string;
  /** OTLP SpanKind number 0..5. */
  kind: number;
  serviceName: string;
  startTimeUnixNano: bigint;
  /** null only for running spans built from start marks. */
  endTimeUnixNano: bigint | null;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string | null;
  /** First exception.message of the span's events, or null. */
  exceptionMessage: string | null;
  /** JSON object text of the span attributes, except the large ones. */
  attributes: string;
  /**
   * JSON object text of the attributes whose `"key":value` text is longer than
   * LARGE_ATTRIBUTE_CHARS (captured inputs and outputs above all), or null. Kept apart so
   * that attribute filters and suggestions read small text; readers merge the two.
   */
  largeAttributes: string | null;
  /**
   * Hot attributes left out of `attributes` because their columns give them back exactly
   * (storage/moved-attributes.ts bits; 0 when none). Start marks move none.
   */
  movedAttributes: number;
  /**
   * key, value, key, value … of the attributes the attribute value index holds
   * (storage/attribute-values.ts), null when none; running spans from start marks index none.
   */
  indexedValues: string[] | null;
  /** JSON object text of the resource attributes. */
  resourceAttributes: string;
  scopeName: string | null;
  scopeVersion: string | null;
  /** JSON array text: [{ name, timeUnixNano (string), attributes, droppedAttributesCount }]. */
  events: string;
  /** JSON array text: [{ traceId, spanId, traceState, attributes, droppedAttributesCount, flags }] (flags since 014). */
  links: string;
  flags: number;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

/** How log_data.body holds the record's body (schema/014; NULL in older rows: '' none, else a string). */
export const BODY_TYPE = { none: 0, string: 1, anyValue: 2 } as const;

export interface LogRow extends OtlpOriginFields {
  /** '' when the record carries no trace context. */
  traceId: string;
  /** '' when the record carries no span id. */
  spanId: string;
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  /** As sent, null when absent (readers name the number then: storage/severity.ts). */
  severityText: string | null;
  /** String bodies as they are; other AnyValues as JSON text (see bodyType). */
  body: string;
  /** BODY_TYPE: no body, a string, or another AnyValue written as JSON. */
  bodyType: number;
  attributes: string;
  resourceAttributes: string;
  serviceName: string;
  scopeName: string | null;
  scopeVersion: string | null;
  /** LogRecord.event_name, null when empty. */
  eventName: string | null;
  flags: number;
  droppedAttributesCount: number;
}

/** A decoded, validated ingest batch, ready for the writer. */
export interface IngestBatch {
  /** Finished spans (from /v1/traces). */
  spans: SpanRow[];
  /** Running spans from start marks (from /v1/logs); endTimeUnixNano is null. */
  starts: SpanRow[];
  /** Console lines and other log records (from /v1/logs). */
  logs: LogRow[];
  /** Metric data points (from /v1/metrics); absent in trace and log batches. */
  metrics?: MetricRow[];
}
