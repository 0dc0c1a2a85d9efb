/**
 * The logical span and log line: what ingest emits (in an IngestBatch) and every storage
 * engine takes, engine-neutral. How a span is laid out in rows — which attributes go to the
 * small JSON, which to the payload columns, which are left to their hot column, what the value
 * index holds — is storage's decision (encode.ts); none of it appears here.
 *
 * Ids are lower-case hex; times are nanoseconds since the epoch (bigint). Values are rendered
 * by ingest as JSON text that keeps their OTLP type (integers as number tokens without a point,
 * doubles with a point or an exponent, bytes as base64 and NaN/±Infinity as text, noted in
 * `valueTypes`: otlp/value-types.ts). Ingest has checked every field against the ranges noted
 * here, so any span and line of a batch can be stored.
 */
import type { MetricRow } from '../metric-rows.js';

/**
 * A span's attributes as ingest rendered them: key, value, key, value … in the order sent, each
 * key once (the first of duplicates), after the ingest caps (and with `"flowtrace.truncated":
 * true` last when something was cut). A value is its JSON text, or a long string's own text
 * behind a mark (otlp/attribute-text.ts: isRawValue, valueJson).
 */
export type AttributeList = string[];

/**
 * What the flow conventions' attributes say about a span (@flowtrace/instrumentation
 * conventions), copied from its attributes by ingest: the first scalar value of each key, as
 * text (flow.node.index as a 32-bit integer). The attributes keep them too.
 */
export interface FlowFields {
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
  /** flow.node.index: an integer of 32 bits (ingest rejects a span with one beyond). */
  nodeIndex: number | null;
  /** flow.execution.status, else flow.node.status (cancelled, timed_out, skipped …). */
  flowStatus: string | null;
  /** flow.error.node_id */
  errorNodeId: string | null;
}

/**
 * What OTLP says of a span's or line's resource and scope beyond service name, resource
 * attributes and scope name and version, and the value types its JSON cannot tell: with them an
 * export gives back what was sent.
 */
export interface OtlpOriginFields {
  /** ResourceSpans/ResourceLogs schema_url, null when empty. */
  resourceSchemaUrl: string | null;
  /** 0 ..< 2^32. */
  resourceDroppedAttributesCount: number;
  /** JSON object text of the InstrumentationScope attributes, null when it has none. */
  scopeAttributes: string | null;
  /** 0 ..< 2^32. */
  scopeDroppedAttributesCount: number;
  /** ScopeSpans/ScopeLogs schema_url, null when empty. */
  scopeSchemaUrl: string | null;
  /** JSON text of the value types the JSON cannot tell (otlp/value-types.ts), null when none. */
  valueTypes: string | null;
}

/** A span, finished (from /v1/traces) or running (from a start mark: endTimeUnixNano null). */
export interface IngestSpan extends FlowFields, OtlpOriginFields {
  traceId: string;
  spanId: string;
  /** null for a root span. */
  parentSpanId: string | null;
  traceState: string | null;
  name: string;
  /** OTLP SpanKind 0..5. */
  kind: number;
  serviceName: string;
  /** 0 < start ≤ 2^63 − 1. */
  startTimeUnixNano: bigint;
  /** null only for a running span; else start ≤ end ≤ 2^63 − 1. */
  endTimeUnixNano: bigint | null;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string | null;
  /** The first exception.message of the span's events, or null. */
  exceptionMessage: string | null;
  attributes: AttributeList;
  /** JSON object text of the resource attributes. */
  resourceAttributes: string;
  scopeName: string | null;
  scopeVersion: string | null;
  /** JSON array text: [{ name, timeUnixNano (text), attributes, droppedAttributesCount }]. */
  events: string;
  /** JSON array text: [{ traceId, spanId, traceState, attributes, droppedAttributesCount, flags (when set) }]. */
  links: string;
  /** 0 ..< 2^32, as the three dropped counts. */
  flags: number;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

/** How a log line's body is held: none, a string as it is, another AnyValue as its JSON. */
export const BODY_TYPE = { none: 0, string: 1, anyValue: 2 } as const;
export type BodyType = (typeof BODY_TYPE)[keyof typeof BODY_TYPE];

/** A log record that is not a start mark: console lines carry their span's ids. */
export interface IngestLog extends OtlpOriginFields {
  /** '' when the record carries no trace context. */
  traceId: string;
  /** '' when the record carries no span id. */
  spanId: string;
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  /** OTLP SeverityNumber 0..24. */
  severityNumber: number;
  /** As sent, null when absent (readers name the number then: storage/severity.ts). */
  severityText: string | null;
  /** String bodies as they are; other AnyValues as JSON text (see bodyType). */
  body: string;
  bodyType: BodyType;
  /** JSON object text. */
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

/** A decoded, validated ingest batch, ready for a writer. */
export interface IngestBatch {
  /** Finished spans (from /v1/traces). */
  spans: IngestSpan[];
  /** Running spans from start marks (from /v1/logs); endTimeUnixNano is null. */
  starts: IngestSpan[];
  /** Console lines and other log records (from /v1/logs). */
  logs: IngestLog[];
  /** Metric data points (from /v1/metrics); absent in trace and log batches. */
  metrics?: MetricRow[];
}
