/**
 * The rollup (execution_rollup, schema-spans.ts) merged into one row per trace: the one SQL every
 * read of executions on this engine starts from (list, get, statistics, retention, the console's
 * view), so an execution has one status and one flow whichever page shows it.
 *
 * Two forms. mergedRowsSql gives the merged aggregates as they are — the packed roots, counts and
 * times — for JavaScript to decode (execution-decode.ts): what reads returning records use, because
 * ClickHouse plans each function node of a statement in ~0.2 ms and the record columns take ~60
 * (12 ms per statement: rollup-sql.ts has the measurements). executionRowsSql derives the record
 * columns and the status in SQL, for reads that filter or aggregate on them.
 *
 * Invariants: partial rollup rows of a trace are merged together (GROUP BY trace_id with the
 * -Merge combinators) before any filter on their merged values; the only filter applied below
 * the merge is one on trace_id, which keeps or drops all of a trace's partial rows alike. The
 * best root is the finished copy of the least-ranked span when there is one (USE_FINISHED_SQL).
 * Params of executionRowsSql: {abandon_after_ns:Int64} (a running execution silent for longer is
 * abandoned; measured on the server's clock, the one that stamped last_seen_ns, so collectors with
 * skewed clocks agree — mergedRowsSql returns that clock as server_now).
 */
import { EXECUTION_STATUSES } from '@flowtrace/instrumentation/conventions';
import { EXECUTION_START_SQL, ROOT_TUPLE_TYPE, USE_FINISHED_SQL } from './rollup-sql.js';
import type { Tables } from './tables.js';

/** Statuses a finished root states itself (flow.execution.status); running and abandoned are derived. */
export const STATED = EXECUTION_STATUSES.filter((s) => s !== 'running' && s !== 'abandoned');

/** The flow of an execution: its flow.name, else `service: root span name` (flowOfExecution). */
export const FLOW_SQL = `coalesce(flow_name, concat(service_name, ': ', root_name))`;

/** An execution's duration as the list filters and sorts by it, ns (0 until something ends). */
export const DURATION_SQL = '(coalesce(end_ns, start_ns) - start_ns)';

/** What a merged row leaves out when asked: the span and error counts (uniqExact sets, the bulk of the rollup). */
export interface RowsShape {
  /** false: span_count and error_count are 0 (a list's first pass, which only picks the page's traces). */
  counts?: boolean;
}

/**
 * One row per trace of the rollup as merged, `traceFilter` (a condition on trace_id, or '')
 * applied before the merge. Columns: trace_id, root and finished_root (packed, '' when none),
 * first_error ('' when none), min_start_ns, max_start_ns, max_end_ns (0: nothing ended),
 * last_seen_ns, span_count, error_count, server_now. No parameters.
 */
export function mergedRowsSql(t: Tables, traceFilter = '', shape: RowsShape = {}): string {
  const counts = shape.counts ?? true;
  return `SELECT trace_id, argMinMerge(root) AS root, argMinIfMerge(finished_root) AS finished_root, argMinIfMerge(first_error) AS first_error,
  min(min_start_ns) AS min_start_ns, max(max_start_ns) AS max_start_ns, max(max_end_ns) AS max_end_ns, max(last_seen_ns) AS last_seen_ns,
  ${counts ? 'uniqExactMerge(span_ids)' : '0'} AS span_count, ${counts ? 'uniqExactIfMerge(error_span_ids)' : '0'} AS error_count,
  toUnixTimestamp64Nano(now64(9)) AS server_now
FROM ${t.rollup}${traceFilter === '' ? '' : ` WHERE ${traceFilter}`}
GROUP BY trace_id`;
}

/**
 * The rollup's traces with the execution start only (from the ranks: no root text is read), for
 * picking a page: columns trace_id, start_ns.
 */
export function startsSql(t: Tables, traceFilter = ''): string {
  return `SELECT trace_id, ${EXECUTION_START_SQL('rr', 'fr')} AS start_ns FROM (
  SELECT trace_id, min(root_rank) AS rr, min(finished_rank) AS fr FROM ${t.rollup}${traceFilter === '' ? '' : ` WHERE ${traceFilter}`} GROUP BY trace_id)`;
}

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/** The derived status of a row with b (the best root tuple) and m_last_seen (the rule of storage/writer/execution-merge.ts). */
const STATUS_SQL = `multiIf(
    b.finished = 0, if(m_last_seen < toUnixTimestamp64Nano(now64(9)) - {abandon_after_ns:Int64}, 'abandoned', 'running'),
    b.flow_status IN (${list(STATED)}), assumeNotNull(b.flow_status),
    b.status_code = 2, 'error',
    'success')`;

/** Each record column as SQL over b (the best root tuple) and the merged m_* columns. */
const RECORD_COLUMNS = {
  root_span_id: 'b.span_id',
  root_parent_span_id: "nullIf(b.parent_span_id, '')",
  root_name: 'b.name',
  root_finished: 'toBool(b.finished)',
  root_started: 'true',
  root_status_code: 'if(b.finished = 1, b.status_code, NULL)',
  root_flow_status: 'if(b.finished = 1, b.flow_status, NULL)',
  service_name: 'b.service_name',
  execution_kind: 'b.execution_kind',
  flow_id: 'b.flow_id',
  flow_name: 'b.flow_name',
  flow_version: 'b.flow_version',
  trigger_type: 'b.trigger_type',
  user_id: 'b.user_id',
  error_node_id: 'if(b.finished = 1, b.error_node_id, NULL)',
  error_message: "coalesce(if(b.finished = 1, b.message, NULL), nullIf(m_first_error, ''))",
  start_ns: 'toInt64(b.start_ns)',
  end_ns: 'if(b.finished = 1, toInt64OrNull(b.end_ns), nullIf(m_max_end, 0))',
  min_start_ns: 'm_min_start',
  max_start_ns: 'm_max_start',
  span_count: 'toUInt32(m_spans)',
  error_count: 'toUInt32(m_errors)',
  last_seen_ns: 'm_last_seen',
  status: STATUS_SQL,
} as const;

export type RecordColumn = keyof typeof RECORD_COLUMNS;

/**
 * One row per trace with trace_id and the columns of executionRecordFromRow (records.ts) plus
 * `status`, derived in SQL — or only the `columns` asked for (each one costs planning time);
 * `traceFilter` as mergedRowsSql's. Params: {abandon_after_ns:Int64} when `status` is asked for.
 */
export function executionRowsSql(t: Tables, traceFilter = '', shape: RowsShape = {}, columns?: readonly RecordColumn[]): string {
  const counts = shape.counts ?? true;
  const wanted = columns ?? (Object.keys(RECORD_COLUMNS) as RecordColumn[]);
  return `SELECT
  trace_id,
  ${wanted.map((c) => `${RECORD_COLUMNS[c]} AS ${c}`).join(',\n  ')}
FROM (
  SELECT trace_id, JSONExtract(if(${USE_FINISHED_SQL('rr', 'fr')}, m_finished_root, m_root), '${ROOT_TUPLE_TYPE}') AS b,
    m_first_error, m_min_start, m_max_start, m_max_end, m_last_seen, m_spans, m_errors
  FROM (
    SELECT
      trace_id,
      min(root_rank) AS rr,
      min(finished_rank) AS fr,
      argMinMerge(root) AS m_root,
      argMinIfMerge(finished_root) AS m_finished_root,
      ${counts ? 'uniqExactMerge(span_ids)' : '0'} AS m_spans,
      ${counts ? 'uniqExactIfMerge(error_span_ids)' : '0'} AS m_errors,
      argMinIfMerge(first_error) AS m_first_error,
      min(min_start_ns) AS m_min_start,
      max(max_start_ns) AS m_max_start,
      max(max_end_ns) AS m_max_end,
      max(last_seen_ns) AS m_last_seen
    FROM ${t.rollup}${traceFilter === '' ? '' : `\n    WHERE ${traceFilter}`}
    GROUP BY trace_id
  )
)`;
}

/**
 * A condition on trace_id that keeps every trace whose execution may start in [from, to]: those
 * with a rollup row spanning into the range (the root's own row starts at the execution's start,
 * so a trace starting in the range always has one). A superset, cheap to test before the merge.
 */
export function startRangeFilter(t: Tables, from: string | undefined, to: string | undefined): string {
  const parts: string[] = [];
  if (from !== undefined) parts.push(`max_start_ns >= ${from}`);
  if (to !== undefined) parts.push(`min_start_ns <= ${to}`);
  return parts.length === 0 ? '' : `trace_id IN (SELECT trace_id FROM ${t.rollup} WHERE ${parts.join(' AND ')})`;
}

/** The abandon_after_ns parameter. */
export function abandonAfterNs(abandonAfterMs: number): string {
  return (BigInt(Math.round(abandonAfterMs)) * 1_000_000n).toString();
}
