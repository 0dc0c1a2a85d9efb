/**
 * Every read the API makes, on pooled read connections. Not-found is `undefined`, never an
 * empty result pretending to be one. Trace lookups first find the execution, then read its
 * spans only inside its start_ns range, which DuckDB prunes by zone maps.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ConnectionPool } from './connection-pool.js';
import { buildExecutionListQuery, flowIn, scansSpans, SPAN_FLOOR_SQL, STATUS_EXPR, type ExecutionFilter } from './execution-list-sql.js';
import {
  executionRecordFromRow, logRecordFromRow, spanRecordFromRow,
  type ExecutionRecord, type LogRecord, type SpanRecord,
} from './records.js';
import { SMALL_SPAN_ATTRIBUTES } from './moved-attributes.js';
import { ONE_SPAN_JSON, SPAN_LOGS } from './span-detail-sql.js';
import { TRACE_SPANS_JSON } from './span-json-sql.js';
import { FLOW_LIST_SQL, FLOW_SERIES_SQL, FLOW_SPAN_RANGE_SQL, FLOW_SUMMARY_SQL, NODE_STATS_SQL } from './stats-sql.js';
import { TRACE_OUTLINE_SQL } from './trace-outline-sql.js';
import { buildSpanMatchQuery, type SpanMatch } from './span-match-sql.js';

/** A trace with its spans already rendered as the API's Span JSON (see span-json-sql.ts). */
export interface TraceJson {
  execution: ExecutionRecord;
  /** Span JSON objects in start order, joined by commas (the inside of a JSON array). */
  spansJson: string;
  spanCount: number;
  spanIds: string[];
  /** Parent span ids, null for a root, in the order of `spans`. */
  parentSpanIds: Array<string | null>;
  logs: LogRecord[];
}

/** A trace's outline rendered by DuckDB (see trace-outline-sql.ts). */
export interface TraceOutlineJson {
  execution: ExecutionRecord;
  /** The earliest span start, which the tuples' times count from. */
  baseNs: bigint;
  spanCount: number;
  /** Spans whose parent is not in the trace, the execution's root excepted. */
  orphanCount: number;
  /** The span tuples in start order, joined by commas (the inside of a JSON array). */
  spansJson: string;
}

/** One span rendered as Span JSON by DuckDB, with its console lines. */
export interface SpanJson {
  spanJson: string;
  logs: LogRecord[];
}

export interface TraceRecord {
  execution: ExecutionRecord;
  spans: SpanRecord[];
  logs: LogRecord[];
}

export interface StatsRow {
  key: string | number | bigint;
  count: number;
  successCount: number;
  errorCount: number;
  finishedCount: number;
  avgMs: number | null;
  quantiles: [number, number, number] | null;
  firstStartNs: bigint | null;
  lastStartNs: bigint | null;
}

export interface NodeStatsRow {
  nodeId: string;
  nodeName: string | null;
  nodeType: string | null;
  count: number;
  errorCount: number;
  avgMs: number | null;
  quantiles: [number, number, number] | null;
}

export interface TimeRange {
  fromNs: bigint;
  toNs: bigint;
}

type Row = Record<string, unknown>;

/** The first `limit` rows as a page, and whether more followed. */
function pageOf(rows: Row[], limit: number): { executions: ExecutionRecord[]; hasMore: boolean } {
  return { executions: rows.slice(0, limit).map(executionRecordFromRow), hasMore: rows.length > limit };
}

/** Time windows (before the newest start, or the cursor) tried for a page: 1 minute, 1 hour, 1 day. */
const PAGE_WINDOWS_NS = [60n, 3_600n, 86_400n].map((s) => s * 1_000_000_000n);

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

/** True when a list filter narrows by more than time and cursor. */
function isFiltered(f: ExecutionFilter): boolean {
  const any = (list: unknown[] | undefined): boolean => list !== undefined && list.length > 0;
  return any(f.flow) || any(f.service) || any(f.status) || any(f.user) || any(f.trigger) || any(f.attributes)
    || f.minDurationMs !== undefined || f.maxDurationMs !== undefined || (f.text ?? '') !== '';
}

export class Reader {
  constructor(
    private readonly pool: ConnectionPool,
    private readonly abandonAfterMs: number,
  ) {}

  private abandonBefore(): bigint {
    return nowNs() - BigInt(this.abandonAfterMs) * 1_000_000n;
  }

  private rows(sql: string, params: Record<string, string | number | bigint> = {}, signal?: AbortSignal): Promise<Row[]> {
    return this.pool.use(async (c: DuckDBConnection) => (await c.runAndReadAll(sql, params)).getRowObjectsJS() as Row[], signal);
  }

  /** Reads stopped because their caller went away (see ConnectionPool.use). */
  get stoppedReads(): number {
    return this.pool.stopped;
  }

  /** Read connections lent out right now. */
  get busyReads(): number {
    return this.pool.busy;
  }

  /**
   * A page of executions, newest first, and whether older ones follow. `signal` (the request
   * closed) stops the search where it is: no further window starts, the running query is
   * interrupted, and the call rejects with the signal's reason.
   */
  async listExecutions(filter: ExecutionFilter, signal?: AbortSignal): Promise<{ executions: ExecutionRecord[]; hasMore: boolean }> {
    const want = filter.limit + 1;
    const abandonBefore = this.abandonBefore();
    const spanSearch = scansSpans(filter);
    // Sorting every execution for one page costs DuckDB a full TOP_N (48 ms at 56k executions
    // here). The page is asked for inside a time window first, widened until it fills: a window
    // that yields a full page holds exactly the page's rows, because every row it leaves out
    // starts earlier than all of them.
    // For the plain list (time range and cursor at most), and for searches of the span rows
    // (text, attributes the index cannot answer), which each window limits to the spans of its
    // executions (10M-span benchmark database, text found in one flow's runs: 27 s for all
    // history). Other filters leave few rows to sort anyway, and a window they do not fill is
    // one more scan.
    // Windows are cut by start time: a page in another order (longest first) is one query.
    const windowed = (!isFiltered(filter) || spanSearch) && filter.sort !== 'duration';
    let newest = windowed ? (filter.cursor?.startNs ?? (await this.newestStartNs(signal))) : null;
    if (newest !== null && filter.toNs !== undefined && filter.toNs < newest) newest = filter.toNs;
    for (const widthNs of newest === null ? [] : PAGE_WINDOWS_NS) {
      const floor = newest! - widthNs;
      if (filter.fromNs !== undefined && filter.fromNs >= floor) break; // the filter's own range is narrower
      const { rows, complete } = await this.listRows({ ...filter, fromNs: floor, limit: want }, abandonBefore, spanSearch, signal);
      if (rows.length >= want || complete) return pageOf(rows, filter.limit);
    }
    const { rows } = await this.listRows({ ...filter, limit: want }, abandonBefore, spanSearch, signal);
    return pageOf(rows, filter.limit);
  }

  /**
   * The rows of one list query. A span search within a time range is bounded to the spans of
   * the executions in it; `complete` says that the range starts at or before the oldest
   * execution, so that no wider range can add a row.
   */
  private async listRows(
    filter: ExecutionFilter, abandonBefore: bigint, spanSearch: boolean, signal?: AbortSignal,
  ): Promise<{ rows: Row[]; complete: boolean }> {
    let spanFromNs: bigint | undefined;
    let complete = false;
    if (spanSearch && filter.fromNs !== undefined) {
      const [floor] = await this.rows(SPAN_FLOOR_SQL, { from_ns: filter.fromNs }, signal);
      if (floor.oldest === null) return { rows: [], complete: true }; // no executions at all
      if (floor.span_from === null) return { rows: [], complete: false }; // none in the range
      spanFromNs = BigInt(floor.span_from as bigint);
      complete = BigInt(floor.oldest as bigint) >= filter.fromNs;
    }
    const { sql, params } = buildExecutionListQuery({ ...filter, spanFromNs }, abandonBefore);
    return { rows: await this.rows(sql, params, signal), complete };
  }

  private async newestStartNs(signal?: AbortSignal): Promise<bigint | null> {
    const rows = await this.rows(`SELECT max(start_ns) AS newest FROM execution_data`, {}, signal);
    const newest = rows[0]?.newest;
    return newest === null || newest === undefined ? null : BigInt(newest as bigint);
  }

  /** One execution, or undefined. */
  async getExecution(traceId: string): Promise<ExecutionRecord | undefined> {
    const rows = await this.rows(
      `SELECT *, ${STATUS_EXPR} AS status FROM execution_data WHERE trace_id = $trace_id`,
      { trace_id: traceId, abandon_before: this.abandonBefore() },
    );
    return rows.length === 0 ? undefined : executionRecordFromRow(rows[0]);
  }

  /** An execution with its spans (finished and running) and console lines, or undefined. */
  async getTrace(traceId: string): Promise<TraceRecord | undefined> {
    const execution = await this.getExecution(traceId);
    return execution && this.traceOf(execution);
  }

  /** The spans (finished and running) and console lines of an execution already read. */
  async traceOf(execution: ExecutionRecord): Promise<TraceRecord> {
    const traceId = execution.traceId;
    const range = { trace_id: traceId, lo: execution.minStartNs, hi: execution.maxStartNs };
    const [finished, running, logs] = await Promise.all([
      this.rows(
        `SELECT * FROM span_data WHERE start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id ORDER BY start_ns, span_id`,
        range,
      ),
      this.rows(`SELECT * FROM span_starts WHERE trace_id = $trace_id ORDER BY start_ns, span_id`, { trace_id: traceId }),
      this.logsOf(traceId, execution),
    ]);
    const spans = [...finished, ...running].map(spanRecordFromRow);
    spans.sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0));
    return { execution, spans, logs };
  }

  /** Like getTrace, with the spans rendered as JSON text by DuckDB: fast for huge traces. */
  async getTraceJson(traceId: string): Promise<TraceJson | undefined> {
    const execution = await this.getExecution(traceId);
    return execution && this.traceJsonOf(execution);
  }

  /** Like traceOf, with the spans rendered as JSON text by DuckDB. */
  async traceJsonOf(execution: ExecutionRecord): Promise<TraceJson> {
    const traceId = execution.traceId;
    const [rows, logs] = await Promise.all([
      this.rows(TRACE_SPANS_JSON(), { trace_id: traceId, lo: execution.minStartNs, hi: execution.maxStartNs }),
      this.logsOf(traceId, execution),
    ]);
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
  async getTraceOutline(traceId: string): Promise<TraceOutlineJson | undefined> {
    const execution = await this.getExecution(traceId);
    if (!execution) return undefined;
    const [row] = await this.rows(TRACE_OUTLINE_SQL, {
      trace_id: traceId,
      lo: execution.minStartNs,
      hi: execution.maxStartNs,
      root_span_id: execution.rootSpanId ?? '',
    });
    return {
      execution,
      baseNs: BigInt((row?.base_ns as bigint | null) ?? 0n),
      spanCount: Number(row?.span_count ?? 0),
      orphanCount: Number(row?.orphan_count ?? 0),
      spansJson: String(row?.spans_json ?? ''),
    };
  }

  /** One span of an execution as Span JSON with its console lines, or undefined when the trace has no such span. */
  async getSpanJson(execution: ExecutionRecord, spanId: string): Promise<SpanJson | undefined> {
    const [spans, logs] = await Promise.all([
      this.rows(ONE_SPAN_JSON(), { trace_id: execution.traceId, span_id: spanId, lo: execution.minStartNs, hi: execution.maxStartNs }),
      this.rows(SPAN_LOGS, { trace_id: execution.traceId, span_id: spanId, lo: logsFrom(execution), hi: logsUntil(execution) }),
    ]);
    if (spans.length === 0) return undefined;
    return { spanJson: String(spans[0].json), logs: logs.map(logRecordFromRow) };
  }

  /** Ids of the spans of an execution already read that match (span-match-sql.ts), in id order. */
  async spanIdsMatching(execution: ExecutionRecord, match: SpanMatch, signal?: AbortSignal): Promise<string[]> {
    const { sql, params } = buildSpanMatchQuery(match);
    const bound = { ...params, trace_id: execution.traceId, lo: execution.minStartNs, hi: execution.maxStartNs } as Record<string, string | number | bigint>;
    const rows = await this.rows(sql, bound, signal);
    return rows.map((r) => String(r.span_id));
  }

  /** The log records of an execution already read (those a trace view shows with it), in time order. */
  logsOfExecution(execution: ExecutionRecord): Promise<LogRecord[]> {
    return this.logsOf(execution.traceId, execution);
  }

  private async logsOf(traceId: string, execution: ExecutionRecord): Promise<LogRecord[]> {
    const rows = await this.rows(`SELECT * FROM log_data WHERE time_ns BETWEEN $lo AND $hi AND trace_id = $trace_id ORDER BY time_ns`, {
      trace_id: traceId,
      lo: logsFrom(execution),
      hi: logsUntil(execution),
    });
    return rows.map(logRecordFromRow);
  }

  /** Trace ids of a flow's executions (for deletion). */
  async traceIdsOfFlow(flowName: string): Promise<string[]> {
    const rows = await this.rows(`SELECT trace_id FROM execution_data WHERE ${flowIn('$flow')}`, {
      flow: flowName,
    });
    return rows.map((r) => String(r.trace_id));
  }

  /** Statistics per flow in a time range. */
  async flowList(range: TimeRange): Promise<StatsRow[]> {
    const rows = await this.rows(FLOW_LIST_SQL, this.rangeParams(range));
    return rows.map((r) => statsRow(r, r.flow));
  }

  /** One flow's statistics, or undefined when it has no executions in the range. */
  async flowSummary(flow: string, range: TimeRange): Promise<StatsRow | undefined> {
    const rows = await this.rows(FLOW_SUMMARY_SQL, { ...this.rangeParams(range), flow });
    return rows.length === 0 ? undefined : statsRow(rows[0], rows[0].flow);
  }

  /** One flow's statistics per time bucket. */
  async flowSeries(flow: string, range: TimeRange, bucketNs: bigint): Promise<StatsRow[]> {
    const rows = await this.rows(FLOW_SERIES_SQL, { ...this.rangeParams(range), flow, bucket_ns: bucketNs });
    return rows.map((r) => statsRow(r, r.bucket_ns as bigint));
  }

  /** Per-node statistics of one flow. */
  async nodeStats(flow: string, range: TimeRange): Promise<NodeStatsRow[]> {
    const params = { flow, from_ns: range.fromNs, to_ns: range.toNs };
    const [span] = await this.rows(FLOW_SPAN_RANGE_SQL, params);
    const rows = await this.rows(NODE_STATS_SQL, { ...params, lo: span.lo as bigint, hi: span.hi as bigint });
    return rows.map((r) => ({
      nodeId: String(r.node_id),
      nodeName: r.node_name == null ? null : String(r.node_name),
      nodeType: r.node_type == null ? null : String(r.node_type),
      count: Number(r.count),
      errorCount: Number(r.error_count),
      avgMs: r.avg_ms == null ? null : Number(r.avg_ms),
      quantiles: quantiles(r.quantiles),
    }));
  }

  /** Services seen, with span counts and the last time each sent a span. */
  async services(): Promise<Array<{ serviceName: string; spanCount: number; lastSeenNs: bigint | null }>> {
    const rows = await this.rows(
      `SELECT service_name, count(*) AS span_count, max(end_ns) AS last_ns FROM span_data GROUP BY service_name
       UNION ALL
       SELECT service_name, 0, max(start_ns) FROM span_starts GROUP BY service_name`,
    );
    const merged = new Map<string, { serviceName: string; spanCount: number; lastSeenNs: bigint | null }>();
    for (const r of rows) {
      const name = String(r.service_name);
      const last = r.last_ns == null ? null : BigInt(r.last_ns as bigint);
      const prev = merged.get(name) ?? { serviceName: name, spanCount: 0, lastSeenNs: null };
      prev.spanCount += Number(r.span_count);
      if (last !== null && (prev.lastSeenNs === null || last > prev.lastSeenNs)) prev.lastSeenNs = last;
      merged.set(name, prev);
    }
    return [...merged.values()].sort((a, b) => a.serviceName.localeCompare(b.serviceName));
  }

  /** Attribute keys of the most recent spans, with counts and frequent values. */
  async attributeKeys(sampleSize = 20_000): Promise<Array<{ key: string; count: number; topValues: string[] }>> {
    const rows = await this.rows(
      `WITH recent AS (
         SELECT ${SMALL_SPAN_ATTRIBUTES} AS attributes FROM span_data WHERE rowid > (SELECT coalesce(max(rowid), 0) FROM span_data) - $n
       ), pairs AS (
         SELECT k AS key, json_extract_string(attributes, '$."' || replace(k, '"', '\\"') || '"') AS value
         FROM (SELECT attributes, unnest(json_keys(attributes)) AS k FROM recent)
       ), counted AS (
         SELECT key, value, count(*) AS n FROM pairs GROUP BY key, value
       )
       SELECT key, sum(n) AS count,
              list(value ORDER BY n DESC) FILTER (WHERE length(value) <= 80) AS values
       FROM counted GROUP BY key ORDER BY count DESC, key LIMIT 500`,
      { n: sampleSize },
    );
    return rows.map((r) => ({
      key: String(r.key),
      count: Number(r.count),
      topValues: Array.isArray(r.values) ? (r.values as unknown[]).slice(0, 10).map(String) : [],
    }));
  }

  private rangeParams(range: TimeRange): Record<string, bigint> {
    return { from_ns: range.fromNs, to_ns: range.toNs, abandon_before: this.abandonBefore() };
  }
}

/** Console lines are read from a minute before the first span start (clock skew between processes). */
/** Console lines are looked for from a minute before the execution's first span (clock skew). */
function logsFrom(execution: ExecutionRecord): bigint {
  return execution.minStartNs - 60_000_000_000n;
}

const LOGS_AFTER_NS = 3_600_000_000_000n;
const NO_END = 2n ** 63n - 1n;

/**
 * …and until an hour after the end of a finished one (or its last span's start, when later),
 * in the services' clocks like the lines' own stamps; the hour leaves room for work that logs
 * after the root ended. log_data's time_ns zone maps then skip the rest of history (10M-span
 * benchmark database: 11.7 → 5.2 ms median for a trace's lines). A running execution has no end yet.
 */
function logsUntil(execution: ExecutionRecord): bigint {
  if (!execution.rootFinished) return NO_END;
  const last = execution.endNs !== null && execution.endNs > execution.maxStartNs ? execution.endNs : execution.maxStartNs;
  return last + LOGS_AFTER_NS;
}

function quantiles(value: unknown): [number, number, number] | null {
  if (!Array.isArray(value) || value.length !== 3 || value.some((v) => v === null)) return null;
  return [Number(value[0]), Number(value[1]), Number(value[2])];
}

function statsRow(r: Row, key: unknown): StatsRow {
  return {
    key: key as string | bigint,
    count: Number(r.count),
    successCount: Number(r.success_count),
    errorCount: Number(r.error_count),
    finishedCount: Number(r.finished_count),
    avgMs: r.avg_ms == null ? null : Number(r.avg_ms),
    quantiles: quantiles(r.quantiles),
    firstStartNs: r.first_start_ns == null ? null : BigInt(r.first_start_ns as bigint),
    lastStartNs: r.last_start_ns == null ? null : BigInt(r.last_start_ns as bigint),
  };
}
