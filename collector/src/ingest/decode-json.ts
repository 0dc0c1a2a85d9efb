/**
 * OTLP/JSON request bodies → the decoded OTLP shapes (otlp/shapes.ts), the ones the protobuf
 * decoder gives, per the OTLP JSON rules: lowerCamelCase field names (snake_case accepted too),
 * ids as hex text (checked later, per span), enums as integers or their names, 64-bit integers
 * as numbers or decimal text, unknown fields ignored, attribute values normalised to their one
 * decoded form (decode-json-values.ts). A field of the wrong JSON type makes the body
 * undecodable (coded 400 error naming the field).
 */
import { errors } from '../errors.js';
import type {
  InstrumentationScope, LogRecord, LogsRequest, Resource, ResourceLogs, ResourceSpans, ScopeLogs, ScopeSpans, Span,
  SpanEvent, SpanLink, TraceRequest,
} from '../otlp/shapes.js';
import { anyValue, keyValues } from './decode-json-values.js';

type Obj = Record<string, unknown>;

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const DIGITS = /^\d{1,20}$/;

const SPAN_KINDS: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0, SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2, SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Readonly<Record<string, number>> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };
const SEVERITIES: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].forEach((name, i) => {
  for (let k = 0; k < 4; k++) SEVERITIES[`SEVERITY_NUMBER_${name}${k === 0 ? '' : k + 1}`] = i * 4 + k + 1;
});

function fail(path: string, what: string, field?: string): never {
  throw errors.FT_OTLP_UNDECODABLE(`${field === undefined ? path : path + '.' + field} ${what}`);
}

function get(o: Obj, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : o[snake];
}

function obj(v: unknown, path: string, field?: string): Obj | null {
  if (v == null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) fail(path, 'must be an object', field);
  return v as Obj;
}

function arr(v: unknown, path: string, field?: string): unknown[] | null {
  if (v == null) return null;
  if (!Array.isArray(v)) fail(path, 'must be an array', field);
  return v;
}

function str(v: unknown, path: string, field?: string): string | null {
  if (v == null) return null;
  if (typeof v !== 'string') fail(path, 'must be a string', field);
  return v;
}

function u32(v: unknown, path: string, field?: string): number | null {
  if (v == null) return null;
  const n = typeof v === 'string' && DIGITS.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) fail(path, 'must be an unsigned 32-bit integer', field);
  return n;
}

function u64(v: unknown, path: string, field?: string): number | string | null {
  if (v == null) return null;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && DIGITS.test(v)) return v;
  return fail(path, 'must be an unsigned 64-bit integer (number or decimal text)', field);
}

function id(v: unknown, path: string, field?: string): string | null {
  if (v == null) return null;
  if (typeof v !== 'string') fail(path, 'must be hex text', field);
  return v;
}

function enumOf(v: unknown, names: Readonly<Record<string, number>>, path: string, field?: string): number | null {
  if (v == null) return null;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const n = Object.hasOwn(names, v) ? names[v] : DIGITS.test(v) ? Number(v) : undefined;
    if (n !== undefined) return n;
  }
  return fail(path, 'must be an enum number or name', field);
}

function each<T>(list: unknown[] | null, parent: string, field: string, one: (o: Obj, path: string) => T): T[] | null {
  if (list === null || list.length === 0) return null;
  const path = `${parent}.${field}`;
  const out = new Array<T>(list.length);
  for (let i = 0; i < list.length; i++) {
    const p = `${path}[${i}]`;
    out[i] = one(obj(list[i], p) ?? fail(p, 'must be an object'), p);
  }
  return out;
}

function resource(o: Obj | null, path: string): Resource | null {
  if (o === null) return null;
  return {
    attributes: keyValues(o.attributes, `${path}.attributes`),
    droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`),
  };
}

function scope(o: Obj | null, path: string): InstrumentationScope | null {
  if (o === null) return null;
  return {
    name: str(o.name, `${path}.name`),
    version: str(o.version, `${path}.version`),
    attributes: keyValues(o.attributes, `${path}.attributes`),
    droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`),
  };
}

function event(o: Obj, p: string): SpanEvent {
  return {
    timeUnixNano: u64(get(o, 'timeUnixNano', 'time_unix_nano'), p, 'timeUnixNano'),
    name: str(o.name, p, 'name'),
    attributes: keyValues(o.attributes, `${p}.attributes`),
    droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), p, 'droppedAttributesCount'),
  };
}

function link(o: Obj, p: string): SpanLink {
  return {
    traceId: id(get(o, 'traceId', 'trace_id'), p, 'traceId'),
    spanId: id(get(o, 'spanId', 'span_id'), p, 'spanId'),
    traceState: str(get(o, 'traceState', 'trace_state'), p, 'traceState'),
    attributes: keyValues(o.attributes, `${p}.attributes`),
    droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), p, 'droppedAttributesCount'),
    flags: u32(o.flags, p, 'flags'),
  };
}

function span(o: Obj, p: string): Span {
  const status = obj(o.status, p, 'status');
  return {
    traceId: id(get(o, 'traceId', 'trace_id'), p, 'traceId'),
    spanId: id(get(o, 'spanId', 'span_id'), p, 'spanId'),
    traceState: str(get(o, 'traceState', 'trace_state'), p, 'traceState'),
    parentSpanId: id(get(o, 'parentSpanId', 'parent_span_id'), p, 'parentSpanId'),
    name: str(o.name, p, 'name'),
    kind: enumOf(o.kind, SPAN_KINDS, p, 'kind'),
    startTimeUnixNano: u64(get(o, 'startTimeUnixNano', 'start_time_unix_nano'), p, 'startTimeUnixNano'),
    endTimeUnixNano: u64(get(o, 'endTimeUnixNano', 'end_time_unix_nano'), p, 'endTimeUnixNano'),
    attributes: keyValues(o.attributes, `${p}.attributes`),
    droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), p, 'droppedAttributesCount'),
    events: each(arr(o.events, p, 'events'), p, 'events', event),
    droppedEventsCount: u32(get(o, 'droppedEventsCount', 'dropped_events_count'), p, 'droppedEventsCount'),
    links: each(arr(o.links, p, 'links'), p, 'links', link),
    droppedLinksCount: u32(get(o, 'droppedLinksCount', 'dropped_links_count'), p, 'droppedLinksCount'),
    status: status === null ? null : {
      code: enumOf(status.code, STATUS_CODES, p, 'status.code'),
      message: str(status.message, p, 'status.message'),
    },
    flags: u32(o.flags, p, 'flags'),
  };
}

function scopeSpans(o: Obj, p: string): ScopeSpans {
  return {
    scope: scope(obj(o.scope, p, 'scope'), `${p}.scope`),
    spans: each(arr(o.spans, p, 'spans'), p, 'spans', span),
    schemaUrl: str(get(o, 'schemaUrl', 'schema_url'), p, 'schemaUrl'),
  };
}

function resourceSpans(o: Obj, p: string): ResourceSpans {
  return {
    resource: resource(obj(o.resource, p, 'resource'), `${p}.resource`),
    scopeSpans: each(arr(get(o, 'scopeSpans', 'scope_spans'), p, 'scopeSpans'), p, 'scopeSpans', scopeSpans),
    schemaUrl: str(get(o, 'schemaUrl', 'schema_url'), p, 'schemaUrl'),
  };
}

function logRecord(o: Obj, p: string): LogRecord {
  return {
    timeUnixNano: u64(get(o, 'timeUnixNano', 'time_unix_nano'), p, 'timeUnixNano'),
    observedTimeUnixNano: u64(get(o, 'observedTimeUnixNano', 'observed_time_unix_nano'), p, 'observedTimeUnixNano'),
    severityNumber: enumOf(get(o, 'severityNumber', 'severity_number'), SEVERITIES, p, 'severityNumber'),
    severityText: str(get(o, 'severityText', 'severity_text'), p, 'severityText'),
    body: anyValue(obj(o.body, p, 'body'), 'body'),
    attributes: keyValues(o.attributes, `${p}.attributes`),
    droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), p, 'droppedAttributesCount'),
    flags: u32(o.flags, p, 'flags'),
    traceId: id(get(o, 'traceId', 'trace_id'), p, 'traceId'),
    spanId: id(get(o, 'spanId', 'span_id'), p, 'spanId'),
    eventName: str(get(o, 'eventName', 'event_name'), p, 'eventName'),
  };
}

function scopeLogs(o: Obj, p: string): ScopeLogs {
  return {
    scope: scope(obj(o.scope, p, 'scope'), `${p}.scope`),
    logRecords: each(arr(get(o, 'logRecords', 'log_records'), p, 'logRecords'), p, 'logRecords', logRecord),
    schemaUrl: str(get(o, 'schemaUrl', 'schema_url'), p, 'schemaUrl'),
  };
}

function resourceLogs(o: Obj, p: string): ResourceLogs {
  return {
    resource: resource(obj(o.resource, p, 'resource'), `${p}.resource`),
    scopeLogs: each(arr(get(o, 'scopeLogs', 'scope_logs'), p, 'scopeLogs'), p, 'scopeLogs', scopeLogs),
    schemaUrl: str(get(o, 'schemaUrl', 'schema_url'), p, 'schemaUrl'),
  };
}

/** Parses a JSON body (text or UTF-8 bytes) into a top-level object; undecodable otherwise. */
function parseBody(body: string | Uint8Array, what: string): Obj {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : UTF8.decode(body));
  } catch (err) {
    throw errors.FT_OTLP_UNDECODABLE(`body is not OTLP/JSON ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail('body', `must be a JSON object (${what})`);
  return parsed as Obj;
}

/** `read()`, with attribute values nested too deep for the stack answered as undecodable. */
function withinStack<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw errors.FT_OTLP_UNDECODABLE('nesting too deep');
    throw err;
  }
}

/** Decodes an OTLP/JSON ExportTraceServiceRequest; throws FT_OTLP_UNDECODABLE when it is not one. */
export function decodeTraceRequestJson(body: string | Uint8Array): TraceRequest {
  const o = parseBody(body, 'ExportTraceServiceRequest');
  return withinStack(() => ({
    resourceSpans: each(arr(get(o, 'resourceSpans', 'resource_spans'), 'body', 'resourceSpans'), 'body', 'resourceSpans', resourceSpans),
  }));
}

/** Decodes an OTLP/JSON ExportLogsServiceRequest; throws FT_OTLP_UNDECODABLE when it is not one. */
export function decodeLogsRequestJson(body: string | Uint8Array): LogsRequest {
  const o = parseBody(body, 'ExportLogsServiceRequest');
  return withinStack(() => ({
    resourceLogs: each(arr(get(o, 'resourceLogs', 'resource_logs'), 'body', 'resourceLogs'), 'body', 'resourceLogs', resourceLogs),
  }));
}

/** The field readers, for the metrics decoder (decode-json-metrics.ts) to follow the same rules. */
export { arr, each, enumOf, fail, get, id, obj, parseBody, resource, str, u32, u64, withinStack };
