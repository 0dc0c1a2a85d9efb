/**
 * Span JSON (the API's Span, api/wire-types.ts) and outline tuples rendered in JavaScript from
 * rows this engine read: the same fields, in the same order, with the same values as DuckDB's
 * SQL rendering (span-json-sql.ts, trace-outline-sql.ts). Stored JSON texts (attributes,
 * resource attributes, an event's or link's attributes) are spliced in as stored, never parsed
 * and written again, so 64-bit integers and payloads come back as ingest wrote them.
 * A test holds this rendering equal in meaning to query/to-wire.ts spanToWire.
 */
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '@flowtrace/instrumentation/conventions';
import type { SpanRecord } from '../records.js';
import { isoOfNs, spanStatusOf } from '../span-model/span-status.js';
import { OUTLINE_CODES } from '../traces/trace-outline-sql.js';

/** An event as read: name, time (decimal ns text), attributes JSON text ('' when absent). */
export type EventParts = [string, string, string];
/** A link as read: trace id, span id, trace state JSON token ('null', '"…"' or ''), attributes JSON text. */
export type LinkParts = [string, string, string, string];

const q = (text: string | null): string => (text === null ? 'null' : JSON.stringify(text));
const orEmpty = (json: string, empty: string): string => (json === '' || json === 'null' ? empty : json);

function eventsJson(events: readonly EventParts[]): string {
  return '[' + events.map(([name, time, attributes]) => {
    const ns = /^\d+$/.test(time) ? BigInt(time) : 0n;
    return `{"name":${JSON.stringify(name)},"time":"${isoOfNs(ns)}","timeUnixNano":${JSON.stringify(time)},"attributes":${orEmpty(attributes, '{}')}}`;
  }).join(',') + ']';
}

function linksJson(links: readonly LinkParts[]): string {
  return '[' + links.map(([traceId, spanId, traceState, attributes]) =>
    `{"traceId":${JSON.stringify(traceId)},"spanId":${JSON.stringify(spanId)},"traceState":${orEmpty(traceState, 'null')},"attributes":${orEmpty(attributes, '{}')}}`,
  ).join(',') + ']';
}

/**
 * One span as Span JSON text. `s.attributes` must hold every attribute (as spanRecordOf gives
 * it); a running span (no end) shows no status message, trace state, events, links or drops, as
 * a start mark knows none.
 */
export function spanJson(s: SpanRecord, events: readonly EventParts[], links: readonly LinkParts[]): string {
  const end = s.endTimeUnixNano;
  const running = end === null;
  return `{"traceId":${JSON.stringify(s.traceId)},"spanId":${JSON.stringify(s.spanId)},"parentSpanId":${q(s.parentSpanId)}`
    + `,"name":${JSON.stringify(s.name)},"serviceName":${JSON.stringify(s.serviceName)},"kind":"${SPAN_KIND_NAMES[s.kind] ?? 'unspecified'}"`
    + `,"startTime":"${isoOfNs(s.startTimeUnixNano)}","startTimeUnixNano":"${s.startTimeUnixNano}"`
    + `,"endTime":${running ? 'null' : `"${isoOfNs(end)}"`},"endTimeUnixNano":${running ? 'null' : `"${end}"`}`
    + `,"durationMs":${running ? 'null' : JSON.stringify(Number(end - s.startTimeUnixNano) / 1e6)}`
    + `,"status":"${spanStatusOf(s)}","statusCode":"${running ? 'unset' : (STATUS_CODE_NAMES[s.statusCode] ?? 'unset')}"`
    + `,"statusMessage":${running ? 'null' : q(s.statusMessage)},"attributes":${s.attributes}`
    + `,"resourceAttributes":${s.resourceAttributes},"scopeName":${q(s.scopeName)},"scopeVersion":${q(s.scopeVersion)}`
    + `,"traceState":${running ? 'null' : q(s.traceState)},"events":${running ? '[]' : eventsJson(events)},"links":${running ? '[]' : linksJson(links)}`
    + `,"droppedAttributesCount":${running ? 0 : s.droppedAttributesCount},"droppedEventsCount":${running ? 0 : s.droppedEventsCount}`
    + `,"droppedLinksCount":${running ? 0 : s.droppedLinksCount}}`;
}

/** The status list of an outline tuple (the API's TraceOutline `codes`). */
const OUTLINE_STATUSES: readonly string[] = OUTLINE_CODES.status;

/** What an outline tuple is made of. */
export type OutlineSpan = Pick<SpanRecord,
  'spanId' | 'parentSpanId' | 'name' | 'serviceName' | 'kind' | 'statusCode' | 'statusMessage' | 'flowStatus'
  | 'nodeId' | 'nodeName' | 'nodeType' | 'nodeIndex' | 'startTimeUnixNano' | 'endTimeUnixNano'>;

/** One outline tuple (trace-outline-sql.ts OUTLINE_FIELDS order), times in whole µs after the base. */
export function outlineTuple(s: OutlineSpan, baseNs: bigint): string {
  const running = s.endTimeUnixNano === null;
  const startUs = s.startTimeUnixNano / 1000n - baseNs / 1000n;
  const durationUs = running ? 'null' : String(s.endTimeUnixNano! / 1000n - s.startTimeUnixNano / 1000n);
  const kind = s.kind >= 1 && s.kind <= 5 ? s.kind : 0;
  const code = running ? 0 : s.statusCode === 1 || s.statusCode === 2 ? s.statusCode : 0;
  return `[${JSON.stringify(s.spanId)},${q(s.parentSpanId)},${JSON.stringify(s.name)},${JSON.stringify(s.serviceName)},${kind}`
    + `,${OUTLINE_STATUSES.indexOf(spanStatusOf(s))},${code},${running ? 'null' : q(s.statusMessage)}`
    + `,${q(s.nodeId)},${q(s.nodeName)},${q(s.nodeType)},${s.nodeIndex === null ? 'null' : String(s.nodeIndex)},${startUs},${durationUs}]`;
}
