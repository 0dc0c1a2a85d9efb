/**
 * The execution list in ClickHouse's dialect: every filter of ExecutionFilter over the merged
 * rollup (execution-rows-sql.ts). A pure function; user text only ever travels as a query
 * parameter ({name:Type}), the SQL text depends only on which filters are present.
 *
 * What is pushed below the rollup's merge is a condition on trace_id alone (a time window as
 * the traces with a rollup row in it, attribute matches — one key range of the value index when
 * it answers them —, span searches), so the merge reads only the candidates' partial rows; every
 * condition on merged values (status, flow, duration, the exact start) is applied after it. Span
 * searches read only the spans of the window's traces (span_data is ordered by trace id).
 */
import { ERROR_SEVERITY, MAX_ERROR_TEXT_CHARS } from '../span-model/error-texts.js';
import { isIndexedFilter } from '../span-model/value-index.js';
import type { ExecutionFilter } from '../contract.js';
import { DURATION_SQL, executionRowsSql, FLOW_SQL, startRangeFilter, startsSql, type RecordColumn } from './execution-rows-sql.js';
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

/**
 * The traces whose error texts hold the text (`has`), as DuckDB's error_texts table holds them
 * (span-model/error-texts.ts): a failed span's status message, the message of each exception
 * event of any span, an error-level console line, each cut to MAX_ERROR_TEXT_CHARS code points.
 * Read from the status, events and log columns: no attribute or payload is read.
 */
function errorTextTraces(t: Tables, spanScope: string, logScope: string, has: (column: string) => string): string {
  const cut = (text: string): string => `substringUTF8(${text}, 1, ${MAX_ERROR_TEXT_CHARS})`;
  const message = "e, 'attributes', 'exception.message'";
  const exceptionText = `if(JSONType(${message}) = 'String', JSONExtractString(${message}), JSONExtractRaw(${message}))`;
  const exception = `arrayExists(e -> JSONExtractString(e, 'name') = 'exception' AND JSONType(${message}) != 'Null'`
    + ` AND ${has(cut(exceptionText))}, JSONExtractArrayRaw(events))`;
  return `SELECT trace_id FROM ${t.spans} WHERE ${spanScope}((status_code = 2 AND ${has(cut("ifNull(status_message, '')"))})`
    + ` OR (position(events, '"exception"') > 0 AND ${exception}))`
    + ` UNION ALL SELECT trace_id FROM ${t.logs} WHERE ${logScope}trace_id != '' AND severity_number >= ${ERROR_SEVERITY} AND ${has(cut('body'))}`;
}

/**
 * The value index rows of an indexed `key = value` filter (parameters {p}_key, {p}_value) as a
 * subquery: the traces of a finished span's or a resource attribute, and of a running span's
 * attribute while that span is still running (its newest row is the start mark's, version 0).
 * For a filter matching too many traces to hand over as ids (attribute-lookup.ts).
 */
export function indexedAttributeTraces(t: Tables, p: string): string {
  const match = `key = {${p}_key:String} AND value = {${p}_value:String}`;
  const running = `SELECT trace_id, span_id FROM ${t.values} WHERE ${match} AND span_id != ''`;
  return `SELECT trace_id FROM ${t.values} WHERE ${match} AND span_id = ''`
    + ` UNION ALL SELECT trace_id FROM (${running}) WHERE (trace_id, span_id) IN (SELECT trace_id, span_id FROM ${t.spans}`
    + ` WHERE trace_id IN (SELECT trace_id FROM (${running})) GROUP BY trace_id, span_id HAVING max(version) = 0)`;
}

/**
 * SQL + parameters of one page of executions, newest first (or longest first): the page's trace
 * ids in order, one more than the limit when more follow (executions.ts reads their records).
 * `candidates`: the trace ids the indexed attribute filters selected, when read beforehand.
 * Only what the filters and the order need is derived from the rollup: without filters on the
 * root's fields, the start comes from the ranks alone and no root text is read.
 */
export function buildExecutionListQuery(t: Tables, filter: ExecutionFilter, abandonAfterNs: string, candidates?: readonly string[]): BuiltQuery {
  const params: Params = {};
  const outer: string[] = [];
  const inner: string[] = [];
  // The traces the indexed attribute filters selected, when read beforehand (attribute-lookup.ts).
  if (candidates !== undefined) {
    params.candidates = candidates;
    inner.push('trace_id IN {candidates:Array(String)}');
  }
  const needed = new Set<RecordColumn>(['start_ns']);
  const byDuration = filter.sort === 'duration';
  const cursorStart = filter.cursor && !byDuration ? filter.cursor.startNs : undefined;
  const upper = filter.toNs !== undefined && (cursorStart === undefined || filter.toNs < cursorStart) ? filter.toNs : cursorStart;
  if (filter.fromNs !== undefined) params.from_ns = filter.fromNs.toString();
  if (upper !== undefined) params.upper_ns = upper.toString();
  // The traces that may start in the window: what every span search below is limited to.
  const window = startRangeFilter(t, filter.fromNs !== undefined ? '{from_ns:Int64}' : undefined, upper !== undefined ? '{upper_ns:Int64}' : undefined);
  if (window !== '') inner.push(window);
  const spanScope = window === '' ? '' : `${window} AND `;

  const list = (column: RecordColumn, name: string, values: string[] | undefined): void => {
    if (values && values.length > 0) {
      params[name] = values;
      needed.add(column);
      outer.push(`${column} IN {${name}:Array(String)}`);
    }
  };
  const flowColumns = (): void => ['flow_name', 'service_name', 'root_name'].forEach((c) => needed.add(c as RecordColumn));
  if (filter.flow && filter.flow.length > 0) {
    flowColumns();
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
    needed.add('end_ns');
    outer.push(`${DURATION_SQL} >= {min_duration_ns:Int64}`);
  }
  if (filter.maxDurationMs !== undefined) {
    params.max_duration_ns = BigInt(Math.round(filter.maxDurationMs * 1e6)).toString();
    needed.add('end_ns');
    outer.push(`${DURATION_SQL} <= {max_duration_ns:Int64}`);
  }
  (filter.attributes ?? []).forEach(({ key, value }, i) => {
    if (candidates !== undefined && isIndexedFilter(key, value)) return;
    const p = `attr${i}`;
    Object.assign(params, attributeParams(p, key, value));
    const spans = isIndexedFilter(key, value)
      ? indexedAttributeTraces(t, p)
      : `SELECT trace_id FROM ${t.spans} WHERE ${spanScope}(${attributeMatch('attributes', p)}`
        + ` OR ${attributeMatch('resource_attributes', p)} OR ${attributeMatch("ifNull(large_attributes, '')", p)})`;
    inner.push(`trace_id IN (${spans})`);
  });
  if (filter.text !== undefined && filter.text !== '') {
    params.text = filter.text;
    flowColumns();
    needed.add('error_message');
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
    const own = `trace_id = lower({text:String}) OR ${has(`ifNull(${FLOW_SQL}, '')`)} OR ${has("ifNull(error_message, '')")}`;
    outer.push(filter.textScope === 'errors'
      ? `(${own} OR trace_id IN (${errorTextTraces(t, spanScope, logScope, has)}))`
      : `(${own} OR trace_id IN (SELECT trace_id FROM ${t.spans} WHERE ${spanScope}(${spanText})`
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
  if (byDuration) needed.add('end_ns');
  if (needed.has('status')) params.abandon_after_ns = abandonAfterNs;
  const onlyStart = needed.size === 1;
  const limit = Math.max(1, Math.min(1001, Math.trunc(filter.limit)));
  const sql = [
    `SELECT trace_id FROM (${onlyStart ? startsSql(t, inner.join(' AND ')) : executionRowsSql(t, inner.join(' AND '), { counts: false }, [...needed])})`,
    outer.length > 0 ? `WHERE ${outer.join('\n  AND ')}` : '',
    byDuration ? `ORDER BY ${DURATION_SQL} DESC, trace_id DESC` : 'ORDER BY start_ns DESC, trace_id DESC',
    `LIMIT ${limit}`,
  ].filter((line) => line !== '').join('\n');
  return { sql, params };
}
