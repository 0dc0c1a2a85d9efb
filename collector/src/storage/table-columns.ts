/**
 * The columns of the tables the writer appends to, in their declared order (schema/002–005,
 * then the columns later files add), each with its DuckDB type and the row field it holds.
 * One list serves two readers: the appender writes a row column by column from it, and
 * `rowProblem` checks a row against it before the row goes anywhere near a group commit — a
 * value the appender would refuse (a number beyond its column's range, a missing value) fails
 * the whole transaction, and with it every request that shares the commit.
 *
 * Invariant: these lists equal the tables that schema/*.sql build (names, types, nullability,
 * order); test/storage/table-columns.test.ts compares them with a database built from the files.
 */
import type { ExecutionRecord } from './records.js';
import type { LogRow, OtlpOriginFields, SpanRow } from './rows.js';

/** The DuckDB types of the appended columns. */
export type ColumnType = 'VARCHAR' | 'VARCHAR[]' | 'BOOLEAN' | 'UTINYINT' | 'USMALLINT' | 'INTEGER' | 'UINTEGER' | 'BIGINT';

export type ColumnValue = string | number | bigint | boolean | null;

export interface Column<R> {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  /** The value appended (VARCHAR[]: the text the appender cuts into pieces). */
  readonly value: (row: R) => ColumnValue;
  /** An OTLP enum narrower than the type (severity 0–24): a value outside is refused too. */
  readonly range?: readonly [number, number];
  /** The OTLP field or attribute the value comes from, for rejection messages. */
  readonly source?: string;
}

/** The range of each integer type, as DuckDB's appender enforces it. */
export const INTEGER_RANGES: Readonly<Record<'UTINYINT' | 'USMALLINT' | 'INTEGER' | 'UINTEGER', readonly [number, number]>> = {
  UTINYINT: [0, 255],
  USMALLINT: [0, 65_535],
  INTEGER: [-(2 ** 31), 2 ** 31 - 1],
  UINTEGER: [0, 2 ** 32 - 1],
};
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

const text = <R>(name: string, value: (row: R) => string | null, nullable = true, source?: string): Column<R> =>
  ({ name, type: 'VARCHAR', nullable, value, source });
const int = <R>(name: string, type: Column<R>['type'], value: (row: R) => number | bigint | null, source?: string, range?: readonly [number, number], nullable = false): Column<R> =>
  ({ name, type, nullable, value, source, range });

/** The hot columns span_data and span_starts share (execution_kind … node_index). */
function hotColumns(): Array<Column<SpanRow>> {
  return [
    text('execution_kind', (r) => r.executionKind), text('flow_id', (r) => r.flowId), text('flow_name', (r) => r.flowName),
    text('flow_version', (r) => r.flowVersion), text('trigger_type', (r) => r.triggerType), text('user_id', (r) => r.userId),
    text('node_id', (r) => r.nodeId), text('node_name', (r) => r.nodeName), text('node_type', (r) => r.nodeType),
    int('node_index', 'INTEGER', (r) => r.nodeIndex, 'flow.node.index', undefined, true),
  ];
}

/** The columns span_data and log_data share from 014: resource and scope fields, value types. */
function originColumns<R extends OtlpOriginFields>(): Array<Column<R>> {
  return [
    text('resource_schema_url', (r) => r.resourceSchemaUrl),
    int('resource_dropped_attributes_count', 'UINTEGER', (r) => r.resourceDroppedAttributesCount, 'resource.droppedAttributesCount', undefined, true),
    text('scope_attributes', (r) => r.scopeAttributes),
    int('scope_dropped_attributes_count', 'UINTEGER', (r) => r.scopeDroppedAttributesCount, 'scope.droppedAttributesCount', undefined, true),
    text('scope_schema_url', (r) => r.scopeSchemaUrl),
    text('value_types', (r) => r.valueTypes),
  ];
}

/** span_data (002, + large_attributes 007, moved_attributes 008, origin columns 014). */
export const SPAN_DATA_COLUMNS: ReadonlyArray<Column<SpanRow>> = [
  text('trace_id', (r) => r.traceId, false), text('span_id', (r) => r.spanId, false),
  text('parent_span_id', (r) => r.parentSpanId), text('trace_state', (r) => r.traceState),
  text('name', (r) => r.name, false),
  int('kind', 'UTINYINT', (r) => r.kind, 'kind', [0, 5]),
  text('service_name', (r) => r.serviceName, false),
  int('start_ns', 'BIGINT', (r) => r.startTimeUnixNano, 'startTimeUnixNano'),
  int('end_ns', 'BIGINT', (r) => r.endTimeUnixNano ?? r.startTimeUnixNano, 'endTimeUnixNano'),
  int('status_code', 'UTINYINT', (r) => r.statusCode, 'status.code', [0, 2]),
  text('status_message', (r) => r.statusMessage), text('exception_message', (r) => r.exceptionMessage),
  ...hotColumns(),
  text('flow_status', (r) => r.flowStatus), text('error_node_id', (r) => r.errorNodeId),
  text('attributes', (r) => r.attributes, false), text('resource_attributes', (r) => r.resourceAttributes, false),
  text('scope_name', (r) => r.scopeName), text('scope_version', (r) => r.scopeVersion),
  text('events', (r) => r.events, false), text('links', (r) => r.links, false),
  int('flags', 'UINTEGER', (r) => r.flags, 'flags'),
  int('dropped_attributes_count', 'UINTEGER', (r) => r.droppedAttributesCount, 'droppedAttributesCount'),
  int('dropped_events_count', 'UINTEGER', (r) => r.droppedEventsCount, 'droppedEventsCount'),
  int('dropped_links_count', 'UINTEGER', (r) => r.droppedLinksCount, 'droppedLinksCount'),
  { name: 'large_attributes', type: 'VARCHAR[]', nullable: true, value: (r) => r.largeAttributes },
  int('moved_attributes', 'USMALLINT', (r) => r.movedAttributes, undefined, undefined, true),
  ...originColumns<SpanRow>(),
];

/** span_starts (003, + large_attributes 007). */
export const SPAN_STARTS_COLUMNS: ReadonlyArray<Column<SpanRow>> = [
  text('trace_id', (r) => r.traceId, false), text('span_id', (r) => r.spanId, false),
  text('parent_span_id', (r) => r.parentSpanId),
  text('name', (r) => r.name, false),
  int('kind', 'UTINYINT', (r) => r.kind, 'flowtrace.span.kind', [0, 5]),
  text('service_name', (r) => r.serviceName, false),
  int('start_ns', 'BIGINT', (r) => r.startTimeUnixNano, 'timeUnixNano'),
  ...hotColumns(),
  text('attributes', (r) => r.attributes, false), text('resource_attributes', (r) => r.resourceAttributes, false),
  text('scope_name', (r) => r.scopeName), text('scope_version', (r) => r.scopeVersion),
  { name: 'large_attributes', type: 'VARCHAR[]', nullable: true, value: (r) => r.largeAttributes },
];

/** log_data (004, + 014). */
export const LOG_DATA_COLUMNS: ReadonlyArray<Column<LogRow>> = [
  text('trace_id', (r) => r.traceId, false), text('span_id', (r) => r.spanId, false),
  int('time_ns', 'BIGINT', (r) => r.timeUnixNano, 'timeUnixNano'),
  int('observed_time_ns', 'BIGINT', (r) => r.observedTimeUnixNano, 'observedTimeUnixNano'),
  // OTLP SeverityNumber is an enum of 0 (unspecified) to 24 (FATAL4).
  int('severity_number', 'UTINYINT', (r) => r.severityNumber, 'severityNumber', [0, 24]),
  text('severity_text', (r) => r.severityText),
  text('body', (r) => r.body, false),
  text('attributes', (r) => r.attributes, false), text('resource_attributes', (r) => r.resourceAttributes, false),
  text('service_name', (r) => r.serviceName, false), text('scope_name', (r) => r.scopeName),
  int('flags', 'UINTEGER', (r) => r.flags, 'flags'),
  int('dropped_attributes_count', 'UINTEGER', (r) => r.droppedAttributesCount, 'droppedAttributesCount'),
  text('event_name', (r) => r.eventName),
  int('body_type', 'UTINYINT', (r) => r.bodyType, undefined, [0, 2], true),
  text('scope_version', (r) => r.scopeVersion),
  ...originColumns<LogRow>(),
];

/** execution_data (005, and root_parent_span_id from 013). */
export const EXECUTION_DATA_COLUMNS: ReadonlyArray<Column<ExecutionRecord>> = [
  text('trace_id', (e) => e.traceId, false),
  text('root_span_id', (e) => e.rootSpanId), text('root_name', (e) => e.rootName),
  { name: 'root_finished', type: 'BOOLEAN', nullable: false, value: (e) => e.rootFinished },
  { name: 'root_started', type: 'BOOLEAN', nullable: false, value: (e) => e.rootStarted },
  int('root_status_code', 'UTINYINT', (e) => e.rootStatusCode, undefined, [0, 2], true),
  text('root_flow_status', (e) => e.rootFlowStatus),
  text('service_name', (e) => e.serviceName, false),
  text('execution_kind', (e) => e.executionKind), text('flow_id', (e) => e.flowId), text('flow_name', (e) => e.flowName),
  text('flow_version', (e) => e.flowVersion), text('trigger_type', (e) => e.triggerType), text('user_id', (e) => e.userId),
  text('error_node_id', (e) => e.errorNodeId), text('error_message', (e) => e.errorMessage),
  int('start_ns', 'BIGINT', (e) => e.startNs), int('end_ns', 'BIGINT', (e) => e.endNs, undefined, undefined, true),
  int('min_start_ns', 'BIGINT', (e) => e.minStartNs), int('max_start_ns', 'BIGINT', (e) => e.maxStartNs),
  int('span_count', 'INTEGER', (e) => e.spanCount), int('error_count', 'INTEGER', (e) => e.errorCount),
  int('last_seen_ns', 'BIGINT', (e) => e.lastSeenNs),
  text('root_parent_span_id', (e) => e.rootParentSpanId),
];

/** An attribute_values row: trace id, key, value text. */
export type AttributeValueRow = readonly [string, string, string];

/** attribute_values (009). */
export const ATTRIBUTE_VALUES_COLUMNS: ReadonlyArray<Column<AttributeValueRow>> = [
  text('trace_id', (r) => r[0], false), text('key', (r) => r[1], false), text('value', (r) => r[2], false),
];

/** Why `value` cannot go into `column`, or null when it can. */
export function columnProblem<R>(column: Column<R>, value: ColumnValue): string | null {
  if (value === null) return column.nullable ? null : `${column.source ?? column.name} is missing`;
  switch (column.type) {
    case 'VARCHAR':
    case 'VARCHAR[]':
      return typeof value === 'string' ? null : `${column.name} must be text`;
    case 'BOOLEAN':
      return typeof value === 'boolean' ? null : `${column.name} must be true or false`;
    case 'BIGINT':
      return typeof value === 'bigint' && value >= BIGINT_MIN && value <= BIGINT_MAX ? null
        : `${column.source ?? column.name} ${String(value)} is out of range (${column.name} is BIGINT)`;
    default: {
      const [min, max] = column.range ?? INTEGER_RANGES[column.type];
      if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return null;
      return `${column.source ?? column.name} ${String(value)} is out of range (${column.name} holds ${min} to ${max})`;
    }
  }
}

/** A test of whether a non-null value fits a column, made once per column (it runs for every row). */
function fitsTest<R>(column: Column<R>): (value: ColumnValue) => boolean {
  switch (column.type) {
    case 'VARCHAR':
    case 'VARCHAR[]':
      return (v) => typeof v === 'string';
    case 'BOOLEAN':
      return (v) => typeof v === 'boolean';
    case 'BIGINT':
      return (v) => typeof v === 'bigint' && BigInt.asIntN(64, v) === v;
    default: {
      const range = column.range ?? INTEGER_RANGES[column.type];
      const min = range[0];
      const max = range[1];
      return (v) => typeof v === 'number' && v >= min && v <= max && Number.isInteger(v);
    }
  }
}

/**
 * A checker of whole rows against a table's columns: the reason of the first value the table
 * cannot hold, or null. Only the numeric and boolean columns are checked here: text is typed
 * by construction, and its content (well-formed UTF-16) is ingest's to ensure.
 */
export function rowChecker<R>(columns: ReadonlyArray<Column<R>>): (row: R) => string | null {
  const checked = columns.filter((c) => c.type !== 'VARCHAR' && c.type !== 'VARCHAR[]');
  const values = checked.map((c) => c.value);
  const fits = checked.map(fitsTest);
  const nullable = checked.map((c) => c.nullable);
  const n = checked.length;
  return (row) => {
    for (let i = 0; i < n; i++) {
      const value = values[i](row);
      if (value === null ? !nullable[i] : !fits[i](value)) return columnProblem(checked[i], value);
    }
    return null;
  };
}

/** Why a finished span cannot be stored in span_data, or null. */
export const spanRowProblem = rowChecker(SPAN_DATA_COLUMNS);
/** Why a running span (from a start mark) cannot be stored in span_starts, or null. */
export const startRowProblem = rowChecker(SPAN_STARTS_COLUMNS);
/** Why a log line cannot be stored in log_data, or null. */
export const logRowProblem = rowChecker(LOG_DATA_COLUMNS);
/** Why an execution row cannot be stored in execution_data, or null. */
export const executionRowProblem = rowChecker(EXECUTION_DATA_COLUMNS);
