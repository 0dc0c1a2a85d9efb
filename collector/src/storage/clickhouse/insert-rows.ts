/**
 * What a commit inserts, as rows in column order for JSONCompactEachRow (connection.ts
 * insertArrays): span_data rows of finished spans and running marks, log_data and metric_data
 * rows. Arrays, not objects: the INSERT carries no key names, and JSON.stringify writes each row on
 * its fast path (no replacer), 64-bit values given as decimal text — measured on the benchmark's
 * payload spans (20,480 spans, 4.5 KB of JSON each): 16 µs per span against 25 µs for objects
 * written with a bigint replacer, and ClickHouse parses the compact form no slower.
 *
 * Invariants: ids and texts as ingest wrote them; times are Int64 nanoseconds sent as decimal
 * strings (checked to fit: the last line of defence, ingest refuses such records); span attributes
 * stored whole in `attributes` (hot ones included), the large ones apart in `large_attributes`;
 * '' is "no parent". The columns lists name every column written; the others take their DEFAULT.
 */
import { encodeAttributes } from '../span-model/encode.js';
import type { IngestLog, IngestSpan } from '../span-model/span.js';
import type { MetricRow } from '../metric-rows.js';
import { FINISHED_VERSION, RUNNING_VERSION } from './span-rows.js';
import { ValueRows } from './value-index-rows.js';

const INT64_MAX = 2n ** 63n - 1n;

/** Decimal text of a time that must fit Int64 (throws otherwise: the batch is refused). */
function ns(what: string, value: bigint): string {
  if (value < 0n || value > INT64_MAX) throw new Error(`${what} ${value} does not fit a 64-bit nanosecond time`);
  return value.toString();
}

const nsOrNull = (what: string, value: bigint | null): string | null => (value === null ? null : ns(what, value));

export const SPAN_COLUMNS = [
  'trace_id', 'span_id', 'parent_span_id', 'trace_state', 'name', 'kind', 'service_name', 'start_ns', 'end_ns', 'status_code',
  'status_message', 'exception_message', 'execution_kind', 'flow_id', 'flow_name', 'flow_version', 'trigger_type', 'user_id',
  'node_id', 'node_name', 'node_type', 'node_index', 'flow_status', 'error_node_id', 'attributes', 'large_attributes',
  'resource_attributes', 'scope_name', 'scope_version', 'events', 'links', 'flags', 'dropped_attributes_count',
  'dropped_events_count', 'dropped_links_count', 'resource_schema_url', 'resource_dropped_attributes_count', 'scope_attributes',
  'scope_dropped_attributes_count', 'scope_schema_url', 'value_types', 'version',
] as const;

/** The span_data rows of a commit's new finished spans and running marks, and their value index rows. */
export function spanInsertRows(finished: readonly IngestSpan[], running: readonly IngestSpan[]): { spans: unknown[][]; values: unknown[][] } {
  const values = new ValueRows();
  const indexed: string[] = [];
  const spans: unknown[][] = [];
  for (const [list, done] of [[finished, true], [running, false]] as const) {
    for (const s of list) {
      indexed.length = 0;
      // Hot attributes stay in the JSON too (move = false): SQL over attributes sees every one.
      const a = encodeAttributes(s.attributes, s, false, indexed);
      spans.push(spanRow(s, done, a.small, a.large));
      values.add(s, done, indexed);
    }
  }
  return { spans, values: values.rows };
}

function spanRow(s: IngestSpan, finished: boolean, attributes: string, large: string | null): unknown[] {
  return [
    s.traceId, s.spanId, s.parentSpanId ?? '', s.traceState, s.name, s.kind, s.serviceName,
    ns(`span ${s.spanId} start`, s.startTimeUnixNano), finished ? nsOrNull(`span ${s.spanId} end`, s.endTimeUnixNano) : null,
    s.statusCode, s.statusMessage, s.exceptionMessage, s.executionKind, s.flowId, s.flowName, s.flowVersion, s.triggerType, s.userId,
    s.nodeId, s.nodeName, s.nodeType, s.nodeIndex, s.flowStatus, s.errorNodeId, attributes, large,
    s.resourceAttributes, s.scopeName, s.scopeVersion, s.events, s.links, s.flags, s.droppedAttributesCount,
    s.droppedEventsCount, s.droppedLinksCount, s.resourceSchemaUrl, s.resourceDroppedAttributesCount, s.scopeAttributes,
    s.scopeDroppedAttributesCount, s.scopeSchemaUrl, s.valueTypes, finished ? FINISHED_VERSION : RUNNING_VERSION,
  ];
}

export const LOG_COLUMNS = [
  'trace_id', 'span_id', 'time_ns', 'observed_time_ns', 'severity_number', 'severity_text', 'body', 'body_type', 'attributes',
  'resource_attributes', 'service_name', 'scope_name', 'scope_version', 'event_name', 'flags', 'dropped_attributes_count',
  'resource_schema_url', 'resource_dropped_attributes_count', 'scope_attributes', 'scope_dropped_attributes_count',
  'scope_schema_url', 'value_types',
] as const;

export function logRow(l: IngestLog): unknown[] {
  return [
    l.traceId, l.spanId, ns('log record time', l.timeUnixNano), ns('log record observed time', l.observedTimeUnixNano),
    l.severityNumber, l.severityText, l.body, l.bodyType, l.attributes, l.resourceAttributes, l.serviceName, l.scopeName,
    l.scopeVersion, l.eventName, l.flags, l.droppedAttributesCount, l.resourceSchemaUrl, l.resourceDroppedAttributesCount,
    l.scopeAttributes, l.scopeDroppedAttributesCount, l.scopeSchemaUrl, l.valueTypes,
  ];
}

export const METRIC_COLUMNS = [
  'service_name', 'resource_attributes', 'scope_name', 'scope_version', 'scope_attributes', 'name', 'description', 'unit', 'type',
  'temporality', 'is_monotonic', 'attributes', 'start_ns', 'time_ns', 'value', 'int_value', 'count', 'sum', 'min', 'max',
  'buckets', 'exemplars', 'flags',
] as const;

const bigText = (v: bigint | null): string | null => (v === null ? null : v.toString());

export function metricRow(m: MetricRow): unknown[] {
  return [
    m.serviceName, m.resourceAttributes, m.scopeName, m.scopeVersion, m.scopeAttributes, m.name, m.description, m.unit, m.type,
    m.temporality, m.isMonotonic, m.attributes, nsOrNull('metric point start', m.startTimeUnixNano), ns('metric point time', m.timeUnixNano),
    m.value, bigText(m.intValue), bigText(m.count), m.sum, m.min, m.max, m.buckets, m.exemplars, m.flags,
  ];
}
