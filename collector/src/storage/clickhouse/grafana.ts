/**
 * The reads behind Grafana's Jaeger and Tempo data sources on ClickHouse (the contract's
 * GrafanaStore): operations, span search (span-search-sql.ts), dependencies, and the keys and
 * values that feed Tempo's query builder. Finished spans only, read with FINAL. Suggestions look
 * at the newest SAMPLE_SPANS spans by ingest time, as the DuckDB engine looks at its newest rows.
 * JSON types are named as DuckDB's json_type names them (VARCHAR, BIGINT …): the API maps those.
 */
import type { AttributeScope, Dependency, SearchHit, SpanSearch, TypedValue } from '../grafana-reads.js';
import type { SpanRecord } from '../records.js';
import { pairsParam, type ClickHouseConnection, type Params, type Row } from './connection.js';
import { executionRowsSql } from './execution-rows-sql.js';
import { SpanConditionRenderer } from './span-search-sql.js';
import { spanRecordOf } from './span-rows.js';
import type { Tables } from './tables.js';

const SAMPLE_SPANS = 20_000;
const MAX_VALUES = 1_000;
const COLUMNS = { name: 'name', service: 'service_name', statusMessage: 'status_message' } as const;
/** ClickHouse's JSONType names → DuckDB's json_type names. */
const JSON_TYPES: Record<string, string> = { String: 'VARCHAR', Int64: 'BIGINT', UInt64: 'UBIGINT', Double: 'DOUBLE', Bool: 'BOOLEAN' };
const NO_ROOT = '0'; // abandon_after_ns: any value; the search reads only root and extent

export class ClickHouseGrafana {
  constructor(private readonly conn: ClickHouseConnection, private readonly t: Tables) {}

  async operations(service: string, kind?: number): Promise<Array<{ name: string; kind: number }>> {
    const rows = await this.conn.query(
      `SELECT DISTINCT name, kind FROM ${this.t.spans} WHERE service_name = {service:String} AND end_ns IS NOT NULL`
        + `${kind === undefined ? '' : ' AND kind = {kind:UInt8}'} ORDER BY name, kind`,
      kind === undefined ? { service } : { service, kind },
    );
    return rows.map((r) => ({ name: String(r.name), kind: Number(r.kind) }));
  }

  /** Whether RE2 (ClickHouse's match) takes a pattern; its reason when it does not. */
  async patternError(pattern: string): Promise<string | undefined> {
    try {
      await this.conn.query(`SELECT match('', concat('^(?:', {p:String}, ')$')) AS ok`, { p: pattern });
      return undefined;
    } catch (error) {
      return String((error as Error).message ?? error).replace(/^Code: \d+\. DB::Exception:\s*/i, '').slice(0, 300);
    }
  }

  async searchSpans(search: SpanSearch): Promise<SearchHit[]> {
    const r = new SpanConditionRenderer();
    const where = ['end_ns IS NOT NULL'];
    if (search.fromNs !== undefined) where.push(`start_ns >= ${r.bind(search.fromNs, 'Int64')}`);
    if (search.toNs !== undefined) where.push(`start_ns <= ${r.bind(search.toNs, 'Int64')}`);
    if (search.condition !== undefined) where.push(r.condition(search.condition));
    const limit = Math.max(1, Math.min(10_000, Math.trunc(search.limit)));
    const perTrace = Math.max(0, Math.min(1_000, Math.trunc(search.spansPerTrace)));
    const params: Params = { ...r.params, abandon_after_ns: NO_ROOT };
    const picked = await this.conn.query(
      `SELECT trace_id, max(start_ns) AS newest_ns, count() AS matched,
         arraySlice(arraySort(x -> (x.2, x.1), groupArray((span_id, start_ns))), 1, ${perTrace}) AS shown
       FROM ${this.t.spans} FINAL WHERE ${where.join(' AND ')}
       GROUP BY trace_id ORDER BY newest_ns DESC, trace_id DESC LIMIT ${limit}`,
      params,
    );
    if (picked.length === 0) return [];
    const ids = picked.map((p) => String(p.trace_id));
    const [roots, spans] = await Promise.all([
      this.conn.query(`SELECT trace_id, service_name, root_name, start_ns, coalesce(end_ns, max_start_ns) AS end_ns
         FROM (${executionRowsSql(this.t, 'trace_id IN {ids:Array(String)}', { counts: false }, ['service_name', 'root_name', 'start_ns', 'end_ns', 'max_start_ns'])})`, { ids }),
      perTrace === 0 ? Promise.resolve([] as Row[]) : this.conn.query(
        `SELECT trace_id, span_id, name, start_ns, end_ns, attributes, large_attributes, resource_attributes FROM ${this.t.spans} FINAL
         WHERE trace_id IN {ids:Array(String)} AND (trace_id, span_id) IN {keys:Array(Tuple(String, String))}`,
        { ids, keys: pairsParam(picked.flatMap((p) => (p.shown as Array<[string, string]>).map(([spanId]) => [String(p.trace_id), spanId] as const))) },
      ),
    ]);
    const rootOf = new Map(roots.map((x) => [String(x.trace_id), x]));
    const spanOf = new Map(spans.map((s) => [`${String(s.trace_id)}/${String(s.span_id)}`, spanRecordOf(s)]));
    return picked.map((p) => {
      const id = String(p.trace_id);
      const root = rootOf.get(id);
      return {
        traceId: id,
        matched: Number(p.matched),
        rootService: root ? String(root.service_name) : null,
        rootName: root?.root_name == null ? null : String(root.root_name),
        startNs: root ? BigInt(root.start_ns as string) : null,
        endNs: root?.end_ns == null ? null : BigInt(root.end_ns as string),
        spans: (p.shown as Array<[string, string]>).map(([spanId]) => spanOf.get(`${id}/${spanId}`)).filter((s): s is SpanRecord => s !== undefined)
          .map((s) => ({ spanId: s.spanId, name: s.name, startNs: s.startTimeUnixNano, endNs: s.endTimeUnixNano!, attributes: s.attributes, resourceAttributes: s.resourceAttributes })),
      };
    });
  }

  async spansOfTraces(traceIds: string[]): Promise<Map<string, SpanRecord[]>> {
    const out = new Map<string, SpanRecord[]>();
    const ids = traceIds.filter((id) => /^[0-9a-f]{32}$/.test(id));
    if (ids.length === 0) return out;
    const rows = await this.conn.query(
      `SELECT * FROM ${this.t.spans} FINAL WHERE trace_id IN {ids:Array(String)} AND end_ns IS NOT NULL ORDER BY trace_id, start_ns, span_id`, { ids },
    );
    for (const row of rows) {
      const span = spanRecordOf(row);
      const list = out.get(span.traceId);
      if (list === undefined) out.set(span.traceId, [span]);
      else list.push(span);
    }
    return out;
  }

  async dependencies(fromNs: bigint, toNs: bigint): Promise<Dependency[]> {
    const rows = await this.conn.query(
      `SELECT p.service_name AS parent, c.service_name AS child, count() AS call_count
       FROM (SELECT trace_id, parent_span_id, service_name FROM ${this.t.spans} FINAL
             WHERE start_ns BETWEEN {from_ns:Int64} AND {to_ns:Int64} AND end_ns IS NOT NULL AND parent_span_id != '') AS c
       INNER JOIN (SELECT trace_id, span_id, service_name FROM ${this.t.spans} FINAL WHERE end_ns IS NOT NULL) AS p
         ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
       WHERE p.service_name != c.service_name
       GROUP BY parent, child ORDER BY parent, child`,
      { from_ns: fromNs.toString(), to_ns: toNs.toString() },
    );
    return rows.map((r) => ({ parent: String(r.parent), child: String(r.child), callCount: Number(r.call_count) }));
  }

  async attributeKeys(scope: AttributeScope, window: { fromNs?: bigint; toNs?: bigint } = {}): Promise<string[]> {
    const column = scope === 'span' ? 'attributes' : 'resource_attributes';
    const rows = await this.conn.query(
      `SELECT DISTINCT arrayJoin(JSONExtractKeys(${column})) AS key FROM (${this.sample(column)}) ORDER BY key`, this.window(window),
    );
    return rows.map((r) => String(r.key));
  }

  async attributeValues(scope: AttributeScope, key: string, window: { fromNs?: bigint; toNs?: bigint } = {}): Promise<TypedValue[]> {
    const column = scope === 'span' ? 'attributes' : 'resource_attributes';
    const rows = await this.conn.query(
      `SELECT if(type = 'String', JSONExtractString(${column}, {key:String}), JSONExtractRaw(${column}, {key:String})) AS value, type
       FROM (SELECT ${column}, toString(JSONType(${column}, {key:String})) AS type FROM (${this.sample(column)}) WHERE JSONHas(${column}, {key:String}))
       WHERE type IN ('String', 'Int64', 'UInt64', 'Double', 'Bool')
       GROUP BY value, type ORDER BY count() DESC, value LIMIT ${MAX_VALUES}`,
      { ...this.window(window), key },
    );
    return rows.map((r) => ({ value: String(r.value), jsonType: JSON_TYPES[String(r.type)] ?? 'VARCHAR' }));
  }

  async columnValues(column: 'name' | 'service' | 'statusMessage', window: { fromNs?: bigint; toNs?: bigint } = {}): Promise<string[]> {
    const c = COLUMNS[column];
    const rows = await this.conn.query(
      `SELECT DISTINCT ${c} AS value FROM (${this.sample(c)}) WHERE ${c} IS NOT NULL AND ${c} != '' ORDER BY value LIMIT ${MAX_VALUES}`,
      this.window(window),
    );
    return rows.map((r) => String(r.value));
  }

  /** The newest SAMPLE_SPANS finished spans in a start window, one column of them. */
  private sample(column: string): string {
    return `SELECT ${column} FROM ${this.t.spans} WHERE end_ns IS NOT NULL AND start_ns BETWEEN {from_ns:Int64} AND {to_ns:Int64}
      ORDER BY ingest_ns DESC LIMIT ${SAMPLE_SPANS}`;
  }

  private window(w: { fromNs?: bigint; toNs?: bigint }): Params {
    return { from_ns: (w.fromNs ?? 0n).toString(), to_ns: (w.toNs ?? 2n ** 63n - 1n).toString() };
  }
}
