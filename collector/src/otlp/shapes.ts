/**
 * The OTLP messages flowtrace reads and writes — ExportTraceServiceRequest and
 * ExportLogsServiceRequest down to their spans, events, links and log records, and the
 * KeyValue / AnyValue attributes — declared once, for ingest (both decoders produce them, the
 * converters read them), for the exports (query/otlp-export.ts builds them) and for the tests.
 *
 * One structure, two spellings of its scalars (`Scalars`):
 * - `Decoded`: what the decoders hand to the converters. The protobuf decoder's generated
 *   message objects are this shape as they are (ids as bytes, 64-bit integers as protobufjs
 *   gives them, oneof members not sent as null); the JSON decoder (ingest/decode-json.ts)
 *   normalises OTLP/JSON to it — snake_case names read, AnyValues checked and given one form
 *   (doubles as numbers, NaN and ±Infinity included; bytes as bytes), ids left as hex text
 *   and integers as decimal text, which the converters check per span.
 * - `Json`: OTLP/JSON as the exports write it and POST /v1/traces takes it back: ids as hex
 *   text, 64-bit integers as decimal text, bytes as base64 text.
 *
 * Types only: nothing here runs.
 */
import type { Long } from 'protobufjs';

/** How one spelling writes the scalars OTLP has beyond JSON's own. */
export interface Scalars {
  id: unknown;
  int64: unknown;
  bytes: unknown;
  double: unknown;
}

/** A 64-bit integer as a decoder gives it: protobufjs Long or number, JSON number or decimal text. */
export type Int64 = number | string | bigint | Long;

/** The decoders' spelling (see the module comment). */
export interface Decoded extends Scalars {
  /** Bytes from protobuf, hex text (not checked yet) from JSON. */
  id: Uint8Array | string;
  int64: Int64;
  bytes: Uint8Array;
  double: number;
}

/** OTLP/JSON's spelling. */
export interface Json extends Scalars {
  id: string;
  int64: string;
  bytes: string;
  /** A number, or the text "NaN", "Infinity" or "-Infinity". */
  double: number | string;
}

/** AnyValue: at most one member is set (a oneof); none set is an empty value. */
export interface AnyValue<S extends Scalars = Decoded> {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: S['int64'] | null;
  doubleValue?: S['double'] | null;
  arrayValue?: { values?: Array<AnyValue<S>> | null } | null;
  kvlistValue?: { values?: Array<KeyValue<S>> | null } | null;
  bytesValue?: S['bytes'] | null;
}

export interface KeyValue<S extends Scalars = Decoded> {
  key: string;
  value?: AnyValue<S> | null;
}

export interface Resource<S extends Scalars = Decoded> {
  attributes?: Array<KeyValue<S>> | null;
  droppedAttributesCount?: number | null;
}

export interface InstrumentationScope<S extends Scalars = Decoded> {
  name?: string | null;
  version?: string | null;
  attributes?: Array<KeyValue<S>> | null;
  droppedAttributesCount?: number | null;
}

export interface Status {
  /** 0 unset, 1 ok, 2 error. */
  code?: number | null;
  message?: string | null;
}

export interface SpanEvent<S extends Scalars = Decoded> {
  timeUnixNano?: S['int64'] | null;
  name?: string | null;
  attributes?: Array<KeyValue<S>> | null;
  droppedAttributesCount?: number | null;
}

export interface SpanLink<S extends Scalars = Decoded> {
  traceId?: S['id'] | null;
  spanId?: S['id'] | null;
  traceState?: string | null;
  attributes?: Array<KeyValue<S>> | null;
  droppedAttributesCount?: number | null;
  flags?: number | null;
}

export interface Span<S extends Scalars = Decoded> {
  traceId?: S['id'] | null;
  spanId?: S['id'] | null;
  traceState?: string | null;
  parentSpanId?: S['id'] | null;
  name?: string | null;
  /** SpanKind 0..5 (the JSON decoder turns enum names into numbers). */
  kind?: number | null;
  startTimeUnixNano?: S['int64'] | null;
  endTimeUnixNano?: S['int64'] | null;
  attributes?: Array<KeyValue<S>> | null;
  droppedAttributesCount?: number | null;
  events?: Array<SpanEvent<S>> | null;
  droppedEventsCount?: number | null;
  links?: Array<SpanLink<S>> | null;
  droppedLinksCount?: number | null;
  status?: Status | null;
  flags?: number | null;
}

export interface ScopeSpans<S extends Scalars = Decoded> {
  scope?: InstrumentationScope<S> | null;
  spans?: Array<Span<S>> | null;
  schemaUrl?: string | null;
}

export interface ResourceSpans<S extends Scalars = Decoded> {
  resource?: Resource<S> | null;
  scopeSpans?: Array<ScopeSpans<S>> | null;
  schemaUrl?: string | null;
}

/** ExportTraceServiceRequest (and TracesData, the same fields). */
export interface TraceRequest<S extends Scalars = Decoded> {
  resourceSpans?: Array<ResourceSpans<S>> | null;
}

export interface LogRecord<S extends Scalars = Decoded> {
  timeUnixNano?: S['int64'] | null;
  observedTimeUnixNano?: S['int64'] | null;
  severityNumber?: number | null;
  severityText?: string | null;
  body?: AnyValue<S> | null;
  attributes?: Array<KeyValue<S>> | null;
  droppedAttributesCount?: number | null;
  flags?: number | null;
  traceId?: S['id'] | null;
  spanId?: S['id'] | null;
  eventName?: string | null;
}

export interface ScopeLogs<S extends Scalars = Decoded> {
  scope?: InstrumentationScope<S> | null;
  logRecords?: Array<LogRecord<S>> | null;
  schemaUrl?: string | null;
}

export interface ResourceLogs<S extends Scalars = Decoded> {
  resource?: Resource<S> | null;
  scopeLogs?: Array<ScopeLogs<S>> | null;
  schemaUrl?: string | null;
}

/** ExportLogsServiceRequest. */
export interface LogsRequest<S extends Scalars = Decoded> {
  resourceLogs?: Array<ResourceLogs<S>> | null;
}
