/**
 * The execution list and search on ClickHouse (the contract's ExecutionReads). Not-found is
 * `undefined`. The plain list (and span searches) asks for its page inside a time window before
 * the newest start first, widened until it fills: the rollup merges only the traces of the
 * window, and a window that yields a full page holds exactly the page's rows, because every
 * execution it leaves out starts earlier than all of them. A page is picked without the span and
 * error counts (uniqExact sets: most of the rollup's bytes), which are then read for its rows only.
 */
import type { ExecutionFilter, ExecutionPage, ExecutionReads, ExecutionRecord } from '../contract.js';
import type { ClickHouseConnection, Row } from './connection.js';
import { buildExecutionListQuery } from './execution-list-sql.js';
import { abandonAfterNs, executionRowsSql, FLOW_SQL, type RowsShape } from './execution-rows-sql.js';
import { reroot } from './reroot.js';
import { executionRecordOf } from './span-rows.js';
import type { Tables } from './tables.js';

/** Windows before the newest start (or the cursor) tried for a page: 1 minute, 1 hour, 1 day. */
const PAGE_WINDOWS_NS = [60n, 3_600n, 86_400n].map((s) => s * 1_000_000_000n);


/** True when a list filter narrows by more than time, cursor, text and attributes (few rows to merge anyway). */
function narrowsByRollup(f: ExecutionFilter): boolean {
  const any = (list: unknown[] | undefined): boolean => list !== undefined && list.length > 0;
  return any(f.flow) || any(f.service) || any(f.status) || any(f.user) || any(f.trigger)
    || f.minDurationMs !== undefined || f.maxDurationMs !== undefined;
}

export class ClickHouseExecutions implements ExecutionReads {
  constructor(
    private readonly conn: ClickHouseConnection,
    private readonly t: Tables,
    private readonly abandonAfterMs: number,
  ) {}

  async list(filter: ExecutionFilter, signal?: AbortSignal): Promise<ExecutionPage> {
    const want = filter.limit + 1;
    const windowed = !narrowsByRollup(filter) && filter.sort !== 'duration';
    let newest = windowed ? (filter.cursor?.startNs ?? (await this.newestStartNs(signal))) : null;
    if (newest !== null && filter.toNs !== undefined && filter.toNs < newest) newest = filter.toNs;
    for (const widthNs of newest === null ? [] : PAGE_WINDOWS_NS) {
      const floor = newest! - widthNs;
      if (filter.fromNs !== undefined && filter.fromNs >= floor) break; // the filter's own range is narrower
      const rows = await this.rows({ ...filter, fromNs: floor, limit: want }, signal);
      if (rows.length >= want) return this.pageOf(rows, filter.limit);
      if (await this.nothingBefore(floor, signal)) return this.pageOf(rows, filter.limit);
    }
    return this.pageOf(await this.rows({ ...filter, limit: want }, signal), filter.limit);
  }

  private async pageOf(rows: Row[], limit: number): Promise<ExecutionPage> {
    return { executions: await this.rooted(rows.slice(0, limit).map(executionRecordOf)), hasMore: rows.length > limit };
  }

  /** The records with the contract's root where the rollup's may be wrong (reroot.ts). */
  private rooted(records: ExecutionRecord[]): Promise<ExecutionRecord[]> {
    return reroot(this.conn, this.t, records, this.abandonAfterMs);
  }

  /** A page's rows: picked without the counts, then given the counts of the page's traces only. */
  private async rows(filter: ExecutionFilter, signal?: AbortSignal): Promise<Row[]> {
    const { sql, params } = buildExecutionListQuery(this.t, filter, abandonAfterNs(this.abandonAfterMs));
    const rows = await this.conn.query(sql, params, {}, signal);
    if (rows.length === 0) return rows;
    const counts = new Map((await this.conn.query(
      `SELECT trace_id, toUInt32(uniqExactMerge(span_ids)) AS n, toUInt32(uniqExactIfMerge(error_span_ids)) AS e
       FROM ${this.t.rollup} WHERE trace_id IN {ids:Array(String)} GROUP BY trace_id`,
      { ids: rows.map((r) => String(r.trace_id)) }, {}, signal,
    )).map((r) => [String(r.trace_id), r]));
    return rows.map((r) => ({ ...r, span_count: counts.get(String(r.trace_id))?.n ?? 0, error_count: counts.get(String(r.trace_id))?.e ?? 0 }));
  }

  /** The newest span start of all (an upper bound of the newest execution start), or null when empty. */
  private async newestStartNs(signal?: AbortSignal): Promise<bigint | null> {
    const [row] = await this.conn.query(`SELECT max(max_start_ns) AS newest, count() AS n FROM ${this.t.rollup}`, {}, {}, signal);
    return row === undefined || Number(row.n) === 0 ? null : BigInt(row.newest as string);
  }

  /** Whether no span of any trace starts before `floor`: no wider window can add a row. */
  private async nothingBefore(floor: bigint, signal?: AbortSignal): Promise<boolean> {
    const [row] = await this.conn.query(
      `SELECT count() AS n FROM ${this.t.rollup} WHERE min_start_ns < {floor:Int64}`, { floor: floor.toString() }, {}, signal,
    );
    return Number(row?.n ?? 0) === 0;
  }

  async get(traceId: string): Promise<ExecutionRecord | undefined> {
    const rows = await this.conn.query(
      executionRowsSql(this.t, 'trace_id = {trace_id:String}'),
      { trace_id: traceId, abandon_after_ns: abandonAfterNs(this.abandonAfterMs) },
    );
    return rows.length === 0 ? undefined : (await this.rooted([executionRecordOf(rows[0])]))[0];
  }

  /** Several executions by trace id (the writer's notices), with their counts unless `shape` leaves them out. */
  async getMany(traceIds: readonly string[], shape: RowsShape = {}): Promise<Map<string, ExecutionRecord>> {
    if (traceIds.length === 0) return new Map();
    const rows = await this.conn.query(
      executionRowsSql(this.t, 'trace_id IN {trace_ids:Array(String)}', shape),
      { trace_ids: [...new Set(traceIds)], abandon_after_ns: abandonAfterNs(this.abandonAfterMs) },
    );
    return new Map((await this.rooted(rows.map(executionRecordOf))).map((e) => [e.traceId, e] as const));
  }

  async traceIdsOfFlow(flowName: string): Promise<string[]> {
    const rows = await this.conn.query(
      `SELECT trace_id FROM (${executionRowsSql(this.t)}) WHERE ${FLOW_SQL} = {flow:String}`,
      { flow: flowName, abandon_after_ns: abandonAfterNs(this.abandonAfterMs) },
    );
    return rows.map((r) => String(r.trace_id));
  }
}
