/**
 * The reads of one trace on DuckDB (the contract's TraceReads): whole (as records, or with its
 * spans rendered as Span JSON text by DuckDB), its waterfall outline, one span, the ids of the
 * spans that match, and its console lines. Each read first finds the execution (or is given
 * it), then reads the spans only inside its start_ns range, which DuckDB prunes by zone maps.
 * Not-found is `undefined`.
 */
import type { SpanJson, TraceJson, TraceOutlineJson, TraceReads, TraceRecord } from '../contract.js';
import type { ConnectionPool } from '../connection-pool.js';
import type { DuckDbExecutions } from '../executions/executions.js';
import type { ExecutionRecord } from '../records.js';
import { decodeLog, decodeSpan, type LogRecord } from '../span-model/decode.js';
import { ONE_SPAN_JSON, SPAN_LOGS } from '../span-detail-sql.js';
import { TRACE_SPANS_JSON } from '../span-json-sql.js';
import { buildSpanMatchQuery, type SpanMatch } from './span-match-sql.js';
import { linesWindow, TRACE_LINES_SQL } from './trace-lines.js';
import { TRACE_OUTLINE_SQL } from './trace-outline-sql.js';

/** The execution's span start range: where its spans are. */
function spanRange(execution: ExecutionRecord): { trace_id: string; lo: bigint; hi: bigint } {
  return { trace_id: execution.traceId, lo: execution.minStartNs, hi: execution.maxStartNs };
}

export class DuckDbTraces implements TraceReads {
  constructor(
    private readonly pool: ConnectionPool,
    private readonly executions: DuckDbExecutions,
  ) {}

  /** An execution with its spans (finished and running) and console lines, or undefined. */
  async get(traceId: string): Promise<TraceRecord | undefined> {
    const execution = await this.executions.get(traceId);
    return execution && this.of(execution);
  }

  /** The spans (finished and running) and console lines of an execution already read. */
  async of(execution: ExecutionRecord): Promise<TraceRecord> {
    const [finished, running, logs] = await Promise.all([
      this.pool.rows(
        `SELECT * FROM span_data WHERE start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id ORDER BY start_ns, span_id`,
        spanRange(execution),
      ),
      this.pool.rows(`SELECT * FROM span_starts WHERE trace_id = $trace_id ORDER BY start_ns, span_id`, { trace_id: execution.traceId }),
      this.logs(execution),
    ]);
    const spans = [...finished, ...running].map(decodeSpan);
    spans.sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0));
    return { execution, spans, logs };
  }

  /** Like get, with the spans rendered as JSON text by DuckDB: fast for huge traces. */
  async getJson(traceId: string): Promise<TraceJson | undefined> {
    const execution = await this.executions.get(traceId);
    return execution && this.jsonOf(execution);
  }

  /** Like of, with the spans rendered as JSON text by DuckDB. */
  async jsonOf(execution: ExecutionRecord): Promise<TraceJson> {
    const [rows, logs] = await Promise.all([this.pool.rows(TRACE_SPANS_JSON(), spanRange(execution)), this.logs(execution)]);
    const row = rows[0] ?? {};
    const spanIds = ((row.span_ids as unknown[] | null) ?? []).map(String);
    return {
      execution,
      spansJson: String(row.spans_json ?? ''),
      spanCount: spanIds.length,
      spanIds,
      parentSpanIds: ((row.parent_span_ids as unknown[] | null) ?? []).map((p) => (p == null ? null : String(p))),
      logs,
    };
  }

  /** The outline of a trace (what a waterfall draws), or undefined. */
  async outline(traceId: string): Promise<TraceOutlineJson | undefined> {
    const execution = await this.executions.get(traceId);
    if (!execution) return undefined;
    const [row] = await this.pool.rows(TRACE_OUTLINE_SQL, { ...spanRange(execution), root_span_id: execution.rootSpanId ?? '' });
    return {
      execution,
      baseNs: BigInt((row?.base_ns as bigint | null) ?? 0n),
      spanCount: Number(row?.span_count ?? 0),
      orphanCount: Number(row?.orphan_count ?? 0),
      spansJson: String(row?.spans_json ?? ''),
    };
  }

  /** One span of an execution as Span JSON with its console lines, or undefined when the trace has no such span. */
  async span(execution: ExecutionRecord, spanId: string): Promise<SpanJson | undefined> {
    const [spans, logs] = await Promise.all([
      this.pool.rows(ONE_SPAN_JSON(), { ...spanRange(execution), span_id: spanId }),
      this.pool.rows(SPAN_LOGS, { ...linesWindow(execution), span_id: spanId }),
    ]);
    if (spans.length === 0) return undefined;
    return { spanJson: String(spans[0].json), logs: logs.map(decodeLog) };
  }

  /** Ids of the spans of an execution already read that match (span-match-sql.ts), in id order. */
  async spanIdsMatching(execution: ExecutionRecord, match: SpanMatch, signal?: AbortSignal): Promise<string[]> {
    const { sql, params } = buildSpanMatchQuery(match);
    const rows = await this.pool.rows(sql, { ...params, ...spanRange(execution) }, signal);
    return rows.map((r) => String(r.span_id));
  }

  /** The console lines of an execution already read (those a trace view shows with it), in time order. */
  async logs(execution: ExecutionRecord): Promise<LogRecord[]> {
    return (await this.pool.rows(TRACE_LINES_SQL, linesWindow(execution))).map(decodeLog);
  }
}
