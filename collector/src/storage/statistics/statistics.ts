/**
 * Flow statistics on DuckDB (the contract's StatisticsReads, plus flowTime for the "why"
 * views): per flow over a range, one flow, one flow per time bucket, per node of a flow, and
 * where a flow's time goes per node (self and critical-path time). The SQL is in stats-sql.ts
 * and flow-time-sql.ts; user text is always a bound value.
 */
import type { FlowTimeRecord, NodeStatsRow, StatisticsReads, StatsRow, TimeRange } from '../contract.js';
import type { ConnectionPool, Row } from '../connection-pool.js';
import { abandonBeforeNs } from '../executions/execution-sql.js';
import { FLOW_RUNS_SQL, FLOW_TIME_SQL } from './flow-time-sql.js';
import { FLOW_LIST_SQL, FLOW_SERIES_SQL, FLOW_SPAN_RANGE_SQL, FLOW_SUMMARY_SQL, NODE_STATS_SQL } from './stats-sql.js';

export class DuckDbStatistics implements StatisticsReads {
  constructor(
    private readonly pool: ConnectionPool,
    private readonly abandonAfterMs: number,
  ) {}

  /** Statistics per flow in a time range. */
  async flows(range: TimeRange): Promise<StatsRow[]> {
    const rows = await this.pool.rows(FLOW_LIST_SQL, this.rangeParams(range));
    return rows.map((r) => statsRow(r, r.flow));
  }

  /** One flow's statistics, or undefined when it has no executions in the range. */
  async flow(flow: string, range: TimeRange): Promise<StatsRow | undefined> {
    const rows = await this.pool.rows(FLOW_SUMMARY_SQL, { ...this.rangeParams(range), flow });
    return rows.length === 0 ? undefined : statsRow(rows[0], rows[0].flow);
  }

  /** One flow's statistics per time bucket. */
  async flowSeries(flow: string, range: TimeRange, bucketNs: bigint): Promise<StatsRow[]> {
    const rows = await this.pool.rows(FLOW_SERIES_SQL, { ...this.rangeParams(range), flow, bucket_ns: bucketNs });
    return rows.map((r) => statsRow(r, r.bucket_ns as bigint));
  }

  /** Per-node statistics of one flow. */
  async nodes(flow: string, range: TimeRange): Promise<NodeStatsRow[]> {
    const params = { flow, from_ns: range.fromNs, to_ns: range.toNs };
    const [span] = await this.pool.rows(FLOW_SPAN_RANGE_SQL, params);
    const rows = await this.pool.rows(NODE_STATS_SQL, { ...params, lo: span.lo as bigint, hi: span.hi as bigint });
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

  /** Per node of a flow's finished runs in the range: count, total, self and critical-path time. */
  async flowTime(flow: string, fromNs: bigint, toNs: bigint): Promise<FlowTimeRecord> {
    const params = { flow, from_ns: fromNs, to_ns: toNs };
    const [span] = await this.pool.rows(FLOW_SPAN_RANGE_SQL, params);
    const rows = await this.pool.rows(FLOW_TIME_SQL, { ...params, lo: span.lo as bigint, hi: span.hi as bigint });
    const [runs] = rows.length > 0 ? rows : await this.pool.rows(FLOW_RUNS_SQL, params);
    return {
      runs: Number(runs?.runs ?? 0),
      runMs: Number(runs?.run_ms ?? 0),
      nodes: rows.map((r) => ({
        nodeId: String(r.node_id),
        nodeName: r.node_name == null ? null : String(r.node_name),
        count: Number(r.count),
        totalMs: Number(r.total_ms),
        selfMs: Number(r.self_ms),
        criticalMs: Number(r.critical_ms),
      })),
    };
  }

  private rangeParams(range: TimeRange): Record<string, bigint> {
    return { from_ns: range.fromNs, to_ns: range.toNs, abandon_before: abandonBeforeNs(this.abandonAfterMs) };
  }
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
