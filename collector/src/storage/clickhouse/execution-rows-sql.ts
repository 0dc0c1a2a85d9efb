/**
 * The rollup (execution_rollup, schema-spans.ts) merged into one row per trace, with the columns
 * of DuckDB's execution_data and the derived status: the one SQL every read of executions on
 * this engine starts from (list, get, statistics, retention), so an execution has one status and
 * one flow whichever page shows it.
 *
 * Invariants: partial rollup rows of a trace are merged together (GROUP BY trace_id with the
 * -Merge combinators) before any filter on their merged values; the only filter applied below
 * the merge is one on trace_id, which keeps or drops all of a trace's partial rows alike.
 * GROUP BY against FINAL with finalizeAggregation (chDB, newest 50 of all, read-shapes.measure.ts):
 * 4,000 traces 47 vs 35 ms (52 vs 53 with 84 unmerged parts), 20,000 traces 288 vs 416 ms —
 * the larger store decides. The span and error counts (uniqExact sets, most of the bytes) can be
 * left out (RowsShape): the list picks its page without them, then reads the page's rows whole. Params: {abandon_after_ns:Int64}
 * (a running execution silent for longer is abandoned; measured on the server's clock, the one
 * that stamped last_seen_ns, so collectors with skewed clocks agree).
 */
import { EXECUTION_STATUSES } from '@flowtrace/instrumentation/conventions';
import type { Tables } from './tables.js';

/** Statuses a finished root states itself (flow.execution.status); running and abandoned are derived. */
const STATED = EXECUTION_STATUSES.filter((s) => s !== 'running' && s !== 'abandoned').map((s) => `'${s}'`).join(', ');

/** The derived status of a merged row (the rule of storage/execution-merge.ts and the DuckDB macro). */
export const STATUS_SQL = `multiIf(
    best.finished = 0, if(last_seen_ns < toUnixTimestamp64Nano(now64(9)) - {abandon_after_ns:Int64}, 'abandoned', 'running'),
    best.flow_status IN (${STATED}), assumeNotNull(best.flow_status),
    best.status_code = 2, 'error',
    'success')`;

/** The flow of an execution: its flow.name, else `service: root span name` (flowOfExecution). */
export const FLOW_SQL = `coalesce(flow_name, concat(service_name, ': ', root_name))`;

/** An execution's duration as the list filters and sorts by it, ns (0 until something ends). */
export const DURATION_SQL = '(coalesce(end_ns, start_ns) - start_ns)';

/** What executionRowsSql leaves out when asked: the span and error counts (uniqExact sets, the bulk of the rollup). */
export interface RowsShape {
  /** false: span_count and error_count are 0 (a list's first pass, which only picks the page's traces). */
  counts?: boolean;
}

/**
 * One row per trace of the rollup, `traceFilter` (a condition on trace_id, or '') applied before
 * the merge. Columns: those of executionRecordFromRow (records.ts) plus `status`.
 */
export function executionRowsSql(t: Tables, traceFilter = '', shape: RowsShape = {}): string {
  const counts = shape.counts ?? true;
  return `SELECT
  trace_id,
  best.span_id AS root_span_id,
  nullIf(best.parent_span_id, '') AS root_parent_span_id,
  best.name AS root_name,
  toBool(best.finished) AS root_finished,
  true AS root_started,
  if(best.finished = 1, best.status_code, NULL) AS root_status_code,
  if(best.finished = 1, best.flow_status, NULL) AS root_flow_status,
  best.service_name AS service_name,
  best.execution_kind AS execution_kind,
  best.flow_id AS flow_id,
  best.flow_name AS flow_name,
  best.flow_version AS flow_version,
  best.trigger_type AS trigger_type,
  best.user_id AS user_id,
  if(best.finished = 1, best.error_node_id, NULL) AS error_node_id,
  coalesce(if(best.finished = 1, best.message, NULL), m_first_error) AS error_message,
  best.start_ns AS start_ns,
  if(best.finished = 1, best.end_ns, nullIf(m_max_end, 0)) AS end_ns,
  m_min_start AS min_start_ns,
  m_max_start AS max_start_ns,
  toUInt32(m_spans) AS span_count,
  toUInt32(m_errors) AS error_count,
  m_last_seen AS last_seen_ns,
  ${STATUS_SQL} AS status
FROM (
  SELECT
    trace_id,
    argMinMerge(root) AS m_root,
    argMinIfMerge(finished_root) AS m_finished_root,
    -- the root's finished copy, whatever start its running mark carried
    if(tupleElement(m_finished_root, 'span_id') = tupleElement(m_root, 'span_id') AND tupleElement(m_finished_root, 'finished') = 1,
       m_finished_root, m_root) AS best,
    ${counts ? 'uniqExactMerge(span_ids)' : '0'} AS m_spans,
    ${counts ? 'uniqExactIfMerge(error_span_ids)' : '0'} AS m_errors,
    argMinIfMerge(first_error) AS m_first_error,
    min(min_start_ns) AS m_min_start,
    max(max_start_ns) AS m_max_start,
    max(max_end_ns) AS m_max_end,
    max(last_seen_ns) AS m_last_seen
  FROM ${t.rollup}${traceFilter === '' ? '' : `\n  WHERE ${traceFilter}`}
  GROUP BY trace_id
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
