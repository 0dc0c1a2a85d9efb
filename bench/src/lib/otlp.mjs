// Workload spans and console lines as OTLP/HTTP request bodies, protobuf (through the
// collector's own generated encoder) or JSON, with the attribute names of flowtrace's trace
// model — what the instrumentation library would send for the same executions.
import { COLLECTOR_DIST } from './collector-dist.mjs';

const { opentelemetry } = await import(`${COLLECTOR_DIST}ingest/generated/otlp.js`);
const TraceReq = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const LogsReq = opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
const SCOPE = { name: '@flowtrace/instrumentation', version: '0.1.0' };

/** The span's attributes as [key, value] pairs (strings, or integers for node.index). */
export function spanAttributes(s) {
  const a = [];
  if (s.flow) {
    a.push(['flow.execution.kind', s.flow.kind], ['flow.id', s.flow.id], ['flow.name', s.flow.name], ['flow.version', s.flow.version]);
    a.push(['flow.trigger.type', s.flow.trigger], ['enduser.id', s.flow.userId], ['order.id', s.flow.orderId]);
    if (s.status && s.status !== 'success' && s.status !== 'error') a.push(['flow.execution.status', s.status]);
    if (s.errorNodeId) a.push(['flow.error.node_id', s.errorNodeId]);
    if (s.input !== null) a.push(['flow.input', s.input]);
    if (s.output !== null) a.push(['flow.output', s.output]);
  }
  if (s.node) {
    a.push(['flow.node.id', s.node.id], ['flow.node.name', s.node.name], ['flow.node.type', s.node.type], ['flow.node.index', s.node.index]);
    if (s.nodeStatus && s.nodeStatus !== 'error') a.push(['flow.node.status', s.nodeStatus]);
    if (s.input !== null) a.push(['flow.node.input', s.input]);
    if (s.output !== null) a.push(['flow.node.output', s.output]);
  }
  return a;
}

const pbValue = (v) => (typeof v === 'number' ? { intValue: v } : { stringValue: v });
const pbAttrs = (pairs) => pairs.map(([key, v]) => ({ key, value: pbValue(v) }));
const jsonValue = (v) => (typeof v === 'number' ? { intValue: String(v) } : { stringValue: v });
const jsonAttrs = (pairs) => pairs.map(([key, v]) => ({ key, value: jsonValue(v) }));

function exceptionEvents(s, attrs) {
  if (!s.exception) return [];
  const e = s.exception;
  return [{ name: 'exception', timeUnixNano: String(s.endNs), attributes: attrs([['exception.type', e.type], ['exception.message', e.message], ['exception.stacktrace', e.stack]]) }];
}

function byService(items) {
  const groups = new Map();
  for (const item of items) {
    const list = groups.get(item.service) ?? [];
    list.push(item);
    groups.set(item.service, list);
  }
  return groups;
}

function traceRequest(spans, id, attrs) {
  return {
    resourceSpans: [...byService(spans)].map(([service, list]) => ({
      resource: { attributes: attrs([['service.name', service], ['deployment.environment.name', 'bench']]) },
      scopeSpans: [{
        scope: SCOPE,
        spans: list.map((s) => ({
          traceId: id(s.traceId), spanId: id(s.spanId), parentSpanId: s.parentSpanId ? id(s.parentSpanId) : undefined,
          name: s.name, kind: s.kind, startTimeUnixNano: String(s.startNs), endTimeUnixNano: String(s.endNs),
          attributes: attrs(spanAttributes(s)), events: exceptionEvents(s, attrs),
          status: s.statusCode === 2 ? { code: 2, message: s.exception?.message ?? s.nodeStatus ?? s.status ?? 'error' } : { code: s.statusCode },
        })),
      }],
    })),
  };
}

function logsRequest(logs, id, attrs) {
  return {
    resourceLogs: [...byService(logs)].map(([service, list]) => ({
      resource: { attributes: attrs([['service.name', service]]) },
      scopeLogs: [{
        scope: SCOPE,
        logRecords: list.map((l) => ({
          timeUnixNano: String(l.timeNs), observedTimeUnixNano: String(l.timeNs), severityNumber: l.severity,
          body: { stringValue: l.body }, attributes: attrs([['flowtrace.console.method', l.severity >= 17 ? 'error' : 'log']]),
          traceId: id(l.traceId), spanId: id(l.spanId),
        })),
      }],
    })),
  };
}

const bytesId = (hex) => Buffer.from(hex, 'hex');
const hexId = (hex) => hex;

/** POST /v1/traces body, protobuf. */
export const encodeTracesProtobuf = (spans) => TraceReq.encode(traceRequest(spans, bytesId, pbAttrs)).finish();
/** POST /v1/traces body, OTLP/JSON. */
export const encodeTracesJson = (spans) => Buffer.from(JSON.stringify(traceRequest(spans, hexId, jsonAttrs)));
/** POST /v1/logs body, protobuf. */
export const encodeLogsProtobuf = (logs) => LogsReq.encode(logsRequest(logs, bytesId, pbAttrs)).finish();

/**
 * Cuts a stream of executions into request-sized chunks of at most `perRequest` spans (as an
 * exporter's batch processor does: a big trace spans several requests) and the logs with them.
 */
export function* requestChunks(executionStream, perRequest = 512) {
  let spans = [];
  let logs = [];
  for (const execution of executionStream) {
    for (const s of execution.spans) {
      spans.push(s);
      if (spans.length === perRequest) {
        yield { spans, logs };
        spans = [];
        logs = [];
      }
    }
    logs.push(...execution.logs);
  }
  if (spans.length > 0 || logs.length > 0) yield { spans, logs };
}
