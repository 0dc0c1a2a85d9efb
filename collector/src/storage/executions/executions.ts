/**
 * The execution list and search on DuckDB (the contract's ExecutionReads): a page of
 * executions for a filter, one execution, the trace ids of a flow. Not-found is `undefined`.
 * The SQL is built by execution-list-sql.ts (golden tests); this module decides which time
 * windows to ask it for.
 */
import type { ExecutionPage, ExecutionReads } from '../contract.js';
import type { ConnectionPool, Row } from '../connection-pool.js';
import { executionRecordFromRow, type ExecutionRecord } from '../records.js';
import { buildExecutionListQuery, scansSpans, SPAN_FLOOR_SQL, type ExecutionFilter } from './execution-list-sql.js';
import { abandonBeforeNs, flowIn, STATUS_EXPR } from './execution-sql.js';

/** Time windows (before the newest start, or the cursor) tried for a page: 1 minute, 1 hour, 1 day. */
const PAGE_WINDOWS_NS = [60n, 3_600n, 86_400n].map((s) => s * 1_000_000_000n);

/** The first `limit` rows as a page, and whether more followed. */
function pageOf(rows: Row[], limit: number): ExecutionPage {
  return { executions: rows.slice(0, limit).map(executionRecordFromRow), hasMore: rows.length > limit };
}

/** True when a list filter narrows by more than time and cursor. */
function isFiltered(f: ExecutionFilter): boolean {
  const any = (list: unknown[] | undefined): boolean => list !== undefined && list.length > 0;
  return any(f.flow) || any(f.service) || any(f.status) || any(f.user) || any(f.trigger) || any(f.attributes)
    || f.minDurationMs !== undefined || f.maxDurationMs !== undefined || (f.text ?? '') !== '';
}

export class DuckDbExecutions implements ExecutionReads {
  constructor(
    private readonly pool: ConnectionPool,
    private readonly abandonAfterMs: number,
  ) {}

  /**
   * A page of executions, newest first, and whether older ones follow. `signal` (the request
   * closed) stops the search where it is: no further window starts, the running query is
   * interrupted, and the call rejects with the signal's reason.
   */
  async list(filter: ExecutionFilter, signal?: AbortSignal): Promise<ExecutionPage> {
    const want = filter.limit + 1;
    const abandonBefore = abandonBeforeNs(this.abandonAfterMs);
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
      const [floor] = await this.pool.rows(SPAN_FLOOR_SQL, { from_ns: filter.fromNs }, signal);
      if (floor.oldest === null) return { rows: [], complete: true }; // no executions at all
      if (floor.span_from === null) return { rows: [], complete: false }; // none in the range
      spanFromNs = BigInt(floor.span_from as bigint);
      complete = BigInt(floor.oldest as bigint) >= filter.fromNs;
    }
    const { sql, params } = buildExecutionListQuery({ ...filter, spanFromNs }, abandonBefore);
    return { rows: await this.pool.rows(sql, params, signal), complete };
  }

  private async newestStartNs(signal?: AbortSignal): Promise<bigint | null> {
    const rows = await this.pool.rows(`SELECT max(start_ns) AS newest FROM execution_data`, {}, signal);
    const newest = rows[0]?.newest;
    return newest === null || newest === undefined ? null : BigInt(newest as bigint);
  }

  /** One execution, or undefined. */
  async get(traceId: string): Promise<ExecutionRecord | undefined> {
    const rows = await this.pool.rows(
      `SELECT *, ${STATUS_EXPR} AS status FROM execution_data WHERE trace_id = $trace_id`,
      { trace_id: traceId, abandon_before: abandonBeforeNs(this.abandonAfterMs) },
    );
    return rows.length === 0 ? undefined : executionRecordFromRow(rows[0]);
  }

  /** Trace ids of a flow's executions (for deletion). */
  async traceIdsOfFlow(flowName: string): Promise<string[]> {
    const rows = await this.pool.rows(`SELECT trace_id FROM execution_data WHERE ${flowIn('$flow')}`, { flow: flowName });
    return rows.map((r) => String(r.trace_id));
  }
}
