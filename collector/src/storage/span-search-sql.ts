/**
 * Span search: a condition tree over one span's fields (what Grafana's TraceQL subset and
 * Jaeger's search ask for) rendered as SQL over span_data. A pure function with golden tests.
 *
 * Invariants: user text only travels as bound parameters ($c0, $c1 …); the SQL text depends
 * only on the shape of the condition (fields, operators, value types, attribute keys being hot
 * columns). A condition holds for ONE span: every comparison of a tree is about the same row.
 * An attribute is read where ingest put it — its hot column when moved (moved-attributes.ts),
 * else the small attributes JSON, else large_attributes — so every stored attribute is found.
 */
import { jsonPathForKey } from './executions/execution-sql.js';
import { isMovedSql, largeAttributeTextSql, movedColumnText, SPAN_ATTRIBUTES } from './span-model/attribute-sql.js';
import { movableAttribute } from './span-model/moved-attributes.js';

/** Fields of a span that are not attributes. status is the OTLP code (0 unset, 1 ok, 2 error), kind the OTLP kind number. */
export type SpanIntrinsic = 'name' | 'service' | 'status' | 'kind' | 'duration' | 'statusMessage' | 'scopeName';

export type SpanField =
  | { intrinsic: SpanIntrinsic }
  /** `any`: a span attribute or a resource attribute of that key. */
  | { attribute: string; scope: 'span' | 'resource' | 'any' };

export type CompareOp = '=' | '!=' | '>' | '<' | '>=' | '<=' | '=~' | '!~';

/**
 * Values: strings compare as text (an attribute's text is its json_extract_string: 200, true …);
 * numbers compare numerically with values that read as numbers; booleans with true/false;
 * bigint is nanoseconds, for duration only. =~ and !~ take an RE2 pattern matched in full.
 */
export type SpanValue = string | number | boolean | bigint;

export type SpanCondition =
  | { and: SpanCondition[] }
  | { or: SpanCondition[] }
  | { field: SpanField; op: CompareOp; value: SpanValue };

export interface SpanSearch {
  /** undefined: every span matches. */
  condition?: SpanCondition;
  /** Window on the matching span's start, inclusive. */
  fromNs?: bigint;
  toNs?: bigint;
  /** Traces to return, newest matching span first. */
  limit: number;
  /** Matching spans to return per trace (0: only the count). */
  spansPerTrace: number;
}

export interface BuiltSearch {
  sql: string;
  params: Record<string, string | number | bigint | boolean>;
}

const INTRINSIC_COLUMNS: Record<SpanIntrinsic, string> = {
  name: 'name',
  service: 'service_name',
  status: 'status_code',
  kind: 'kind',
  duration: '(end_ns - start_ns)',
  statusMessage: 'status_message',
  scopeName: 'scope_name',
};

class Renderer {
  readonly params: BuiltSearch['params'] = {};
  private n = 0;

  bind(value: SpanValue): string {
    const name = `c${this.n++}`;
    this.params[name] = value;
    return `$${name}`;
  }

  condition(c: SpanCondition): string {
    if ('and' in c) return c.and.length === 0 ? 'true' : `(${c.and.map((x) => this.condition(x)).join(' AND ')})`;
    if ('or' in c) return c.or.length === 0 ? 'false' : `(${c.or.map((x) => this.condition(x)).join(' OR ')})`;
    const f = c.field;
    if ('intrinsic' in f) return this.compare(INTRINSIC_COLUMNS[f.intrinsic], c.op, c.value, false);
    if (f.scope === 'span') return this.compare(this.spanAttribute(f.attribute), c.op, c.value, true);
    if (f.scope === 'resource') return this.compare(this.resourceAttribute(f.attribute), c.op, c.value, true);
    return `(${this.compare(this.spanAttribute(f.attribute), c.op, c.value, true)} OR ${this.compare(this.resourceAttribute(f.attribute), c.op, c.value, true)})`;
  }

  /** The text of a span attribute, from wherever ingest stored it; NULL when the span lacks it. */
  private spanAttribute(key: string): string {
    const token = this.bind(`${JSON.stringify(key)}:`);
    const path = this.bind(jsonPathForKey(key));
    // contains() skips the JSON parse for the many rows that lack the key.
    const json = `coalesce(CASE WHEN contains(attributes, ${token}) THEN json_extract_string(attributes, ${path}) END, `
      + `${largeAttributeTextSql(this.bind(key), path)})`;
    const movable = movableAttribute(key);
    if (movable === undefined) return json;
    return `(CASE WHEN ${isMovedSql(movable)} THEN ${movedColumnText(movable)} ELSE ${json} END)`;
  }

  private resourceAttribute(key: string): string {
    // service.name has a column of its own (ingest's default for a resource without one aside).
    if (key === 'service.name') return 'service_name';
    return `json_extract_string(resource_attributes, ${this.bind(jsonPathForKey(key))})`;
  }

  private compare(expr: string, op: CompareOp, value: SpanValue, isText: boolean): string {
    if (op === '=~' || op === '!~') {
      const match = `regexp_full_match(${expr}, ${this.bind(String(value))})`;
      return op === '=~' ? match : `NOT ${match}`;
    }
    const sqlOp = op === '!=' ? '<>' : op;
    if (typeof value === 'number' && isText) return `TRY_CAST(${expr} AS DOUBLE) ${sqlOp} ${this.bind(value)}`;
    if (typeof value === 'boolean' && isText) return `${expr} ${sqlOp} ${this.bind(value ? 'true' : 'false')}`;
    return `${expr} ${sqlOp} ${this.bind(value)}`;
  }
}

/** The WHERE text and parameters of a condition alone (for tests and other span reads). */
export function renderSpanCondition(condition: SpanCondition): BuiltSearch {
  const r = new Renderer();
  return { sql: r.condition(condition), params: r.params };
}

/**
 * SQL for a span search: the newest `limit` traces with a matching span in the window, with
 * how many spans matched, the trace's extent and root from execution_data, and the first
 * `spansPerTrace` matching spans with their attributes (all of them) and resource attributes.
 */
export function buildSpanSearchQuery(search: SpanSearch): BuiltSearch {
  const r = new Renderer();
  const where: string[] = [];
  if (search.fromNs !== undefined) where.push(`start_ns >= ${r.bind(search.fromNs)}`);
  if (search.toNs !== undefined) where.push(`start_ns <= ${r.bind(search.toNs)}`);
  if (search.condition !== undefined) where.push(r.condition(search.condition));
  const limit = Math.max(1, Math.min(10_000, Math.trunc(search.limit)));
  const perTrace = Math.max(0, Math.min(1_000, Math.trunc(search.spansPerTrace)));
  // hits is read twice (which traces, which spans to show): materialised, the span scan runs once.
  const spansCte = perTrace === 0 ? '' : `, shown AS (
  SELECT h.trace_id, h.span_id, h.start_ns FROM hits h SEMI JOIN picked p ON p.trace_id = h.trace_id
  QUALIFY row_number() OVER (PARTITION BY h.trace_id ORDER BY h.start_ns, h.span_id) <= ${perTrace}
), shown_spans AS (
  SELECT trace_id, list({span_id: span_id, name: name, start_ns: start_ns, end_ns: end_ns,
    attributes: ${SPAN_ATTRIBUTES}, resource_attributes: resource_attributes} ORDER BY start_ns, span_id) AS spans
  FROM span_data s SEMI JOIN shown w ON w.trace_id = s.trace_id AND w.span_id = s.span_id
  WHERE s.start_ns BETWEEN (SELECT min(start_ns) FROM shown) AND (SELECT max(start_ns) FROM shown)
  GROUP BY trace_id
)`;
  const sql = `WITH hits AS MATERIALIZED (
  SELECT trace_id, span_id, start_ns FROM span_data${where.length > 0 ? `\n  WHERE ${where.join('\n    AND ')}` : ''}
), picked AS (
  SELECT trace_id, max(start_ns) AS newest_ns, count(*) AS matched FROM hits
  GROUP BY trace_id ORDER BY newest_ns DESC, trace_id DESC LIMIT ${limit}
)${spansCte}
SELECT p.trace_id, p.matched, e.service_name AS root_service, e.root_name, e.start_ns AS trace_start_ns,
  coalesce(e.end_ns, e.max_start_ns) AS trace_end_ns${perTrace === 0 ? '' : ', x.spans'}
FROM picked p LEFT JOIN execution_data e ON e.trace_id = p.trace_id${perTrace === 0 ? '' : '\nLEFT JOIN shown_spans x ON x.trace_id = p.trace_id'}
ORDER BY p.newest_ns DESC, p.trace_id DESC`;
  return { sql, params: r.params };
}
