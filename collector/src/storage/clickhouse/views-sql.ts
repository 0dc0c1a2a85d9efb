/**
 * The readable views of this engine's data, as SELECT texts over the tables: spans (finished
 * and running, one row per span: FINAL), executions (the merged rollup), logs and metrics, with
 * the column names DuckDB's console views use (start_time, duration_ms, status …). The Parquet
 * export writes them; the SQL console (CH-EDGE) may offer them as its views. Times are exact in
 * the *_ns Int64 columns and readable in the *_time DateTime64(6) ones (UTC). Truth values are
 * Bool (true/false, as DuckDB's BOOLEAN columns answer), never the UInt8 a comparison gives here.
 *
 * Every source column is named through the table's alias (s., e., l., m.): a ClickHouse alias is
 * visible in the whole SELECT, so `… AS status_code` would otherwise stand for the column
 * status_code in every other expression of the list.
 */
import { EXECUTION_STATUSES, NODE_STATUSES } from '@flowtrace/instrumentation/conventions';
import { executionRowsSql } from './execution-rows-sql.js';
import type { Tables } from './tables.js';

export const VIEW_KINDS = ['spans', 'executions', 'logs', 'metrics'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];

/** The column a time range selects on, per view (a column of the view's own output). */
export const VIEW_TIME_COLUMN: Record<ViewKind, string> = { spans: 'start_ns', executions: 'start_ns', logs: 'time_ns', metrics: 'time_ns' };

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');
const time = (ns: string): string => `fromUnixTimestamp64Micro(intDiv(${ns}, 1000), 'UTC')`;
const timeOrNull = (ns: string): string => `if(${ns} IS NULL, NULL, ${time(`assumeNotNull(${ns})`)})`;

/** The SELECT of one view; params: {abandon_after_ns:Int64} for executions, none for the others. */
export function viewSql(t: Tables, kind: ViewKind): string {
  switch (kind) {
    case 'spans':
      return `SELECT s.trace_id AS trace_id, s.span_id AS span_id, nullIf(s.parent_span_id, '') AS parent_span_id, s.name AS name,
  s.service_name AS service_name, ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'][least(s.kind, 5) + 1] AS kind,
  ${time('s.start_ns')} AS start_time, ${timeOrNull('s.end_ns')} AS end_time, (s.end_ns - s.start_ns) / 1e6 AS duration_ms,
  multiIf(s.end_ns IS NULL, 'running', s.flow_status IN (${list(NODE_STATUSES)}), assumeNotNull(s.flow_status), s.status_code = 2, 'error', 'success') AS status,
  ['unset', 'ok', 'error'][least(s.status_code, 2) + 1] AS status_code,
  s.status_message AS status_message, s.exception_message AS exception_message, s.execution_kind AS execution_kind,
  s.flow_id AS flow_id, s.flow_name AS flow_name, s.flow_version AS flow_version, s.trigger_type AS trigger_type, s.user_id AS user_id,
  s.node_id AS node_id, s.node_name AS node_name, s.node_type AS node_type, s.node_index AS node_index, s.error_node_id AS error_node_id,
  multiIf(s.large_attributes IS NULL, s.attributes, s.attributes = '{}', assumeNotNull(s.large_attributes),
    concat(substring(s.attributes, 1, length(s.attributes) - 1), ',', substring(assumeNotNull(s.large_attributes), 2))) AS attributes,
  s.resource_attributes AS resource_attributes, s.scope_name AS scope_name, s.scope_version AS scope_version,
  s.events AS events, s.links AS links, s.start_ns AS start_ns, s.end_ns AS end_ns
FROM ${t.spans} AS s FINAL`;
    case 'executions':
      return `SELECT e.trace_id AS trace_id, coalesce(e.flow_name, concat(e.service_name, ': ', e.root_name)) AS flow_name, e.flow_id AS flow_id,
  e.flow_version AS flow_version, e.execution_kind AS execution_kind, e.service_name AS service_name, e.status AS status,
  ${time('e.start_ns')} AS start_time, ${timeOrNull('e.end_ns')} AS end_time, (e.end_ns - e.start_ns) / 1e6 AS duration_ms,
  e.span_count AS span_count, e.error_count AS error_count, e.trigger_type AS trigger_type, e.user_id AS user_id,
  e.error_node_id AS error_node_id, e.error_message AS error_message, e.root_finished AS complete_root, e.root_span_id AS root_span_id,
  e.start_ns AS start_ns, e.end_ns AS end_ns,
  toBool(e.root_parent_span_id IS NOT NULL) AS continues_remote_trace, e.root_parent_span_id AS remote_parent_span_id
FROM (${executionRowsSql(t)}) AS e
WHERE e.status IN (${list(EXECUTION_STATUSES)})`;
    case 'logs':
      return `SELECT l.trace_id AS trace_id, l.span_id AS span_id, ${time('l.time_ns')} AS time, l.severity_number AS severity_number,
  coalesce(l.severity_text, if(l.severity_number BETWEEN 1 AND 24,
    concat(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'][intDiv(l.severity_number - 1, 4) + 1],
           if((l.severity_number - 1) % 4 = 0, '', toString((l.severity_number - 1) % 4 + 1))), NULL), '') AS severity,
  l.body AS body, l.attributes AS attributes, l.resource_attributes AS resource_attributes, l.service_name AS service_name,
  l.scope_name AS scope_name, l.time_ns AS time_ns
FROM ${t.logs} AS l FINAL`;
    case 'metrics':
      return `SELECT m.service_name AS service_name, m.name AS name, m.description AS description, m.unit AS unit,
  ['gauge', 'sum', 'histogram', 'exponential_histogram', 'summary'][m.type] AS type,
  multiIf(m.temporality = 1, 'delta', m.temporality = 2, 'cumulative', NULL) AS temporality, m.is_monotonic AS is_monotonic,
  m.attributes AS attributes, m.resource_attributes AS resource_attributes, m.scope_name AS scope_name, m.scope_version AS scope_version,
  m.scope_attributes AS scope_attributes, ${timeOrNull('m.start_ns')} AS start_time, ${time('m.time_ns')} AS time,
  m.value AS value, m.int_value AS int_value, m.count AS count, m.sum AS sum, m.min AS min, m.max AS max,
  m.buckets AS buckets, m.exemplars AS exemplars, m.flags AS flags, m.start_ns AS start_ns, m.time_ns AS time_ns
FROM ${t.metrics} AS m FINAL`;
  }
}
