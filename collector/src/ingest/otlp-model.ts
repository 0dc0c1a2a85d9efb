/**
 * The decoded OTLP request shapes the converter reads. Both decoders produce them: the
 * protobuf decoder returns the generated message objects (ids as bytes, 64-bit numbers as
 * Long), the JSON decoder returns plain objects in lowerCamelCase with ids as hex text and
 * 64-bit numbers as decimal text or numbers. Attribute lists (KeyValue/AnyValue) are passed
 * through as decoded; the attribute writer accepts either form (camelCase or snake_case).
 */
import type { Long } from 'protobufjs';

/** A 64-bit integer as protobufjs (Long, number) or OTLP/JSON (number, decimal text) gives it. */
export type Int64In = number | string | bigint | Long;
/** An id: bytes from protobuf, hex text from JSON. */
export type IdIn = Uint8Array | string;

/** A KeyValue as decoded; checked by the attribute writer, not by the decoders. */
export type KeyValueIn = unknown;

export interface ResourceIn {
  attributes?: KeyValueIn[] | null;
  droppedAttributesCount?: number | null;
}

export interface ScopeIn {
  name?: string | null;
  version?: string | null;
  attributes?: KeyValueIn[] | null;
  droppedAttributesCount?: number | null;
}

export interface StatusIn {
  code?: number | null;
  message?: string | null;
}

export interface EventIn {
  timeUnixNano?: Int64In | null;
  name?: string | null;
  attributes?: KeyValueIn[] | null;
  droppedAttributesCount?: number | null;
}

export interface LinkIn {
  traceId?: IdIn | null;
  spanId?: IdIn | null;
  traceState?: string | null;
  attributes?: KeyValueIn[] | null;
  droppedAttributesCount?: number | null;
  flags?: number | null;
}

export interface SpanIn {
  traceId?: IdIn | null;
  spanId?: IdIn | null;
  traceState?: string | null;
  parentSpanId?: IdIn | null;
  name?: string | null;
  kind?: number | null;
  startTimeUnixNano?: Int64In | null;
  endTimeUnixNano?: Int64In | null;
  attributes?: KeyValueIn[] | null;
  droppedAttributesCount?: number | null;
  events?: EventIn[] | null;
  droppedEventsCount?: number | null;
  links?: LinkIn[] | null;
  droppedLinksCount?: number | null;
  status?: StatusIn | null;
  flags?: number | null;
}

export interface ScopeSpansIn {
  scope?: ScopeIn | null;
  spans?: SpanIn[] | null;
  schemaUrl?: string | null;
}

export interface ResourceSpansIn {
  resource?: ResourceIn | null;
  scopeSpans?: ScopeSpansIn[] | null;
  schemaUrl?: string | null;
}

/** ExportTraceServiceRequest. */
export interface TraceRequestIn {
  resourceSpans?: ResourceSpansIn[] | null;
}

export interface LogRecordIn {
  timeUnixNano?: Int64In | null;
  observedTimeUnixNano?: Int64In | null;
  severityNumber?: number | null;
  severityText?: string | null;
  body?: unknown;
  attributes?: KeyValueIn[] | null;
  droppedAttributesCount?: number | null;
  flags?: number | null;
  traceId?: IdIn | null;
  spanId?: IdIn | null;
  eventName?: string | null;
}

export interface ScopeLogsIn {
  scope?: ScopeIn | null;
  logRecords?: LogRecordIn[] | null;
  schemaUrl?: string | null;
}

export interface ResourceLogsIn {
  resource?: ResourceIn | null;
  scopeLogs?: ScopeLogsIn[] | null;
  schemaUrl?: string | null;
}

/** ExportLogsServiceRequest. */
export interface LogsRequestIn {
  resourceLogs?: ResourceLogsIn[] | null;
}
