/**
 * The one mapping between flowtrace's engine-neutral span model (span-model/span.ts) and this
 * engine's table rows, both ways: an ingest batch's logical spans, start marks, log records and
 * metric points become rows of
 * span_data, attribute_values, log_data and metric_data; rows read back become the storage
 * records every engine returns, through the shared decoders (records.ts).
 *
 * Invariants: ids and texts as ingest wrote them; times are Int64 nanoseconds, sent as decimal
 * strings and read back as bigint (never through a double); span attributes are stored whole
 * in `attributes` (the hot flow.* ones included: what SQL sees is every attribute), the large
 * ones (payloads) apart in `large_attributes`, one JSON object text each; '' is "no parent".
 */
import { executionRecordFromRow, type ExecutionRecord } from '../records.js';
import { decodeLog, decodeSpan, type LogRecord, type SpanRecord } from '../span-model/decode.js';
import { encodeAttributes } from '../span-model/encode.js';
import { largePieceColumn } from '../span-model/large-attributes.js';
import type { IngestLog, IngestSpan } from '../span-model/span.js';
import type { MetricRow } from '../metric-rows.js';
import type { Row } from './connection.js';

/** span_data.version of a running row (start mark) and of a finished span: FINAL keeps the higher. */
export const RUNNING_VERSION = 0;
export const FINISHED_VERSION = 1;


const INT64_MAX = 2n ** 63n - 1n;

/** Throws when a time does not fit Int64 (ingest refuses such a record; this is the last line of defence). */
function checkNs(what: string, ns: bigint | null): void {
  if (ns !== null && (ns < 0n || ns > INT64_MAX)) throw new Error(`${what} ${ns} does not fit a 64-bit nanosecond time`);
}

/** A span (finished or running) as a row of span_data, and its value index rows (finished spans only). */
export function spanToRows(s: IngestSpan, finished: boolean): { span: Record<string, unknown>; values: Array<Record<string, unknown>> } {
  checkNs(`span ${s.spanId} start`, s.startTimeUnixNano);
  checkNs(`span ${s.spanId} end`, finished ? s.endTimeUnixNano : null);
  // Hot attributes stay in the JSON too (move = false): SQL over attributes sees every one.
  const indexed: string[] = [];
  const attributes = encodeAttributes(s.attributes, s, false, finished ? indexed : null);
  const values: Array<Record<string, unknown>> = [];
  if (finished) {
    const kv = indexed;
    for (let i = 0; i + 1 < kv.length; i += 2) values.push({ key: kv[i], value: kv[i + 1], trace_id: s.traceId, start_ns: s.startTimeUnixNano });
  }
  return { span: spanRow(s, finished, attributes), values };
}

function spanRow(s: IngestSpan, finished: boolean, attributes: { small: string; large: string | null }): Record<string, unknown> {
  return {
    trace_id: s.traceId,
    span_id: s.spanId,
    parent_span_id: s.parentSpanId ?? '',
    trace_state: s.traceState,
    name: s.name,
    kind: s.kind,
    service_name: s.serviceName,
    start_ns: s.startTimeUnixNano,
    end_ns: finished ? s.endTimeUnixNano : null,
    status_code: s.statusCode,
    status_message: s.statusMessage,
    exception_message: s.exceptionMessage,
    execution_kind: s.executionKind,
    flow_id: s.flowId,
    flow_name: s.flowName,
    flow_version: s.flowVersion,
    trigger_type: s.triggerType,
    user_id: s.userId,
    node_id: s.nodeId,
    node_name: s.nodeName,
    node_type: s.nodeType,
    node_index: s.nodeIndex,
    flow_status: s.flowStatus,
    error_node_id: s.errorNodeId,
    attributes: attributes.small,
    large_attributes: attributes.large,
    resource_attributes: s.resourceAttributes,
    scope_name: s.scopeName,
    scope_version: s.scopeVersion,
    events: s.events,
    links: s.links,
    flags: s.flags,
    dropped_attributes_count: s.droppedAttributesCount,
    dropped_events_count: s.droppedEventsCount,
    dropped_links_count: s.droppedLinksCount,
    resource_schema_url: s.resourceSchemaUrl,
    resource_dropped_attributes_count: s.resourceDroppedAttributesCount,
    scope_attributes: s.scopeAttributes,
    scope_dropped_attributes_count: s.scopeDroppedAttributesCount,
    scope_schema_url: s.scopeSchemaUrl,
    value_types: s.valueTypes,
    version: finished ? FINISHED_VERSION : RUNNING_VERSION,
  };
}

export function logToRow(l: IngestLog): Record<string, unknown> {
  checkNs('log record time', l.timeUnixNano);
  checkNs('log record observed time', l.observedTimeUnixNano);
  return {
    trace_id: l.traceId,
    span_id: l.spanId,
    time_ns: l.timeUnixNano,
    observed_time_ns: l.observedTimeUnixNano,
    severity_number: l.severityNumber,
    severity_text: l.severityText,
    body: l.body,
    body_type: l.bodyType,
    attributes: l.attributes,
    resource_attributes: l.resourceAttributes,
    service_name: l.serviceName,
    scope_name: l.scopeName,
    scope_version: l.scopeVersion,
    event_name: l.eventName,
    flags: l.flags,
    dropped_attributes_count: l.droppedAttributesCount,
    resource_schema_url: l.resourceSchemaUrl,
    resource_dropped_attributes_count: l.resourceDroppedAttributesCount,
    scope_attributes: l.scopeAttributes,
    scope_dropped_attributes_count: l.scopeDroppedAttributesCount,
    scope_schema_url: l.scopeSchemaUrl,
    value_types: l.valueTypes,
  };
}

export function metricToRow(m: MetricRow): Record<string, unknown> {
  checkNs('metric point time', m.timeUnixNano);
  checkNs('metric point start', m.startTimeUnixNano);
  return {
    service_name: m.serviceName,
    resource_attributes: m.resourceAttributes,
    scope_name: m.scopeName,
    scope_version: m.scopeVersion,
    scope_attributes: m.scopeAttributes,
    name: m.name,
    description: m.description,
    unit: m.unit,
    type: m.type,
    temporality: m.temporality,
    is_monotonic: m.isMonotonic,
    attributes: m.attributes,
    start_ns: m.startTimeUnixNano,
    time_ns: m.timeUnixNano,
    value: m.value,
    int_value: m.intValue,
    count: m.count,
    sum: m.sum,
    min: m.min,
    max: m.max,
    buckets: m.buckets,
    exemplars: m.exemplars,
    flags: m.flags,
  };
}

/** Int64 columns arrive as decimal strings (quoted 64-bit integers): bigint, null kept. */
function withBigints(row: Row, columns: readonly string[]): Row {
  const out: Row = { ...row };
  for (const c of columns) {
    const v = row[c];
    if (v !== null && v !== undefined) out[c] = BigInt(v as string);
  }
  return out;
}

const SPAN_NS = ['start_ns', 'end_ns'] as const;
const LOG_NS = ['time_ns', 'observed_time_ns'] as const;
const EXECUTION_NS = ['start_ns', 'end_ns', 'min_start_ns', 'max_start_ns', 'last_seen_ns'] as const;

/** A span_data row read back (FINAL: the finished row over its running mark) as the stored span. */
export function spanRecordOf(row: Row): SpanRecord {
  const large = row.large_attributes;
  return decodeSpan({
    ...withBigints(row, SPAN_NS),
    parent_span_id: row.parent_span_id === '' ? null : row.parent_span_id,
    // span-model/decode.ts reads the large attributes from its piece columns; the whole text is one piece.
    large_attributes_0: large === undefined ? null : large,
    moved_attributes: 0,
  });
}

export function logRecordOf(row: Row): LogRecord {
  return decodeLog(withBigints(row, LOG_NS));
}

/** A row of the rollup's merged form (execution-rows-sql.ts) as the execution record. */
export function executionRecordOf(row: Row): ExecutionRecord {
  return executionRecordFromRow(withBigints(row, EXECUTION_NS));
}
