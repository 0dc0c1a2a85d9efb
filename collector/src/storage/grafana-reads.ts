/**
 * The reads behind Grafana's Jaeger and Tempo data sources: operations, span search (one span
 * satisfying a condition tree, see span-search-sql.ts), service dependencies, and the attribute
 * keys and values that feed Tempo's query builder. Finished spans only (span_data): running
 * spans have no duration, which both protocols require. One trace is read with traces.get (traces/traces.ts);
 * the many traces of a search at once with spansOfTraces.
 *
 * Key and value suggestions look at a recent sample (the last SAMPLE_SPANS rows by rowid), as
 * catalog.attributeKeys does (catalog/catalog.ts): a suggestion list must answer fast on any history.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ConnectionPool } from './connection-pool.js';
import { jsonPathForKey } from './executions/execution-sql.js';
import { SMALL_SPAN_ATTRIBUTES } from './span-model/attribute-sql.js';
import { decodeSpan, type SpanRecord } from './span-model/decode.js';
import { GRAFANA_SQL } from './grafana-reads-sql.js';
import { buildSpanSearchQuery, type SpanSearch } from './span-search-sql.js';

export type { CompareOp, SpanCondition, SpanField, SpanIntrinsic, SpanSearch, SpanValue } from './span-search-sql.js';

/** One matching span shown with a search result. Attributes are JSON object texts. */
export interface SearchSpan {
  spanId: string;
  name: string;
  startNs: bigint;
  endNs: bigint;
  attributes: string;
  resourceAttributes: string;
}

export interface SearchHit {
  traceId: string;
  /** Spans of the trace that satisfy the condition. */
  matched: number;
  /** From the trace's execution row: its root's service and name (null before the root arrives), extent. */
  rootService: string | null;
  rootName: string | null;
  startNs: bigint | null;
  endNs: bigint | null;
  /** The first spansPerTrace matching spans, in start order. */
  spans: SearchSpan[];
}

export interface Dependency { parent: string; child: string; callCount: number }

/** A JSON type of a stored value as DuckDB's json_type names it (VARCHAR, BIGINT, DOUBLE, BOOLEAN …). */
export interface TypedValue { value: string; jsonType: string }

/** Where suggestions look for an attribute. */
export type AttributeScope = 'span' | 'resource';

/** The spans a suggestion samples: the newest rows written. */
export const SAMPLE_SPANS = 20_000;
/** The most values a suggestion returns. */
export const MAX_VALUES = 1_000;

type Row = Record<string, unknown>;

const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as bigint));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export class GrafanaReads {
  constructor(private readonly pool: ConnectionPool) {}

  private rows(sql: string, params: Record<string, string | number | bigint | boolean> = {}): Promise<Row[]> {
    return this.pool.use(async (c: DuckDBConnection) => (await c.runAndReadAll(sql, params)).getRowObjectsJS() as Row[]);
  }

  /** Distinct span names of a service, with their kinds (OTLP numbers); all kinds unless `kind` is given. */
  async operations(service: string, kind?: number): Promise<Array<{ name: string; kind: number }>> {
    const rows = kind === undefined
      ? await this.rows(GRAFANA_SQL.operations, { service })
      : await this.rows(GRAFANA_SQL.operationsOfKind, { service, kind });
    return rows.map((r) => ({ name: String(r.name), kind: Number(r.kind) }));
  }

  /**
   * Whether DuckDB (RE2) takes a pattern: a search with a bad one would fail as a whole, so the
   * API checks first and answers 400 with DuckDB's reason. Undefined when it is valid.
   */
  async patternError(pattern: string): Promise<string | undefined> {
    try {
      await this.rows(`SELECT regexp_full_match('', $p) AS ok`, { p: pattern });
      return undefined;
    } catch (error) {
      return String((error as Error).message ?? error).replace(/^Invalid Input Error:\s*/i, '').slice(0, 300);
    }
  }

  /** Traces with a span that satisfies the search, newest first. */
  async searchSpans(search: SpanSearch): Promise<SearchHit[]> {
    const { sql, params } = buildSpanSearchQuery(search);
    const rows = await this.rows(sql, params);
    return rows.map((r) => ({
      traceId: String(r.trace_id),
      matched: Number(r.matched),
      rootService: strOrNull(r.root_service),
      rootName: strOrNull(r.root_name),
      startNs: big(r.trace_start_ns),
      endNs: big(r.trace_end_ns),
      spans: ((r.spans as Row[] | null | undefined) ?? []).map((s) => ({
        spanId: String(s.span_id),
        name: String(s.name),
        startNs: BigInt(s.start_ns as bigint),
        endNs: BigInt(s.end_ns as bigint),
        attributes: String(s.attributes ?? '{}'),
        resourceAttributes: String(s.resource_attributes ?? '{}'),
      })),
    }));
  }

  /**
   * The finished spans of several traces in one read (a Jaeger search answers whole traces:
   * read one by one, 100 traces took ~1 s on 200k spans, four queries each), by trace id, in
   * start order. A trace without spans is absent from the map.
   */
  async spansOfTraces(traceIds: string[]): Promise<Map<string, SpanRecord[]>> {
    const out = new Map<string, SpanRecord[]>();
    const ids = traceIds.filter((id) => /^[0-9a-f]{32}$/.test(id));
    if (ids.length === 0) return out;
    for (const row of await this.rows(GRAFANA_SQL.spansOfTraces, { ids: ids.join(',') })) {
      const span = decodeSpan(row);
      const list = out.get(span.traceId);
      if (list === undefined) out.set(span.traceId, [span]);
      else list.push(span);
    }
    return out;
  }

  /** Calls between services: parent → child span pairs whose services differ, children starting in the range. */
  async dependencies(fromNs: bigint, toNs: bigint): Promise<Dependency[]> {
    const rows = await this.rows(GRAFANA_SQL.dependencies, { from_ns: fromNs, to_ns: toNs });
    return rows.map((r) => ({ parent: String(r.parent), child: String(r.child), callCount: Number(r.call_count) }));
  }

  /** Attribute keys of recent spans (span scope) or their resources, sorted. */
  async attributeKeys(scope: AttributeScope, window: { fromNs?: bigint; toNs?: bigint } = {}): Promise<string[]> {
    const rows = await this.rows(scope === 'span' ? GRAFANA_SQL.spanKeys(SMALL_SPAN_ATTRIBUTES) : GRAFANA_SQL.resourceKeys, this.sampleParams(window));
    return rows.map((r) => String(r.key));
  }

  /** Distinct scalar values of one attribute in recent spans, with their JSON types. */
  async attributeValues(scope: AttributeScope, key: string, window: { fromNs?: bigint; toNs?: bigint } = {}): Promise<TypedValue[]> {
    const params = { ...this.sampleParams(window), path: jsonPathForKey(key), max_values: MAX_VALUES };
    const sql = scope === 'span' ? GRAFANA_SQL.spanValues(SMALL_SPAN_ATTRIBUTES) : GRAFANA_SQL.resourceValues;
    const rows = await this.rows(sql, params);
    return rows.map((r) => ({ value: String(r.value), jsonType: String(r.json_type) }));
  }

  /** Distinct values of a span column in recent spans: span names, services, status messages. */
  async columnValues(column: 'name' | 'service' | 'statusMessage', window: { fromNs?: bigint; toNs?: bigint } = {}): Promise<string[]> {
    const rows = await this.rows(GRAFANA_SQL.columnValues(column), { ...this.sampleParams(window), max_values: MAX_VALUES });
    return rows.map((r) => String(r.value));
  }

  private sampleParams(window: { fromNs?: bigint; toNs?: bigint }): Record<string, bigint | number> {
    return { n: SAMPLE_SPANS, from_ns: window.fromNs ?? 0n, to_ns: window.toNs ?? 2n ** 63n - 1n };
  }
}
