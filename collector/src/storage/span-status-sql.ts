/**
 * The status rules in SQL, from the one list of statuses: @flowtrace/instrumentation's
 * conventions (EXECUTION_STATUSES, NODE_STATUSES), which the API's rules use too.
 *
 * The rules are written once, as macros of the schema (schema/macros/span_status.sql and
 * execution_status.sql); their status lists are the placeholders below, filled by the schema
 * loader. SQL built in TypeScript calls the macros through spanStatusSql / executionStatusSql
 * rather than writing a rule again (DuckDB expands a macro when it binds a statement, so a call
 * costs the same as the CASE written out).
 */
import { EXECUTION_STATUSES, NODE_STATUSES } from '@flowtrace/instrumentation/conventions';

/** Statuses are words; anything else is refused, so nothing but a list of words reaches the SQL. */
function quotedStatuses(statuses: readonly string[]): string {
  for (const s of statuses) {
    if (!/^[a-z_]+$/.test(s)) throw new Error(`not a status word: ${JSON.stringify(s)}`);
  }
  return statuses.map((s) => `'${s}'`).join(', ');
}

/** A list of statuses as an SQL list literal: ['a', 'b']. */
export function sqlStatusList(statuses: readonly string[]): string {
  return `[${quotedStatuses(statuses)}]`;
}

/**
 * DuckDB plans `x IN (…)` of this many constants or more as a join against the list (its IN
 * clause rewriter), and a CASE over a value repeats the value in each WHEN: the outline's status
 * index, a CASE over span_status() holding such an IN, planned eight joins, and an outline took
 * 14.4 against 9.7 ms for 27c51d7's (bench/PROFILING.md, "Session 13";
 * test/storage/status-plans.test.ts). A shorter IN stays, because DuckDB can evaluate it inside
 * the table scan.
 */
const IN_PLANNED_AS_JOIN = 5;

/** SQL: true when `expr` is one of `statuses` (NULL when `expr` is NULL). */
export function statusIn(expr: string, statuses: readonly string[]): string {
  return statuses.length < IN_PLANNED_AS_JOIN
    ? `${expr} IN (${quotedStatuses(statuses)})`
    : `list_contains(${sqlStatusList(statuses)}, ${expr})`;
}

/** SQL: true when `expr` is none of `statuses` (NULL when `expr` is NULL). */
export function statusNotIn(expr: string, statuses: readonly string[]): string {
  return statuses.length < IN_PLANNED_AS_JOIN
    ? `${expr} NOT IN (${quotedStatuses(statuses)})`
    : `NOT list_contains(${sqlStatusList(statuses)}, ${expr})`;
}

/**
 * The statuses a finished root's flow.execution.status can give its execution. `running` and
 * `abandoned` are not stated by anyone: the collector derives them from a root that has not
 * ended and from how long nothing arrived.
 */
export const STATED_EXECUTION_STATUSES: readonly string[] = EXECUTION_STATUSES.filter(
  (s) => s !== 'running' && s !== 'abandoned',
);

/** The status lists as `{{NAME}}` placeholders of the schema's current-state files (schema-placeholders.ts). */
export const STATUS_PLACEHOLDERS: Readonly<Record<string, string>> = {
  NODE_STATUSES: sqlStatusList(NODE_STATUSES),
  STATED_EXECUTION_STATUSES: sqlStatusList(STATED_EXECUTION_STATUSES),
};

/**
 * SQL: the status a finished span shows (a span_data row): its flow status when that is one of
 * NODE_STATUSES, else error when its OTel status code is 2, else success.
 */
export function spanStatusSql(flowStatus = 'flow_status', statusCode = 'status_code'): string {
  return `span_status(${flowStatus}, ${statusCode})`;
}

/**
 * SQL: the status of an execution_data row; `abandonBefore` is SQL for a nanosecond timestamp
 * (e.g. a parameter `$abandon_before`), `row` an optional table alias with its dot.
 */
export function executionStatusSql(abandonBefore: string, row = ''): string {
  return `execution_status(${row}root_finished, ${row}root_flow_status, ${row}root_status_code, ${row}last_seen_ns, ${abandonBefore})`;
}
