/**
 * Storage records → the API's wire types, in one place: nanoseconds become ISO 8601 plus
 * decimal nanosecond strings, JSON text becomes objects, statuses become names.
 */
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '@flowtrace/instrumentation/conventions';
import type { ExecutionDetail, ExecutionSummary, LiveSpan, LogLine, Span } from '../api/wire-types.js';
import { flowOfExecution, isoOfNs, severityOf, spanStatusOf, type ExecutionRecord, type LogRecord, type SpanRecord } from '../storage/index.js';

/** The span model's (storage/span-model/span-status.ts), for the routes that write times. */
export { isoOfNs };

const msBetween = (start: bigint, end: bigint): number => Number(end - start) / 1e6;

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Duration of the finished root; while running, the time so far; once abandoned, until it fell silent. */
function executionDurationMs(e: ExecutionRecord): number {
  const end = e.rootFinished ? e.endNs : e.status === 'running' ? BigInt(Date.now()) * 1_000_000n : e.lastSeenNs;
  return end !== null && end >= e.startNs ? msBetween(e.startNs, end) : 0;
}

export function executionToWire(e: ExecutionRecord): ExecutionSummary {
  const end = e.endNs;
  return {
    traceId: e.traceId,
    flowName: flowOfExecution(e) ?? 'unknown',
    flowId: e.flowId,
    flowVersion: e.flowVersion,
    executionKind: e.executionKind,
    serviceName: e.serviceName,
    status: e.status as ExecutionSummary['status'],
    startTime: isoOfNs(e.startNs),
    startTimeUnixNano: e.startNs.toString(),
    endTime: e.rootFinished && end !== null ? isoOfNs(end) : null,
    durationMs: executionDurationMs(e),
    spanCount: e.spanCount,
    errorCount: e.errorCount,
    triggerType: e.triggerType,
    userId: e.userId,
    errorNodeId: e.errorNodeId,
    errorMessage: e.errorMessage,
    hasRoot: e.rootFinished,
    continuesRemoteTrace: e.rootParentSpanId !== null,
    remoteParentSpanId: e.rootParentSpanId,
    lastSeenAt: isoOfNs(e.lastSeenNs),
  };
}

/**
 * The execution of a trace answer: its summary with the span count of the spans actually
 * read, and complete once the root is in and no span misses its parent.
 */
export function executionDetailToWire(e: ExecutionRecord, spanCount: number, orphanCount: number): ExecutionDetail['execution'] {
  return { ...executionToWire(e), spanCount, complete: e.rootFinished && orphanCount === 0, orphanCount };
}

/** The kind, times, duration and status of a span as the API shows them (full span and live summary alike). */
function spanTimesAndStatus(s: Pick<SpanRecord, 'kind' | 'startTimeUnixNano' | 'endTimeUnixNano' | 'flowStatus' | 'statusCode'>) {
  const end = s.endTimeUnixNano;
  return {
    kind: SPAN_KIND_NAMES[s.kind] ?? 'unspecified',
    startTime: isoOfNs(s.startTimeUnixNano),
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTime: end === null ? null : isoOfNs(end),
    endTimeUnixNano: end === null ? null : end.toString(),
    durationMs: end === null ? null : msBetween(s.startTimeUnixNano, end),
    status: spanStatusOf(s),
    statusCode: STATUS_CODE_NAMES[s.statusCode] ?? 'unset',
  };
}

export function spanToWire(s: SpanRecord): Span {
  const events = parseJson<Array<{ name: string; timeUnixNano: string; attributes: Record<string, unknown> }>>(s.events, []);
  const links = parseJson<Array<{ traceId: string; spanId: string; traceState: string | null; attributes: Record<string, unknown> }>>(s.links, []);
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    serviceName: s.serviceName,
    ...spanTimesAndStatus(s),
    statusMessage: s.statusMessage,
    attributes: parseJson(s.attributes, {}),
    resourceAttributes: parseJson(s.resourceAttributes, {}),
    scopeName: s.scopeName,
    scopeVersion: s.scopeVersion,
    traceState: s.traceState,
    events: events.map((ev) => ({
      name: ev.name,
      time: isoOfNs(BigInt(ev.timeUnixNano ?? '0')),
      timeUnixNano: String(ev.timeUnixNano ?? '0'),
      attributes: ev.attributes ?? {},
    })),
    links: links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, traceState: l.traceState ?? null, attributes: l.attributes ?? {} })),
    droppedAttributesCount: s.droppedAttributesCount,
    droppedEventsCount: s.droppedEventsCount,
    droppedLinksCount: s.droppedLinksCount,
  };
}

const LIVE_TEXT_CHARS = 1024;

/** A text cut to LIVE_TEXT_CHARS, so one live event stays small whatever a sender names things. */
function clip<T extends string | null>(text: T): T {
  return (text !== null && text.length > LIVE_TEXT_CHARS ? text.slice(0, LIVE_TEXT_CHARS - 1) + '…' : text) as T;
}

/** The fields of a span its live summary is made of (the live feed keeps only these). */
export type LiveSpanSource = Pick<SpanRecord,
  | 'traceId' | 'spanId' | 'parentSpanId' | 'name' | 'serviceName' | 'kind' | 'startTimeUnixNano' | 'endTimeUnixNano'
  | 'statusCode' | 'statusMessage' | 'flowStatus' | 'nodeId' | 'nodeName' | 'nodeType' | 'nodeIndex'>;

/**
 * The summary of a span a live event carries: no attributes, events or links, so the live
 * buffer never holds a payload (the node fields come from their columns, not the attributes).
 */
export function spanToLiveWire(s: LiveSpanSource): LiveSpan {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: clip(s.name),
    serviceName: clip(s.serviceName),
    ...spanTimesAndStatus(s),
    statusMessage: clip(s.statusMessage),
    nodeId: clip(s.nodeId),
    nodeName: clip(s.nodeName),
    nodeType: clip(s.nodeType),
    nodeIndex: s.nodeIndex,
  };
}

/** The severity a line shows: its text as sent, else the name of its number (INFO2 for 10). */
export function severityName(number: number, text: string | null): string {
  return severityOf({ severityNumber: number, severityText: text === '' ? null : text });
}

export function logToWire(l: LogRecord): LogLine {
  return {
    traceId: l.traceId,
    spanId: l.spanId === '' ? null : l.spanId,
    time: isoOfNs(l.timeNs),
    timeUnixNano: l.timeNs.toString(),
    severity: severityName(l.severityNumber, l.severityText),
    severityNumber: l.severityNumber,
    body: l.body,
    attributes: parseJson(l.attributes, {}),
  };
}
