/**
 * A CommitNotice as the text of a change_feed row and back. The row carries only what live
 * events read (the span summary fields, the touched executions, trace-bound lines with their
 * bodies cut), never payloads: the feed stays small whatever the spans carry. Decoded spans and
 * lines have the fields a summary does not need at their empty values.
 * bigints travel as decimal strings.
 */
import type { ChangedExecution, CommitNotice } from '../contract.js';
import type { BodyType, IngestLog as LogRow, IngestSpan as SpanRow } from '../span-model/span.js';

/** Characters of a line's body the feed keeps (the live feed shows fewer). */
const BODY_CHARS = 4096;

const SPAN_FIELDS = [
  'traceId', 'spanId', 'parentSpanId', 'name', 'serviceName', 'kind', 'startTimeUnixNano', 'endTimeUnixNano', 'statusCode',
  'statusMessage', 'flowStatus', 'nodeId', 'nodeName', 'nodeType', 'nodeIndex',
] as const;
const LOG_FIELDS = ['traceId', 'spanId', 'timeUnixNano', 'observedTimeUnixNano', 'severityNumber', 'severityText', 'body', 'bodyType', 'serviceName'] as const;
const EXECUTION_BIGINTS = ['startNs', 'endNs', 'minStartNs', 'maxStartNs', 'lastSeenNs'] as const;

const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);
const pick = <T extends object>(o: T, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));

export function encodeNotice(n: CommitNotice): string {
  return JSON.stringify({
    spans: n.spans.map((s) => pick(s, SPAN_FIELDS)),
    starts: n.starts.map((s) => pick(s, SPAN_FIELDS)),
    logs: n.logs.filter((l) => l.traceId !== '').map((l) => ({ ...pick(l, LOG_FIELDS), body: l.body.slice(0, BODY_CHARS) })),
    logCount: n.logCount,
    metricPointCount: n.metricPointCount ?? 0,
    executions: n.executions,
  }, big);
}

const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as string));

function spanOf(o: Record<string, unknown>): SpanRow {
  return {
    traceId: String(o.traceId), spanId: String(o.spanId), parentSpanId: (o.parentSpanId as string | null) ?? null, traceState: null,
    name: String(o.name), kind: Number(o.kind), serviceName: String(o.serviceName),
    startTimeUnixNano: BigInt(o.startTimeUnixNano as string), endTimeUnixNano: bigOrNull(o.endTimeUnixNano),
    statusCode: Number(o.statusCode), statusMessage: (o.statusMessage as string | null) ?? null, exceptionMessage: null,
    executionKind: null, flowId: null, flowName: null, flowVersion: null, triggerType: null, userId: null,
    nodeId: (o.nodeId as string | null) ?? null, nodeName: (o.nodeName as string | null) ?? null, nodeType: (o.nodeType as string | null) ?? null,
    nodeIndex: (o.nodeIndex as number | null) ?? null, flowStatus: (o.flowStatus as string | null) ?? null, errorNodeId: null,
    attributes: [], resourceAttributes: '{}',
    scopeName: null, scopeVersion: null, events: '[]', links: '[]', flags: 0,
    droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0,
    resourceSchemaUrl: null, resourceDroppedAttributesCount: 0, scopeAttributes: null, scopeDroppedAttributesCount: 0, scopeSchemaUrl: null, valueTypes: null,
  };
}

function logOf(o: Record<string, unknown>): LogRow {
  return {
    traceId: String(o.traceId), spanId: String(o.spanId), timeUnixNano: BigInt(o.timeUnixNano as string),
    observedTimeUnixNano: BigInt(o.observedTimeUnixNano as string), severityNumber: Number(o.severityNumber),
    severityText: (o.severityText as string | null) ?? null, body: String(o.body), bodyType: Number(o.bodyType) as BodyType,
    attributes: '{}', resourceAttributes: '{}', serviceName: String(o.serviceName), scopeName: null, scopeVersion: null, eventName: null,
    flags: 0, droppedAttributesCount: 0,
    resourceSchemaUrl: null, resourceDroppedAttributesCount: 0, scopeAttributes: null, scopeDroppedAttributesCount: 0, scopeSchemaUrl: null, valueTypes: null,
  };
}

function executionOf(o: Record<string, unknown>): ChangedExecution {
  const e = { ...o } as Record<string, unknown>;
  for (const k of EXECUTION_BIGINTS) e[k] = bigOrNull(o[k]);
  return e as unknown as ChangedExecution;
}

export function decodeNotice(text: string): CommitNotice {
  const o = JSON.parse(text) as Record<string, Array<Record<string, unknown>>> & { logCount: number; metricPointCount: number };
  const logs = o.logs.map(logOf);
  return {
    spans: o.spans.map(spanOf),
    starts: o.starts.map(spanOf),
    logs,
    logCount: o.logCount,
    metricPointCount: o.metricPointCount,
    executions: o.executions.map(executionOf),
  };
}
