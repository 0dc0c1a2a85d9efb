/**
 * Wire → domain, in one place: ISO strings and nanosecond strings become epoch ms, the
 * `incomplete` display status is derived, and nothing else in the viewer reads wire types.
 */
import type { ExecutionDetail, ExecutionSummary, LogLine, Span } from '@flowtrace/collector/api';
import type { ConsoleLine, Execution, ExecutionDetailModel, SpanModel, TraceData } from '../model/types.js';
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
    lastSeenMs: isoToMs(w.lastSeenAt) ?? startMs,
  };
}

/** One span; a running span keeps endMs null. */
export function toSpan(w: Span): SpanModel {
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
    attributes: w.attributes ?? {},
    resourceAttributes: w.resourceAttributes ?? {},
    scopeName: w.scopeName,
    events: (w.events ?? []).map((e) => ({ name: e.name, timeMs: nsToMs(e.timeUnixNano), attributes: e.attributes ?? {} })),
    links: (w.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes ?? {} })),
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

/** The whole execution answer: summary, spans and console lines. */
export function toTraceData(w: ExecutionDetail): TraceData {
  const execution: ExecutionDetailModel = {
    ...toExecution(w.execution),
    complete: w.execution.complete,
    orphanCount: w.execution.orphanCount,
  };
  const spans = new Array<SpanModel>(w.spans.length);
  for (let i = 0; i < w.spans.length; i++) spans[i] = toSpan(w.spans[i]);
  const logs = w.logs.map(toConsoleLine).sort((a, b) => a.timeMs - b.timeMs);
  return { execution, spans, logs };
}
