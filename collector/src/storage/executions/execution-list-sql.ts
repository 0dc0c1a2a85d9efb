/**
 * Builds the SQL of the execution list from a filter: a pure function with golden tests.
 * User text only ever travels as a bound parameter; the SQL text depends only on which
 * filters are present (and on the limit, a validated integer, and on whether an attribute
 * value is long enough to be a large attribute and whether the attribute value index answers it).
 */
import { isIndexedFilter, mayRenderNumber } from '../span-model/value-index.js';
import { isMovedSql, LARGE_ATTRIBUTES, largeAttributeTextSql, movedColumnText } from '../span-model/attribute-sql.js';
import { LARGE_ATTRIBUTE_CHARS } from '../span-model/large-attributes.js';
import { movableAttribute } from '../span-model/moved-attributes.js';
import {
  DURATION_NS, FLOW_OF_EXECUTION, flowIn, flowPrefix, flowStartsWith, jsonPathForKey, STATUS_EXPR, statusPredicate,
} from './execution-sql.js';

/**
 * Where a page ended: the last row's start (newest-first order), or its duration when the list
 * is sorted by duration; the trace id breaks ties in both. A cursor belongs to one order.
 */
export interface ExecutionCursor {
  startNs: bigint;
  traceId: string;
  /** Set on cursors of the duration order (the last row's DURATION_NS). */
  durationNs?: bigint;
}

/** Where a text search looks: everywhere (names, attributes, payloads, lines), or in error texts only. */
export type TextScope = 'all' | 'errors';

/** Orders of the list: newest first (the default), or longest first. */
export type ExecutionSort = 'start' | 'duration';

export interface ExecutionFilter {
  flow?: string[];
  service?: string[];
  status?: string[];
  user?: string[];
  trigger?: string[];
  fromNs?: bigint;
  toNs?: bigint;
  minDurationMs?: number;
  maxDurationMs?: number;
  /** attribute key = value, matched on any span's attributes or resource attributes. */
  attributes?: Array<{ key: string; value: string }>;
  /**
   * Text (case-insensitive) in flow / span names, attribute values, status and exception
   * messages, console and log lines; or a trace id.
   */
  text?: string;
  /**
   * Where `text` is looked for: 'all' (the default) everywhere above; 'errors' only in the
   * execution's own fields (trace id, flow, its error message) and its error texts — a failed
   * span's status message, an exception event's message, an error-level console line
   * (span-model/error-texts.ts, each cut to MAX_ERROR_TEXT_CHARS) — never in names, attribute
   * values or payloads. A run found so failed or logged an error holding the text; DuckDB finds it
   * without reading a span row (scansSpans is false).
   */
  textScope?: TextScope;
  /** Newest first unless 'duration' (longest first). */
  sort?: ExecutionSort;
  /**
   * A text search may answer a page of fewer than `limit` rows with `hasMore`, holding every
   * match down to the oldest execution that its row or its error texts show to match, rather
   * than searching older history to fill the page (storage/executions/executions.ts): a failed
   * run is found by its error at once, and the next page (its cursor) searches on from there.
   * Rows, order and the executions found over all pages are the same either way. An engine may
   * ignore it (full pages are always allowed).
   */
  partial?: boolean;
  cursor?: ExecutionCursor;
  /**
   * No span of a matching execution starts before this: bounds the span searches (text,
   * attributes) by start_ns, which DuckDB prunes by zone maps. The list (executions.ts) derives it from
   * fromNs (the earliest span start of the executions in range, see SPAN_RANGE_SQL).
   */
  spanFromNs?: bigint;
  /**
   * No span of a matching execution starts after this: the latest span start of the executions
   * at or before the cursor (or toNs), so that a page after the first does not search the spans
   * of the newer executions the pages before it held (SPAN_RANGE_SQL).
   */
  spanToNs?: bigint;
  /** Rows to return; executions.ts asks for one more to know whether a next page exists. */
  limit: number;
}

export interface BuiltQuery {
  sql: string;
  params: Record<string, string | number | bigint>;
}

/**
 * Whether a filter searches the span rows themselves (text, or an attribute value the index
 * cannot answer): a scan of every span in the range, which is worth narrowing in time first.
 */
export function scansSpans(filter: ExecutionFilter): boolean {
  return ((filter.text ?? '') !== '' && filter.textScope !== 'errors') || (filter.attributes ?? []).some(({ key, value }) => !isIndexedFilter(key, value));
}

/**
 * The earliest and the latest span start of the executions starting in a range (min_start_ns
 * and max_start_ns cover every span of an execution, running ones too), and the oldest execution
 * start of all: what bounds a span search to the range (ExecutionFilter.spanFromNs, spanToNs),
 * and whether a range leaves any execution out. Params: $from_ns, $to_ns (inclusive).
 */
export const SPAN_RANGE_SQL = `
SELECT min(min_start_ns) AS span_from, max(max_start_ns) AS span_to, (SELECT min(start_ns) FROM execution_data) AS oldest
FROM execution_data WHERE start_ns >= $from_ns AND start_ns <= $to_ns`;

/**
 * The longest run of 3 or more ASCII characters other than letters in a text already
 * lower-cased, if any. Lower-casing maps each code point to one code point and never turns a
 * letter into an ASCII digit, space or sign, so a text whose lower-cased form contains the
 * search text contains this run exactly: `contains(text, run)` is a cheap first test before
 * lower-casing it. The list's query for one hour of spans with payloads, 1M-span benchmark
 * database: a flow's name (`signup-02`) 574 → 348 ms, a user id 531 → 336 ms; runs of 2
 * (`ord-5`) matched too many rows to pay off (425 → 478 ms), so they are not used.
 */
export function caselessAnchor(lowerText: string): string | undefined {
  let best = '';
  for (const run of lowerText.match(/[\x00-\x40\x5b-\x60\x7b-\x7f]{3,}/g) ?? []) if (run.length > best.length) best = run;
  return best === '' ? undefined : best;
}

/** Console lines are looked for from this long before a range's first span (clock skew between processes). */
const LOG_SKEW_NS = 60_000_000_000n;

/** How buildExecutionListQuery looks for the filter's text. */
export interface ListQueryOptions {
  /**
   * Only where no span row is read: the execution row's trace id, flow and error message, and
   * the trace's error texts (schema/tables/error_texts.sql). A subset of the full text search's
   * matches, found in milliseconds: executions.ts bounds the span search with it. The same as
   * the filter's textScope 'errors', which asks for exactly this subset.
   */
  textWithoutSpans?: boolean;
}

/** SQL + parameters for one page of executions, newest first (or longest first). */
export function buildExecutionListQuery(filter: ExecutionFilter, abandonBeforeNs: bigint, options: ListQueryOptions = {}): BuiltQuery {
  const where: string[] = [];
  const params: BuiltQuery['params'] = { abandon_before: abandonBeforeNs };
  const bind = (name: string, values: string[]): string =>
    values.map((value, i) => {
      params[`${name}${i}`] = value;
      return `$${name}${i}`;
    }).join(', ');
  const inList = (column: string, name: string, values: string[] | undefined): void => {
    if (values && values.length > 0) where.push(`${column} IN (${bind(name, values)})`);
  };
  if (filter.flow && filter.flow.length > 0) {
    const whole = filter.flow.filter((f) => flowPrefix(f) === undefined);
    const prefixes = filter.flow.map(flowPrefix).filter((p): p is string => p !== undefined);
    const any = whole.length > 0 ? [flowIn(bind('flow', whole))] : [];
    prefixes.forEach((prefix, i) => {
      params[`flow_prefix${i}`] = prefix;
      any.push(flowStartsWith(`$flow_prefix${i}`));
    });
    where.push(any.length === 1 ? any[0] : `(${any.join(' OR ')})`);
  }
  inList('service_name', 'service', filter.service);
  if (filter.status && filter.status.length > 0) {
    const known = filter.status.map(statusPredicate).filter((p): p is string => p !== undefined);
    const unknown = filter.status.filter((status) => statusPredicate(status) === undefined);
    const any = [...new Set(known)];
    if (unknown.length > 0) any.push(`${STATUS_EXPR} IN (${bind('status', unknown)})`);
    where.push(any.length === 1 ? any[0] : `(${any.join(' OR ')})`);
  }
  inList('user_id', 'user', filter.user);
  inList('trigger_type', 'trigger', filter.trigger);
  if (filter.fromNs !== undefined) {
    where.push('start_ns >= $from_ns');
    params.from_ns = filter.fromNs;
  }
  if (filter.toNs !== undefined) {
    where.push('start_ns <= $to_ns');
    params.to_ns = filter.toNs;
  }
  if (filter.minDurationMs !== undefined) {
    where.push(`${DURATION_NS} >= $min_duration_ns`);
    params.min_duration_ns = BigInt(Math.round(filter.minDurationMs * 1e6));
  }
  if (filter.maxDurationMs !== undefined) {
    where.push(`${DURATION_NS} <= $max_duration_ns`);
    params.max_duration_ns = BigInt(Math.round(filter.maxDurationMs * 1e6));
  }
  // Span searches below are limited to spans starting at or after spanFromNs and at or before
  // spanToNs, when given.
  let inRange = '';
  if (filter.spanFromNs !== undefined) {
    inRange = 'start_ns >= $span_from AND ';
    params.span_from = filter.spanFromNs;
  }
  if (filter.spanToNs !== undefined) {
    inRange += 'start_ns <= $span_to AND ';
    params.span_to = filter.spanToNs;
  }
  (filter.attributes ?? []).forEach(({ key, value }, i) => {
    params[`attr_path${i}`] = jsonPathForKey(key);
    params[`attr_value${i}`] = value;
    params[`attr_text${i}`] = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    // A number's text as DuckDB renders it need not be the token ingest wrote (1e21 / 1e+21):
    // then only the key is looked for.
    params[`attr_token${i}`] = `${JSON.stringify(key)}:${mayRenderNumber(value) ? '' : value}`;
    const matches = (column: string): string =>
      `((contains(${column}, $attr_text${i}) OR contains(${column}, $attr_token${i}))` +
      ` AND json_extract_string(${column}, $attr_path${i}) = $attr_value${i})`;
    // The contains() tests are a fast prefilter over the compact JSON ingest writes (a string
    // value, or a number/bool/array token); json_extract_string decides. A value whose shortest
    // "key":value text fits the limit is never in large_attributes, which is then not read.
    // Large attributes are read by key (large_attribute_text), whichever form their column holds.
    const mayBeLarge = JSON.stringify(key).length + 1 + JSON.stringify(value).length > LARGE_ATTRIBUTE_CHARS;
    const large = mayBeLarge ? ` OR ${largeAttributeTextSql(`$attr_key${i}`, `$attr_path${i}`)} = $attr_value${i}` : '';
    if (mayBeLarge) params[`attr_key${i}`] = key;
    // A hot attribute ingest left to its column (storage/moved-attributes.ts) is compared there.
    const movable = movableAttribute(key);
    const spanAttributes = movable === undefined ? matches('attributes')
      : `(CASE WHEN ${isMovedSql(movable)}`
        + ` THEN ${movedColumnText(movable)} = $attr_value${i}`
        + ` ELSE ${matches('attributes')} END)`;
    const running = `SELECT trace_id FROM span_starts WHERE ${matches('attributes')}${large}`;
    if (isIndexedFilter(key, value)) {
      // The attribute value index holds every finished span's match (storage/attribute-values.ts);
      // resource attributes, few distinct texts, are still scanned.
      params[`attr_key${i}`] = key;
      where.push(
        `trace_id IN (SELECT trace_id FROM attribute_values WHERE key = $attr_key${i} AND value = $attr_value${i}` +
          ` UNION ALL SELECT trace_id FROM span_data WHERE ${inRange}${matches('resource_attributes')}` +
          ` UNION ALL ${running})`,
      );
      return;
    }
    where.push(
      `trace_id IN (SELECT trace_id FROM span_data WHERE ${inRange}(${spanAttributes} OR ${matches('resource_attributes')}${large})` +
        ` UNION ALL ${running})`,
    );
  });
  if (filter.text !== undefined && filter.text !== '') {
    params.text = filter.text.toLowerCase();
    const anchor = caselessAnchor(params.text);
    if (anchor !== undefined) params.text_anchor = anchor;
    const has = (column: string): string => anchor === undefined
      ? `contains(lower(${column}), $text)`
      : `(contains(${column}, $text_anchor) AND contains(lower(${column}), $text))`;
    // Span names, hot attribute columns (which ingest may have left out of attributes, see
    // storage/moved-attributes.ts), attributes and payloads, of finished spans in the range and
    // of spans still running (known from their start marks: few rows, not bounded in time).
    // Finished spans add what a user sees as the error: the status message and the events'
    // texts (every exception event's message; exception_message holds only the first).
    const spanText = (hotColumns: string): string =>
      `${has('name')} OR ${has(`concat_ws(' ', ${hotColumns})`)} OR ${has('attributes')} OR ${has(LARGE_ATTRIBUTES)}`;
    const hot = 'node_id, node_name, node_type, flow_id, user_id, trigger_type';
    const errorText = `${has(`concat_ws(' ', status_message, exception_message)`)} OR ${has('events')}`;
    // Console and log lines, from a minute before the range's first span (the clock skew the
    // trace view allows too, traces/trace-lines.ts); lines without a trace never match.
    let logsInRange = '';
    if (filter.spanFromNs !== undefined) {
      logsInRange = 'time_ns >= $log_from AND ';
      params.log_from = filter.spanFromNs - LOG_SKEW_NS;
    }
    // The execution row's own text and the trace's error texts (span-model/error-texts.ts): no
    // span row is read for them. The error texts also hold what the span search can miss: an
    // exception message with characters the events' JSON escapes, a line timed before the skew.
    const withoutSpans = `trace_id = $text OR contains(lower(coalesce(${FLOW_OF_EXECUTION}, '')), $text) OR ${has('coalesce(error_message, \'\')')}` +
      ` OR trace_id IN (SELECT trace_id FROM error_texts WHERE ${has('text')})`;
    where.push(options.textWithoutSpans || filter.textScope === 'errors' ? `(${withoutSpans})` :
      `(${withoutSpans}` +
        ` OR trace_id IN (SELECT trace_id FROM span_data WHERE ${inRange}(${spanText(`${hot}, error_node_id`)} OR ${errorText})` +
        ` UNION ALL SELECT trace_id FROM span_starts WHERE ${spanText(hot)}` +
        ` UNION ALL SELECT trace_id FROM log_data WHERE ${logsInRange}trace_id <> '' AND ${has('body')}))`,
    );
  }
  const byDuration = filter.sort === 'duration';
  if (filter.cursor && byDuration) {
    where.push(`(${DURATION_NS} < $cursor_duration OR (${DURATION_NS} = $cursor_duration AND trace_id < $cursor_trace))`);
    params.cursor_duration = filter.cursor.durationNs ?? 0n;
    params.cursor_trace = filter.cursor.traceId;
  } else if (filter.cursor) {
    where.push('(start_ns < $cursor_start OR (start_ns = $cursor_start AND trace_id < $cursor_trace))');
    params.cursor_start = filter.cursor.startNs;
    params.cursor_trace = filter.cursor.traceId;
  }
  const limit = Math.max(1, Math.min(1001, Math.trunc(filter.limit)));
  const sql = [
    `SELECT *, ${STATUS_EXPR} AS status`,
    'FROM execution_data',
    where.length > 0 ? `WHERE ${where.join('\n  AND ')}` : '',
    byDuration ? `ORDER BY ${DURATION_NS} DESC, trace_id DESC` : 'ORDER BY start_ns DESC, trace_id DESC',
    `LIMIT ${limit}`,
  ]
    .filter((line) => line !== '')
    .join('\n');
  return { sql, params };
}
