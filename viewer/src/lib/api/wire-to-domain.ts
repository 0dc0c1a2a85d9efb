/**
 * Wire → domain, in one place: ISO strings and nanosecond strings become epoch ms, outline
 * tuples become span objects, the `incomplete` display status is derived, and nothing else
 * in the viewer reads wire types.
 */
import type { ExecutionDetail, ExecutionSummary, LiveSpan, LogLine, OutlineField, SpanDetail, TraceOutline } from '@flowtrace/collector/api';
import type { ConsoleLine, Execution, ExecutionDetailModel, SpanDetailsModel, SpanModel, TraceData } from '../model/types.js';
import { nsToMs } from '../model/time.js';

function isoToMs(iso: string | null): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** One execution summary. */
export function toExecution(w: ExecutionSummary): Execution {
  const startMs = w.startTimeUnixNano ? nsToMs(w.startTimeUnixNano) : (isoToMs(w.startTime) ?? 0);
  return {
    traceId: w.traceId,
    flowName: w.flowName,
    flowId: w.flowId,
    flowVersion: w.flowVersion,
    kind: w.executionKind,
    serviceName: w.serviceName,
    status: w.status,
    displayStatus: w.status !== 'running' && !w.hasRoot ? 'incomplete' : w.status,
    startMs,
    endMs: isoToMs(w.endTime),
    durationMs: w.durationMs,
    spanCount: w.spanCount,
    errorCount: w.errorCount,
    triggerType: w.triggerType,
    userId: w.userId,
    errorNodeId: w.errorNodeId,
    errorMessage: w.errorMessage,
    hasRoot: w.hasRoot,
    // Absent from collectors older than the field: such a trace is not known to continue one.
    continuesRemoteTrace: w.continuesRemoteTrace ?? false,
    remoteParentSpanId: w.remoteParentSpanId ?? null,
    lastSeenMs: isoToMs(w.lastSeenAt) ?? startMs,
  };
}

/** One span summary (of a live event) as the waterfall knows it; a running span keeps endMs null. */
export function toSpan(w: LiveSpan): SpanModel {
  return {
    traceId: w.traceId,
    spanId: w.spanId,
    parentSpanId: w.parentSpanId,
    name: w.name,
    serviceName: w.serviceName,
    kind: w.kind,
    startMs: nsToMs(w.startTimeUnixNano),
    endMs: w.endTimeUnixNano ? nsToMs(w.endTimeUnixNano) : null,
    status: w.status,
    statusCode: w.statusCode,
    statusMessage: w.statusMessage,
    nodeId: w.nodeId ?? null,
    nodeName: w.nodeName ?? null,
    nodeType: w.nodeType ?? null,
    nodeIndex: typeof w.nodeIndex === 'number' ? w.nodeIndex : null,
  };
}

/** One span's details (GET /api/executions/:traceId/spans/:spanId): attributes, events, links, console lines. */
export function toSpanDetails(w: SpanDetail): SpanDetailsModel {
  const s = w.span;
  return {
    spanId: s.spanId,
    attributes: s.attributes ?? {},
    resourceAttributes: s.resourceAttributes ?? {},
    scopeName: s.scopeName,
    events: (s.events ?? []).map((e) => ({ name: e.name, timeMs: nsToMs(e.timeUnixNano), attributes: e.attributes ?? {} })),
    links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes ?? {} })),
    logs: (w.logs ?? []).map(toConsoleLine).sort((a, b) => a.timeMs - b.timeMs),
  };
}

/** One console line (an OTLP log record of the trace). */
export function toConsoleLine(w: LogLine): ConsoleLine {
  return {
    spanId: w.spanId,
    timeMs: nsToMs(w.timeUnixNano),
    severity: w.severity,
    severityNumber: w.severityNumber,
    body: w.body,
    attributes: w.attributes ?? {},
  };
}

function toExecutionDetail(w: ExecutionDetail['execution']): ExecutionDetailModel {
  return { ...toExecution(w), complete: w.complete, orphanCount: w.orphanCount };
}

/**
 * A trace outline (GET /api/executions/:traceId/outline) → the spans the waterfall draws.
 * Tuple positions are read from `fields`, so fields the collector appends later are ignored
 * and a field it does not send reads as absent; a field with a list in `codes` holds an
 * index into it, any other its value.
 */
export function toTraceOutline(w: TraceOutline): TraceData {
  const at = (field: OutlineField): number => w.fields.indexOf(field);
  const [id, parent, name, service, kind, status, code, message] = [
    at('spanId'), at('parentSpanId'), at('name'), at('serviceName'), at('kind'), at('status'), at('statusCode'), at('statusMessage'),
  ];
  const [nodeId, nodeName, nodeType, nodeIndex, start, duration] = [at('nodeId'), at('nodeName'), at('nodeType'), at('nodeIndex'), at('startUs'), at('durationUs')];
  const codes = (w.codes ?? {}) as Partial<Record<OutlineField, readonly string[]>>;
  /** The value of a field, decoded through its list of codes if it has one. */
  const decoder = (field: OutlineField): ((v: unknown) => unknown) => {
    const list = codes[field];
    return list ? (v) => (typeof v === 'number' ? list[v] : v) : (v) => v;
  };
  const [kindOf, statusOf, codeOf] = [decoder('kind'), decoder('status'), decoder('statusCode')];
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  // Times as nsToMs gives them (epoch µs, cut, then ms): the base's µs plus the tuple's µs.
  const base = w.baseTimeUnixNano.padStart(4, '0');
  const baseUs = Number(base.slice(0, -3));
  const traceId = w.execution.traceId;
  const spans = new Array<SpanModel>(w.spans.length);
  for (let i = 0; i < spans.length; i++) {
    const t = w.spans[i] as unknown[];
    const startUs = baseUs + ((t[start] as number | undefined) ?? 0);
    const durationUs = t[duration];
    spans[i] = {
      traceId,
      spanId: t[id] as string,
      parentSpanId: (t[parent] as string | null | undefined) ?? null,
      name: (t[name] as string | undefined) ?? '',
      serviceName: (t[service] as string | undefined) ?? '',
      kind: (kindOf(t[kind]) as string | undefined) ?? 'unspecified',
      startMs: startUs / 1000,
      endMs: typeof durationUs === 'number' ? (startUs + durationUs) / 1000 : null,
      status: (statusOf(t[status]) as SpanModel['status'] | undefined) ?? 'success',
      statusCode: (codeOf(t[code]) as SpanModel['statusCode'] | undefined) ?? 'unset',
      statusMessage: text(t[message]),
      nodeId: text(t[nodeId]),
      nodeName: text(t[nodeName]),
      nodeType: text(t[nodeType]),
      nodeIndex: typeof t[nodeIndex] === 'number' ? (t[nodeIndex] as number) : null,
    };
  }
  return { execution: toExecutionDetail(w.execution), spans };
}
