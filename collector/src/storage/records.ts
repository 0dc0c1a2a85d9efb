/**
 * What the reader returns: storage records read back from DuckDB, converted from its row
 * objects in one place. Times stay nanoseconds (bigint) here; query/ turns records into
 * the API's wire types.
 */
import { withMovedAttributes } from './moved-attributes.js';
import { mergedAttributes, type OtlpOriginFields, type SpanRow } from './rows.js';
import { severityTextOf } from './severity.js';

export interface ExecutionRecord {
  traceId: string;
  rootSpanId: string | null;
  /**
   * The root's parent, which is not in the trace: the trace continues one from elsewhere (a
   * remote parent, or one that never arrived). null when the root has no parent.
   */
  rootParentSpanId: string | null;
  rootName: string | null;
  rootFinished: boolean;
  rootStarted: boolean;
  /** OTLP status code of the finished root. */
  rootStatusCode: number | null;
  /** flow.execution.status of the finished root. */
  rootFlowStatus: string | null;
  /** Derived: running, success, error, cancelled, timed_out, abandoned. */
  status: string;
  serviceName: string;
  executionKind: string | null;
  flowId: string | null;
  flowName: string | null;
  flowVersion: string | null;
  triggerType: string | null;
  userId: string | null;
  errorNodeId: string | null;
  errorMessage: string | null;
  startNs: bigint;
  endNs: bigint | null;
  minStartNs: bigint;
  maxStartNs: bigint;
  spanCount: number;
  errorCount: number;
  lastSeenNs: bigint;
}

/**
 * A span as stored: a finished SpanRow, or a running one (endTimeUnixNano null). Read back,
 * `attributes` holds every attribute again (the large and the moved ones put back), `largeAttributes`
 * is null and `movedAttributes` 0.
 */
export type SpanRecord = SpanRow;

export interface LogRecord extends OtlpOriginFields {
  traceId: string;
  spanId: string;
  timeNs: bigint;
  observedTimeNs: bigint;
  severityNumber: number;
  /** As sent; null when the record had none (severityTextOf names the number then). */
  severityText: string | null;
  body: string;
  /** rows.ts BODY_TYPE; rows written before schema/014 are given 0 ('' body) or 1 (string). */
  bodyType: number;
  attributes: string;
  resourceAttributes: string;
  serviceName: string;
  scopeName: string | null;
  scopeVersion: string | null;
  eventName: string | null;
  flags: number;
  droppedAttributesCount: number;
}

type Row = Record<string, unknown>;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(Number(v ?? 0)));
const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : big(v));
const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v ?? 0));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

/** From a row of execution_data (plus a derived `status` column). */
export function executionRecordFromRow(row: Row): ExecutionRecord {
  return {
    traceId: String(row.trace_id),
    rootSpanId: str(row.root_span_id),
    rootParentSpanId: str(row.root_parent_span_id),
    rootName: str(row.root_name),
    rootFinished: row.root_finished === true,
    rootStarted: row.root_started === true,
    rootStatusCode: numOrNull(row.root_status_code),
    rootFlowStatus: str(row.root_flow_status),
    status: str(row.status) ?? (row.root_finished === true ? deriveFinishedStatus(row) : 'running'),
    serviceName: String(row.service_name),
    executionKind: str(row.execution_kind),
    flowId: str(row.flow_id),
    flowName: str(row.flow_name),
    flowVersion: str(row.flow_version),
    triggerType: str(row.trigger_type),
    userId: str(row.user_id),
    errorNodeId: str(row.error_node_id),
    errorMessage: str(row.error_message),
    startNs: big(row.start_ns),
    endNs: bigOrNull(row.end_ns),
    minStartNs: big(row.min_start_ns),
    maxStartNs: big(row.max_start_ns),
    spanCount: num(row.span_count),
    errorCount: num(row.error_count),
    lastSeenNs: big(row.last_seen_ns),
  };
}

function deriveFinishedStatus(row: Row): string {
  const flowStatus = str(row.root_flow_status);
  if (flowStatus && ['success', 'error', 'cancelled', 'timed_out'].includes(flowStatus)) return flowStatus;
  return num(row.root_status_code) === 2 ? 'error' : 'success';
}

/** From a row of span_data, or of span_starts (missing columns read as running). */
export function spanRecordFromRow(row: Row): SpanRecord {
  const record: SpanRecord = {
    traceId: String(row.trace_id),
    spanId: String(row.span_id),
    parentSpanId: str(row.parent_span_id),
    traceState: str(row.trace_state),
    name: String(row.name),
    kind: num(row.kind),
    serviceName: String(row.service_name),
    startTimeUnixNano: big(row.start_ns),
    endTimeUnixNano: bigOrNull(row.end_ns),
    statusCode: num(row.status_code),
    statusMessage: str(row.status_message),
    exceptionMessage: str(row.exception_message),
    executionKind: str(row.execution_kind),
    flowId: str(row.flow_id),
    flowName: str(row.flow_name),
    flowVersion: str(row.flow_version),
    triggerType: str(row.trigger_type),
    userId: str(row.user_id),
    nodeId: str(row.node_id),
    nodeName: str(row.node_name),
    nodeType: str(row.node_type),
    nodeIndex: numOrNull(row.node_index),
    flowStatus: str(row.flow_status),
    errorNodeId: str(row.error_node_id),
    attributes: mergedAttributes(String(row.attributes ?? '{}'), Array.isArray(row.large_attributes) ? row.large_attributes.join('') : null),
    largeAttributes: null,
    movedAttributes: 0,
    indexedValues: null,
    resourceAttributes: String(row.resource_attributes ?? '{}'),
    scopeName: str(row.scope_name),
    scopeVersion: str(row.scope_version),
    events: String(row.events ?? '[]'),
    links: String(row.links ?? '[]'),
    flags: num(row.flags),
    droppedAttributesCount: num(row.dropped_attributes_count),
    droppedEventsCount: num(row.dropped_events_count),
    droppedLinksCount: num(row.dropped_links_count),
    ...originFromRow(row),
  };
  const moved = row.moved_attributes == null ? 0 : Number(row.moved_attributes);
  if (moved !== 0) record.attributes = withMovedAttributes(record.attributes, moved, record);
  return record;
}

/** The schema/014 columns of a span_data or log_data row (absent or NULL: as before 014). */
function originFromRow(row: Row): OtlpOriginFields {
  return {
    resourceSchemaUrl: str(row.resource_schema_url),
    resourceDroppedAttributesCount: num(row.resource_dropped_attributes_count),
    scopeAttributes: str(row.scope_attributes),
    scopeDroppedAttributesCount: num(row.scope_dropped_attributes_count),
    scopeSchemaUrl: str(row.scope_schema_url),
    valueTypes: str(row.value_types),
  };
}

/** From a row of log_data. */
export function logRecordFromRow(row: Row): LogRecord {
  const body = String(row.body);
  return {
    traceId: String(row.trace_id),
    spanId: String(row.span_id),
    timeNs: big(row.time_ns),
    observedTimeNs: big(row.observed_time_ns),
    severityNumber: num(row.severity_number),
    severityText: str(row.severity_text),
    body,
    bodyType: row.body_type == null ? (body === '' ? 0 : 1) : num(row.body_type),
    attributes: String(row.attributes ?? '{}'),
    resourceAttributes: String(row.resource_attributes ?? '{}'),
    serviceName: String(row.service_name ?? ''),
    scopeName: str(row.scope_name),
    scopeVersion: str(row.scope_version),
    eventName: str(row.event_name),
    flags: num(row.flags),
    droppedAttributesCount: num(row.dropped_attributes_count),
    ...originFromRow(row),
  };
}

/** The severity a log record shows: its text, else the name of its number. */
export function severityOf(record: Pick<LogRecord, 'severityNumber' | 'severityText'>): string {
  return record.severityText ?? severityTextOf(record.severityNumber) ?? 'UNSPECIFIED';
}
