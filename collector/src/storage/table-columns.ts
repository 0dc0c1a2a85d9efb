/**
 * The columns of the tables the writer appends to, in their declared order (schema/tables/),
 * each with its DuckDB type and the row field it holds (span-model/rows.ts). One list serves
 * two readers: the appender writes a row column by column from it, and `rowChecker` checks a
 * row against it — a value the appender would refuse (a number beyond its column's range, a
 * missing value) fails the whole transaction, and with it every request that shares the commit.
 * Ingest keeps the logical span's ranges (span-model/span.ts), so a batch's rows fit; the
 * checks are the tests' statement of that.
 *
 * Invariant: these lists equal the tables that the schema builds (names, types, nullability,
 * order); test/storage/table-columns.test.ts compares them with a database built from it.
 */
import type { ExecutionRecord } from './records.js';
import { LARGE_ATTRIBUTES_COLUMN } from './span-model/large-attributes.js';
import type { AttributeValueRow, LogDataRow, SpanDataRow, SpanStartRow } from './span-model/rows.js';
import type { ErrorTextRow } from './span-model/error-texts.js';
import type { FlowFields, IngestSpan, OtlpOriginFields } from './span-model/span.js';

/** The DuckDB types of the appended columns. */
export type ColumnType = 'VARCHAR' | 'BOOLEAN' | 'UTINYINT' | 'USMALLINT' | 'INTEGER' | 'UINTEGER' | 'BIGINT';

export type ColumnValue = string | number | bigint | boolean | null;

export interface Column<R> {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  /** The value appended. */
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
function hotColumns<R extends { span: FlowFields }>(): Array<Column<R>> {
  return [
    text('execution_kind', (r) => r.span.executionKind), text('flow_id', (r) => r.span.flowId), text('flow_name', (r) => r.span.flowName),
    text('flow_version', (r) => r.span.flowVersion), text('trigger_type', (r) => r.span.triggerType), text('user_id', (r) => r.span.userId),
    text('node_id', (r) => r.span.nodeId), text('node_name', (r) => r.span.nodeName), text('node_type', (r) => r.span.nodeType),
    int('node_index', 'INTEGER', (r) => r.span.nodeIndex, 'flow.node.index', undefined, true),
  ];
}

/** The large attributes' column (span-model/large-attributes.ts), NULL when a span has none. */
function largeAttributesColumn<R extends { largeAttributes: string | null }>(): Column<R> {
  return text<R>(LARGE_ATTRIBUTES_COLUMN, (r) => r.largeAttributes);
}

/** The columns span_data and log_data share from version 13: resource and scope fields, value types. */
function originColumns<R>(of: (row: R) => OtlpOriginFields): Array<Column<R>> {
  return [
    text('resource_schema_url', (r) => of(r).resourceSchemaUrl),
    int('resource_dropped_attributes_count', 'UINTEGER', (r) => of(r).resourceDroppedAttributesCount, 'resource.droppedAttributesCount', undefined, true),
    text('scope_attributes', (r) => of(r).scopeAttributes),
    int('scope_dropped_attributes_count', 'UINTEGER', (r) => of(r).scopeDroppedAttributesCount, 'scope.droppedAttributesCount', undefined, true),
    text('scope_schema_url', (r) => of(r).scopeSchemaUrl),
    text('value_types', (r) => of(r).valueTypes),
  ];
}

const spanOf = (r: SpanDataRow): IngestSpan => r.span;

/** span_data (tables/span_data.sql). */
export const SPAN_DATA_COLUMNS: ReadonlyArray<Column<SpanDataRow>> = [
  text('trace_id', (r) => r.span.traceId, false), text('span_id', (r) => r.span.spanId, false),
  text('parent_span_id', (r) => r.span.parentSpanId), text('trace_state', (r) => r.span.traceState),
  text('name', (r) => r.span.name, false),
  int('kind', 'UTINYINT', (r) => r.span.kind, 'kind', [0, 5]),
  text('service_name', (r) => r.span.serviceName, false),
  int('start_ns', 'BIGINT', (r) => r.span.startTimeUnixNano, 'startTimeUnixNano'),
  int('end_ns', 'BIGINT', (r) => r.span.endTimeUnixNano ?? r.span.startTimeUnixNano, 'endTimeUnixNano'),
  int('status_code', 'UTINYINT', (r) => r.span.statusCode, 'status.code', [0, 2]),
  text('status_message', (r) => r.span.statusMessage), text('exception_message', (r) => r.span.exceptionMessage),
  ...hotColumns<SpanDataRow>(),
  text('flow_status', (r) => r.span.flowStatus), text('error_node_id', (r) => r.span.errorNodeId),
  text('attributes', (r) => r.attributes, false), text('resource_attributes', (r) => r.span.resourceAttributes, false),
  text('scope_name', (r) => r.span.scopeName), text('scope_version', (r) => r.span.scopeVersion),
  text('events', (r) => r.span.events, false), text('links', (r) => r.span.links, false),
  int('flags', 'UINTEGER', (r) => r.span.flags, 'flags'),
  int('dropped_attributes_count', 'UINTEGER', (r) => r.span.droppedAttributesCount, 'droppedAttributesCount'),
  int('dropped_events_count', 'UINTEGER', (r) => r.span.droppedEventsCount, 'droppedEventsCount'),
  int('dropped_links_count', 'UINTEGER', (r) => r.span.droppedLinksCount, 'droppedLinksCount'),
  int('moved_attributes', 'USMALLINT', (r) => r.movedAttributes, undefined, undefined, true),
  ...originColumns(spanOf),
  largeAttributesColumn<SpanDataRow>(),
];

/** span_starts (tables/span_starts.sql). */
export const SPAN_STARTS_COLUMNS: ReadonlyArray<Column<SpanStartRow>> = [
  text('trace_id', (r) => r.span.traceId, false), text('span_id', (r) => r.span.spanId, false),
  text('parent_span_id', (r) => r.span.parentSpanId),
  text('name', (r) => r.span.name, false),
  int('kind', 'UTINYINT', (r) => r.span.kind, 'flowtrace.span.kind', [0, 5]),
  text('service_name', (r) => r.span.serviceName, false),
  int('start_ns', 'BIGINT', (r) => r.span.startTimeUnixNano, 'timeUnixNano'),
  ...hotColumns<SpanStartRow>(),
  text('attributes', (r) => r.attributes, false), text('resource_attributes', (r) => r.span.resourceAttributes, false),
  text('scope_name', (r) => r.span.scopeName), text('scope_version', (r) => r.span.scopeVersion),
  largeAttributesColumn<SpanStartRow>(),
];

/** log_data (tables/log_data.sql). */
export const LOG_DATA_COLUMNS: ReadonlyArray<Column<LogDataRow>> = [
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
  ...originColumns((r: LogDataRow) => r),
];

/** execution_data (tables/execution_data.sql). */
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

/** attribute_values (tables/attribute_values.sql). */
export const ATTRIBUTE_VALUES_COLUMNS: ReadonlyArray<Column<AttributeValueRow>> = [
  text('trace_id', (r) => r[0], false), text('key', (r) => r[1], false), text('value', (r) => r[2], false),
];

/** error_texts (tables/error_texts.sql): span-model/error-texts.ts makes the rows. */
export const ERROR_TEXTS_COLUMNS: ReadonlyArray<Column<ErrorTextRow>> = [
  text('trace_id', (r) => r[0], false), text('span_id', (r) => r[1], false), int('time_ns', 'BIGINT', (r) => r[2]),
  text('text', (r) => r[3], false),
];

/** Why `value` cannot go into `column`, or null when it can. */
export function columnProblem<R>(column: Column<R>, value: ColumnValue): string | null {
  if (value === null) return column.nullable ? null : `${column.source ?? column.name} is missing`;
  switch (column.type) {
    case 'VARCHAR':
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
  const checked = columns.filter((c) => c.type !== 'VARCHAR');
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

/** Why a span_data row cannot be stored, or null. */
export const spanRowProblem = rowChecker(SPAN_DATA_COLUMNS);
/** Why a span_starts row cannot be stored, or null. */
export const startRowProblem = rowChecker(SPAN_STARTS_COLUMNS);
/** Why a log line cannot be stored in log_data, or null. */
export const logRowProblem = rowChecker(LOG_DATA_COLUMNS);
/** Why an execution row cannot be stored in execution_data, or null. */
export const executionRowProblem = rowChecker(EXECUTION_DATA_COLUMNS);
