/**
 * The execution list and search on ClickHouse (the contract's ExecutionReads). Not-found is
 * `undefined`. A page is picked first — its trace ids in order, from only what the filters and
 * the order need (execution-list-sql.ts) — and then read whole (merged rollup rows with their
 * counts, decoded in JavaScript: execution-decode.ts). The plain list (and span searches) asks for
 * its page inside a time window before the newest start first, widened until it fills: the rollup
 * merges only the traces of the window, and a window that yields a full page holds exactly the
 * page's rows, because every execution it leaves out starts earlier than all of them. Filters on
 * the root's fields and attribute filters the value index answers need no window.
 */
import type { ExecutionFilter, ExecutionPage, ExecutionReads, ExecutionRecord } from '../contract.js';
import type { ClickHouseConnection } from './connection.js';
import { executionOfMerged } from './execution-decode.js';
import { indexedAttributes, tracesWithAttributes } from './attribute-lookup.js';
import { buildExecutionListQuery } from './execution-list-sql.js';
import { abandonAfterNs, executionRowsSql, FLOW_SQL, mergedRowsSql, type RowsShape } from './execution-rows-sql.js';
import { reroot } from './reroot.js';
import type { Tables } from './tables.js';

/** How long the newest start is reused as the first window's anchor (newestStartNs). */
const NEWEST_REUSE_MS = 1_000;

/** Windows before the newest start (or the cursor) tried for a page: 1 minute, 1 hour, 1 day. */
const PAGE_WINDOWS_NS = [60n, 3_600n, 86_400n].map((s) => s * 1_000_000_000n);


/** True when a list filter narrows by more than time, cursor, text and attributes (few rows to merge anyway). */
function narrowsByRollup(f: ExecutionFilter): boolean {
  const any = (list: unknown[] | undefined): boolean => list !== undefined && list.length > 0;
  return any(f.flow) || any(f.service) || any(f.status) || any(f.user) || any(f.trigger)
    || f.minDurationMs !== undefined || f.maxDurationMs !== undefined;
}

/** True when a list filter has nothing but time, cursor and indexed attributes (newest first). */
function onlyTimeBesides(f: ExecutionFilter): boolean {
  return !narrowsByRollup(f) && f.sort !== 'duration' && (f.text ?? '') === '' && indexedAttributes(f).length === (f.attributes ?? []).length;
}

export class ClickHouseExecutions implements ExecutionReads {
  private readonly abandonNs: bigint;
  private newest: { at: number; value: bigint | null } | undefined;

  constructor(
    private readonly conn: ClickHouseConnection,
    private readonly t: Tables,
    private readonly abandonAfterMs: number,
  ) {
    this.abandonNs = BigInt(abandonAfterNs(abandonAfterMs));
  }

  async list(filter: ExecutionFilter, signal?: AbortSignal): Promise<ExecutionPage> {
    const want = filter.limit + 1;
    const indexed = indexedAttributes(filter);
    const candidates = indexed.length === 0 ? undefined : await tracesWithAttributes(this.conn, this.t, indexed, signal);
    if (candidates !== undefined && candidates.length === 0) return { executions: [], hasMore: false };
    // As many candidates as the page holds, and nothing else to filter on but time: their records are the page.
    if (candidates !== undefined && candidates.length <= want && onlyTimeBesides(filter)) return this.pageOfCandidates(candidates, filter, signal);
    // A few candidate traces need no window; nor do filters on the root's fields, which read every trace anyway.
    const windowed = !narrowsByRollup(filter) && filter.sort !== 'duration' && candidates === undefined;
    let newest = windowed ? (filter.cursor?.startNs ?? (await this.newestStartNs(signal))) : null;
    if (newest !== null && filter.toNs !== undefined && filter.toNs < newest) newest = filter.toNs;
    for (const widthNs of newest === null ? [] : PAGE_WINDOWS_NS) {
      const floor = newest! - widthNs;
      if (filter.fromNs !== undefined && filter.fromNs >= floor) break; // the filter's own range is narrower
      const ids = await this.pageIds({ ...filter, fromNs: floor, limit: want }, candidates, signal);
      if (ids.length >= want) return this.pageOf(ids, filter.limit, signal);
      if (await this.nothingBefore(floor, signal)) return this.pageOf(ids, filter.limit, signal);
    }
    return this.pageOf(await this.pageIds({ ...filter, limit: want }, candidates, signal), filter.limit, signal);
  }

  /** The trace ids of a page, in its order (one past the limit when more follow). */
  private async pageIds(filter: ExecutionFilter, candidates: string[] | undefined, signal?: AbortSignal): Promise<string[]> {
    const { sql, params } = buildExecutionListQuery(this.t, filter, abandonAfterNs(this.abandonAfterMs), candidates);
    return (await this.conn.query(sql, params, {}, signal)).map((r) => String(r.trace_id));
  }

  /** The records of a page's traces, in its order, with their counts. */
  private async pageOf(ids: string[], limit: number, signal?: AbortSignal): Promise<ExecutionPage> {
    const shown = ids.slice(0, limit);
    const records = await this.records(shown, {}, signal);
    return { executions: shown.map((id) => records.get(id)).filter((e): e is ExecutionRecord => e !== undefined), hasMore: ids.length > limit };
  }

  /** The page of a few candidate traces: their records, within the filter's range and after its cursor, newest first. */
  private async pageOfCandidates(ids: string[], filter: ExecutionFilter, signal?: AbortSignal): Promise<ExecutionPage> {
    const c = filter.cursor;
    const kept = [...(await this.records(ids, {}, signal)).values()]
      .filter((e) => (filter.fromNs === undefined || e.startNs >= filter.fromNs) && (filter.toNs === undefined || e.startNs <= filter.toNs))
      .filter((e) => c === undefined || e.startNs < c.startNs || (e.startNs === c.startNs && e.traceId < c.traceId))
      .sort((a, b) => (a.startNs !== b.startNs ? (a.startNs > b.startNs ? -1 : 1) : a.traceId > b.traceId ? -1 : a.traceId < b.traceId ? 1 : 0));
    return { executions: kept.slice(0, filter.limit), hasMore: kept.length > filter.limit };
  }

  /**
   * The newest span start of all (an upper bound of the newest execution start), or null when
   * empty. It only anchors the first window, which has no upper bound: an anchor a second old
   * widens the window by what arrived since and never changes the page, so it is reused that long.
   */
  private async newestStartNs(signal?: AbortSignal): Promise<bigint | null> {
    if (this.newest !== undefined && this.newest.value !== null && Date.now() - this.newest.at < NEWEST_REUSE_MS) return this.newest.value;
    const [row] = await this.conn.query(`SELECT max(max_start_ns) AS newest, count() AS n FROM ${this.t.rollup}`, {}, {}, signal);
    const value = row === undefined || Number(row.n) === 0 ? null : BigInt(row.newest as string);
    this.newest = { at: Date.now(), value };
    return value;
  }

  /** Whether no span of any trace starts before `floor`: no wider window can add a row. */
  private async nothingBefore(floor: bigint, signal?: AbortSignal): Promise<boolean> {
    const [row] = await this.conn.query(
      `SELECT count() AS n FROM ${this.t.rollup} WHERE min_start_ns < {floor:Int64}`, { floor: floor.toString() }, {}, signal,
    );
    return Number(row?.n ?? 0) === 0;
  }

  async get(traceId: string): Promise<ExecutionRecord | undefined> {
    return (await this.records([traceId])).get(traceId);
  }

  /** Several executions by trace id (the writer's notices), with their counts unless `shape` leaves them out. */
  async getMany(traceIds: readonly string[], shape: RowsShape = {}): Promise<Map<string, ExecutionRecord>> {
    return this.records([...new Set(traceIds)], shape);
  }

  /** The records of these traces (those that have one), with the contract's root (reroot.ts). */
  private async records(ids: readonly string[], shape: RowsShape = {}, signal?: AbortSignal): Promise<Map<string, ExecutionRecord>> {
    if (ids.length === 0) return new Map();
    const rows = await this.conn.query(
      mergedRowsSql(this.t, ids.length === 1 ? 'trace_id = {id:String}' : 'trace_id IN {ids:Array(String)}', shape),
      ids.length === 1 ? { id: ids[0] } : { ids }, {}, signal,
    );
    const records = await reroot(this.conn, this.t, rows.map((r) => executionOfMerged(r, this.abandonNs)), this.abandonAfterMs);
    return new Map(records.map((e) => [e.traceId, e] as const));
  }

  async traceIdsOfFlow(flowName: string): Promise<string[]> {
    const rows = await this.conn.query(
      `SELECT trace_id FROM (${executionRowsSql(this.t, '', { counts: false }, ['flow_name', 'service_name', 'root_name'])}) WHERE ${FLOW_SQL} = {flow:String}`,
      { flow: flowName },
    );
    return rows.map((r) => String(r.trace_id));
  }
}
