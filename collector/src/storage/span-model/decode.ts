/**
 * Stored rows → complete stored spans and log records, in one place. A span_data row (or a
 * span_starts row: the columns a running span lacks read as running) becomes a SpanRecord with
 * every attribute in one JSON object again: the moved ones rebuilt from their columns in front
 * (moved-attributes.ts), then the small ones, then the large ones (large-attributes.ts). SQL
 * that reads attributes does the same through the macros attribute-sql.ts generates from the
 * same rules. Times stay nanoseconds (bigint); query/ turns records into the API's wire types
 * (query/to-wire.ts).
 */
import { severityTextOf } from '../severity.js';
import { LARGE_ATTRIBUTES_COLUMN, mergedAttributes } from './large-attributes.js';
import { withMovedAttributes } from './moved-attributes.js';
import type { BodyType, IngestLog, IngestSpan, OtlpOriginFields } from './span.js';

/**
 * A span as stored: finished, or running (endTimeUnixNano null). `attributes` is the JSON
 * object text of all its attributes (moved, small and large ones).
 */
export interface SpanRecord extends Omit<IngestSpan, 'attributes'> {
  attributes: string;
}

/** A log record as stored. */
export interface LogRecord extends Omit<IngestLog, 'timeUnixNano' | 'observedTimeUnixNano'> {
  timeNs: bigint;
  observedTimeNs: bigint;
}

/** A row as DuckDB returns it: column name → value. */
export type StoredRow = Record<string, unknown>;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(Number(v ?? 0)));
const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : big(v));
const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v ?? 0));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

/** The large attributes' column text of a row, in either form (large-attributes.ts); null when it has none. */
export function largeAttributesOf(row: StoredRow): string | null {
  return str(row[LARGE_ATTRIBUTES_COLUMN]);
}

/** A row of span_data, or of span_starts, as a complete stored span. */
export function decodeSpan(row: StoredRow): SpanRecord {
  const record: SpanRecord = {
    // Listed one by one: a spread here turns every record into a slow dictionary-mode object.
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
    attributes: mergedAttributes(String(row.attributes ?? '{}'), largeAttributesOf(row)),
    resourceAttributes: String(row.resource_attributes ?? '{}'),
    scopeName: str(row.scope_name),
    scopeVersion: str(row.scope_version),
    events: String(row.events ?? '[]'),
    links: String(row.links ?? '[]'),
    flags: num(row.flags),
    droppedAttributesCount: num(row.dropped_attributes_count),
    droppedEventsCount: num(row.dropped_events_count),
    droppedLinksCount: num(row.dropped_links_count),
    ...originOf(row),
  };
  const moved = row.moved_attributes == null ? 0 : Number(row.moved_attributes);
  if (moved !== 0) record.attributes = withMovedAttributes(record.attributes, moved, record);
  return record;
}

/** The resource and scope columns of a span_data or log_data row (absent or NULL in older rows: as sent without them). */
function originOf(row: StoredRow): OtlpOriginFields {
  return {
    resourceSchemaUrl: str(row.resource_schema_url),
    resourceDroppedAttributesCount: num(row.resource_dropped_attributes_count),
    scopeAttributes: str(row.scope_attributes),
    scopeDroppedAttributesCount: num(row.scope_dropped_attributes_count),
    scopeSchemaUrl: str(row.scope_schema_url),
    valueTypes: str(row.value_types),
  };
}

/** A row of log_data as a log record (rows written before schema version 13 have no body_type: '' none, else a string). */
export function decodeLog(row: StoredRow): LogRecord {
  const body = String(row.body);
  return {
    traceId: String(row.trace_id),
    spanId: String(row.span_id),
    timeNs: big(row.time_ns),
    observedTimeNs: big(row.observed_time_ns),
    severityNumber: num(row.severity_number),
    severityText: str(row.severity_text),
    body,
    bodyType: (row.body_type == null ? (body === '' ? 0 : 1) : num(row.body_type)) as BodyType,
    attributes: String(row.attributes ?? '{}'),
    resourceAttributes: String(row.resource_attributes ?? '{}'),
    serviceName: String(row.service_name ?? ''),
    scopeName: str(row.scope_name),
    scopeVersion: str(row.scope_version),
    eventName: str(row.event_name),
    flags: num(row.flags),
    droppedAttributesCount: num(row.dropped_attributes_count),
    ...originOf(row),
  };
}

/** The severity a log record shows: its text, else the name of its number. */
export function severityOf(record: Pick<LogRecord, 'severityNumber' | 'severityText'>): string {
  return record.severityText ?? severityTextOf(record.severityNumber) ?? 'UNSPECIFIED';
}
