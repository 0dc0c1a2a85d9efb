/**
 * The execution list and search on DuckDB (the contract's ExecutionReads): a page of
 * executions for a filter, one execution, the trace ids of a flow. Not-found is `undefined`.
 * The SQL is built by execution-list-sql.ts (golden tests); this module decides which time
 * windows to ask it for, and how far back a text search must read spans at all (the executions
 * found without reading one — by their own row or their error texts — bound it: hitsFloor).
 * A text search in errors only (ExecutionFilter.textScope) reads no span: one query, like the
 * other filters on the execution row.
 * Invariant: a page holds exactly the matching executions of its range, newest first; only a
 * `partial` filter lets a page end before `limit` rows with hasMore.
 */
import type { ExecutionPage, ExecutionReads } from '../contract.js';
import type { ConnectionPool, Row } from '../connection-pool.js';
import { executionRecordFromRow, type ExecutionRecord } from '../records.js';
import { buildExecutionListQuery, scansSpans, SPAN_RANGE_SQL, type ExecutionFilter } from './execution-list-sql.js';
import { abandonBeforeNs, flowIn, STATUS_EXPR } from './execution-sql.js';

/** Time windows (before the newest start, or the cursor) tried for a page: 1 minute, 1 hour, 1 day. */
const PAGE_WINDOWS_NS = [60n, 3_600n, 86_400n].map((s) => s * 1_000_000_000n);

/**
 * With a range the text hits bound (hitsFloor), a window is tried only when the range is at least
 * this many times wider: the window is then a small extra cost when it does not fill the page.
 */
const HITS_WINDOW_RATIO = 8n;

const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

/** The smaller of two optional bounds. */
function minOf(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  return b === undefined || a < b ? a : b;
}

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
    // Executions found by text without reading a span (their own row, their error texts) bound
    // the span search: it needs to reach back only as far as they do (see hitsFloor).
    const hits = windowed && spanSearch ? await this.hitsFloor(filter, want, abandonBefore, signal) : undefined;
    let newest = windowed ? (filter.cursor?.startNs ?? (await this.newestStartNs(signal))) : null;
    if (newest !== null && filter.toNs !== undefined && filter.toNs < newest) newest = filter.toNs;
    for (const widthNs of newest === null ? [] : PAGE_WINDOWS_NS) {
      const floor = newest! - widthNs;
      if (filter.fromNs !== undefined && filter.fromNs >= floor) break; // the filter's own range is narrower
      // A window not much narrower than the hits' range costs about as much as that range
      // and is seldom filled by the span search alone (error texts are rare): go to the range.
      if (hits !== undefined && newest! - hits < widthNs * HITS_WINDOW_RATIO) break;
      const { rows, complete } = await this.listRows({ ...filter, fromNs: floor, limit: want }, abandonBefore, spanSearch, signal);
      if (rows.length >= want || complete) return pageOf(rows, filter.limit);
    }
    if (hits !== undefined) {
      // Every match from the floor on: a full page when the hits alone fill one; else (a partial
      // page was allowed) all the matches there are down to the oldest hit, and more may follow.
      const { rows, complete } = await this.listRows({ ...filter, fromNs: hits, limit: want }, abandonBefore, spanSearch, signal);
      if (rows.length >= want || complete) return pageOf(rows, filter.limit);
      if (filter.partial && rows.length > 0) return { executions: rows.map(executionRecordFromRow), hasMore: true };
    }
    const { rows } = await this.listRows({ ...filter, limit: want }, abandonBefore, spanSearch, signal);
    return pageOf(rows, filter.limit);
  }

  /**
   * Where a text search's page may stop looking (a start time), from the executions that hold the
   * text in their own row or their error texts — found without reading a span row, in a few ms
   * (buildExecutionListQuery's textWithoutSpans). They are matches of the full search too, so when
   * `want` of them start at or after the floor, the newest `want` matches all do: the span search,
   * the costly part (every payload), need not look at anything older. With `filter.partial` any
   * hit sets the floor: the page then holds every match down to the oldest hit (a run found by its
   * error at once) and the next page goes on from there. Undefined when there is no such floor
   * (too few hits, or attribute filters the cheap query would have to scan spans for).
   */
  private async hitsFloor(filter: ExecutionFilter, want: number, abandonBefore: bigint, signal?: AbortSignal): Promise<bigint | undefined> {
    if ((filter.text ?? '') === '' || (filter.attributes ?? []).length > 0) return undefined;
    const { sql, params } = buildExecutionListQuery({ ...filter, limit: want }, abandonBefore, { textWithoutSpans: true });
    const hits = await this.pool.rows(sql, params, signal);
    if (hits.length < want && !(filter.partial && hits.length > 0)) return undefined;
    return BigInt(hits[hits.length - 1].start_ns as bigint);
  }

  /**
   * The rows of one list query. A span search within a time range — from fromNs, and up to the
   * cursor or toNs — is bounded to the spans of the executions in it; `complete` says that the
   * range starts at or before the oldest execution, so that no wider range can add a row.
   */
  private async listRows(
    filter: ExecutionFilter, abandonBefore: bigint, spanSearch: boolean, signal?: AbortSignal,
  ): Promise<{ rows: Row[]; complete: boolean }> {
    let bounds: Pick<ExecutionFilter, 'spanFromNs' | 'spanToNs'> = {};
    let complete = false;
    const upTo = minOf(filter.cursor?.startNs, filter.toNs);
    if (spanSearch && (filter.fromNs !== undefined || upTo !== undefined)) {
      const [range] = await this.pool.rows(SPAN_RANGE_SQL, { from_ns: filter.fromNs ?? BIGINT_MIN, to_ns: upTo ?? BIGINT_MAX }, signal);
      if (range.oldest === null) return { rows: [], complete: true }; // no executions at all
      complete = filter.fromNs !== undefined && BigInt(range.oldest as bigint) >= filter.fromNs;
      if (range.span_from === null) return { rows: [], complete }; // none in the range
      // Without fromNs (all history below the cursor) only the upper bound: the lines of a span
      // search are looked for from its lower bound on (LOG_SKEW_NS), and all history has none.
      bounds = {
        ...(filter.fromNs !== undefined ? { spanFromNs: BigInt(range.span_from as bigint) } : {}),
        spanToNs: BigInt(range.span_to as bigint),
      };
    }
    const { sql, params } = buildExecutionListQuery({ ...filter, ...bounds }, abandonBefore);
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
