/**
 * The execution list in ClickHouse's dialect: every filter of ExecutionFilter over the merged
 * rollup (execution-rows-sql.ts). A pure function; user text only ever travels as a query
 * parameter ({name:Type}), the SQL text depends only on which filters are present.
 *
 * What is pushed below the rollup's merge is a condition on trace_id alone (a time window as
 * the traces with a rollup row in it, attribute matches, span searches), so the merge reads only
 * the candidates' partial rows; every condition on merged values (status, flow, duration, the
 * exact start) is applied after it. Span searches read only the spans of the window's traces
 * (span_data is ordered by trace id).
 */
import { isIndexedFilter } from '../span-model/value-index.js';
import type { ExecutionFilter } from '../contract.js';
import { DURATION_SQL, executionRowsSql, FLOW_SQL, startRangeFilter } from './execution-rows-sql.js';
import type { Params } from './connection.js';
import type { Tables } from './tables.js';

export interface BuiltQuery {
  sql: string;
  params: Params;
}

/** Console lines are looked for from this long before a window's first start (clock skew). */
const LOG_SKEW_NS = 60_000_000_000n;

/** A flow filter value ending in `*` matches flows by the prefix before it. */
function flowPrefix(value: string): string | undefined {
  return value.length > 1 && value.endsWith('*') ? value.slice(0, -1) : undefined;
}

/**
 * SQL true when `column` (JSON object text) has attribute `key` whose value reads as `value`:
 * a string with that content, or a number / boolean token written so. The position() test is a
 * cheap first pass over the compact JSON ingest writes.
 */
export function attributeMatch(column: string, p: string): string {
  return `(position(${column}, {${p}_key_json:String}) > 0`
    + ` AND (JSONExtractString(${column}, {${p}_key:String}) = {${p}_value:String}`
    + ` OR JSONExtractRaw(${column}, {${p}_key:String}) = {${p}_raw:String}))`;
}

/** The parameters of attributeMatch for one key and value. */
export function attributeParams(p: string, key: string, value: string): Params {
  return {
    [`${p}_key_json`]: JSON.stringify(key) + ':',
    [`${p}_key`]: key,
    [`${p}_value`]: value,
    // A raw token never starts with a quote unless it is a string, which the first test handles.
    [`${p}_raw`]: value.startsWith('"') ? '\u0000' : value,
  };
}

/** Nullable text columns joined by spaces, NULL ones left out. */
const joined = (...columns: string[]): string => `concatWithSeparator(' ', ${columns.map((c) => `ifNull(${c}, '')`).join(', ')})`;

/** SQL + parameters of one page of executions, newest first (or longest first). */
export function buildExecutionListQuery(t: Tables, filter: ExecutionFilter, abandonAfterNs: string): BuiltQuery {
  const params: Params = { abandon_after_ns: abandonAfterNs };
  const outer: string[] = [];
  const inner: string[] = [];
  const byDuration = filter.sort === 'duration';
  const cursorStart = filter.cursor && !byDuration ? filter.cursor.startNs : undefined;
  const upper = filter.toNs !== undefined && (cursorStart === undefined || filter.toNs < cursorStart) ? filter.toNs : cursorStart;
  if (filter.fromNs !== undefined) params.from_ns = filter.fromNs.toString();
  if (upper !== undefined) params.upper_ns = upper.toString();
  // The traces that may start in the window: what every span search below is limited to.
  const window = startRangeFilter(t, filter.fromNs !== undefined ? '{from_ns:Int64}' : undefined, upper !== undefined ? '{upper_ns:Int64}' : undefined);
  if (window !== '') inner.push(window);
  const spanScope = window === '' ? '' : `${window} AND `;

  const list = (column: string, name: string, values: string[] | undefined): void => {
    if (values && values.length > 0) {
      params[name] = values;
      outer.push(`${column} IN {${name}:Array(String)}`);
    }
  };
  if (filter.flow && filter.flow.length > 0) {
    const whole = filter.flow.filter((f) => flowPrefix(f) === undefined);
    const prefixes = filter.flow.map(flowPrefix).filter((p): p is string => p !== undefined);
    const any: string[] = [];
    if (whole.length > 0) {
      params.flows = whole;
      any.push(`${FLOW_SQL} IN {flows:Array(String)}`);
    }
    prefixes.forEach((prefix, i) => {
      params[`flow_prefix${i}`] = prefix;
      any.push(`startsWith(${FLOW_SQL}, {flow_prefix${i}:String})`);
    });
    outer.push(any.length === 1 ? any[0] : `(${any.join(' OR ')})`);
  }
  list('service_name', 'services', filter.service);
  list('status', 'statuses', filter.status);
  list('user_id', 'users', filter.user);
  list('trigger_type', 'triggers', filter.trigger);
  if (filter.fromNs !== undefined) outer.push('start_ns >= {from_ns:Int64}');
  if (filter.toNs !== undefined) {
    params.to_ns = filter.toNs.toString();
    outer.push('start_ns <= {to_ns:Int64}');
  }
  if (filter.minDurationMs !== undefined) {
    params.min_duration_ns = BigInt(Math.round(filter.minDurationMs * 1e6)).toString();
    outer.push(`${DURATION_SQL} >= {min_duration_ns:Int64}`);
  }
  if (filter.maxDurationMs !== undefined) {
    params.max_duration_ns = BigInt(Math.round(filter.maxDurationMs * 1e6)).toString();
    outer.push(`${DURATION_SQL} <= {max_duration_ns:Int64}`);
  }
  (filter.attributes ?? []).forEach(({ key, value }, i) => {
    const p = `attr${i}`;
    Object.assign(params, attributeParams(p, key, value));
    // Spans still running are not in the value index (start marks index nothing).
    const spans = isIndexedFilter(key, value)
      ? `SELECT trace_id FROM ${t.values} WHERE key = {${p}_key:String} AND value = {${p}_value:String}`
        + ` UNION ALL SELECT trace_id FROM ${t.spans} WHERE ${spanScope}(end_ns IS NULL AND ${attributeMatch('attributes', p)}`
        + ` OR ${attributeMatch('resource_attributes', p)})`
      : `SELECT trace_id FROM ${t.spans} WHERE ${spanScope}(${attributeMatch('attributes', p)}`
        + ` OR ${attributeMatch('resource_attributes', p)} OR ${attributeMatch("ifNull(large_attributes, '')", p)})`;
    inner.push(`trace_id IN (${spans})`);
  });
  if (filter.text !== undefined && filter.text !== '') {
    params.text = filter.text;
    const has = (column: string): string => `positionCaseInsensitiveUTF8(${column}, {text:String}) > 0`;
    const spanText = [
      'name', joined('node_id', 'node_name', 'node_type', 'flow_id', 'user_id', 'trigger_type', 'error_node_id'), 'attributes',
      "ifNull(large_attributes, '')", joined('status_message', 'exception_message'), 'events',
    ].map(has).join(' OR ');
    let logScope = '';
    if (filter.fromNs !== undefined) {
      params.log_from = (filter.fromNs - LOG_SKEW_NS).toString();
      logScope = 'time_ns >= {log_from:Int64} AND ';
    }
    outer.push(`(trace_id = lower({text:String}) OR ${has(`ifNull(${FLOW_SQL}, '')`)} OR ${has("ifNull(error_message, '')")}`
      + ` OR trace_id IN (SELECT trace_id FROM ${t.spans} WHERE ${spanScope}(${spanText})`
      + ` UNION ALL SELECT trace_id FROM ${t.logs} WHERE ${logScope}trace_id != '' AND ${has('body')}))`);
  }
  if (filter.cursor && byDuration) {
    params.cursor_duration = (filter.cursor.durationNs ?? 0n).toString();
    params.cursor_trace = filter.cursor.traceId;
    outer.push(`(${DURATION_SQL} < {cursor_duration:Int64} OR (${DURATION_SQL} = {cursor_duration:Int64} AND trace_id < {cursor_trace:String}))`);
  } else if (filter.cursor) {
    params.cursor_start = filter.cursor.startNs.toString();
    params.cursor_trace = filter.cursor.traceId;
    outer.push('(start_ns < {cursor_start:Int64} OR (start_ns = {cursor_start:Int64} AND trace_id < {cursor_trace:String}))');
  }
  const limit = Math.max(1, Math.min(1001, Math.trunc(filter.limit)));
  const sql = [
    // Without the span and error counts: executions.ts reads them for the page's rows only.
    `SELECT * FROM (${executionRowsSql(t, inner.join(' AND '), { counts: false })})`,
    outer.length > 0 ? `WHERE ${outer.join('\n  AND ')}` : '',
    byDuration ? `ORDER BY ${DURATION_SQL} DESC, trace_id DESC` : 'ORDER BY start_ns DESC, trace_id DESC',
    `LIMIT ${limit}`,
  ].filter((line) => line !== '').join('\n');
  return { sql, params };
}
