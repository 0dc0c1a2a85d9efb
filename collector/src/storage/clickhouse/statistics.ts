/**
 * Flow statistics on ClickHouse (the contract's StatisticsReads plus flowTime): per flow over a
 * range, one flow, one flow per time bucket, per node of a flow. Executions come from the merged
 * rollup (execution-rows-sql.ts), so a flow and a status mean what the list says; percentiles
 * are continuous (linear interpolation, quantilesExactInclusive, as DuckDB's quantile_cont).
 * Node statistics read the flow's finished spans through its trace ids (span_data is ordered by
 * trace id). User text is always a query parameter.
 */
import type { FlowTimeRecord, NodeStatsRow, StatisticsReads, StatsRow, TimeRange } from '../contract.js';
import type { ClickHouseConnection, Params, Row } from './connection.js';
import { abandonAfterNs, executionRowsSql, FLOW_SQL, startRangeFilter } from './execution-rows-sql.js';
import { flowTimeOf } from './flow-time.js';
import { ERROR_FLOW_STATUSES } from './schema-spans.js';
import type { Tables } from './tables.js';

const ERRORS = ERROR_FLOW_STATUSES.map((s) => `'${s}'`).join(', ');

const AGGREGATES = `
  count() AS count,
  countIf(status = 'success') AS success_count,
  countIf(status IN (${ERRORS})) AS error_count,
  countIf(root_finished) AS finished_count,
  avgIf(duration_ms, root_finished) AS avg_ms,
  quantilesExactInclusiveIf(0.5, 0.95, 0.99)(duration_ms, root_finished) AS quantiles,
  min(start_ns) AS first_start_ns,
  max(start_ns) AS last_start_ns`;

export class ClickHouseStatistics implements StatisticsReads {
  constructor(private readonly conn: ClickHouseConnection, private readonly t: Tables, private readonly abandonAfterMs: number) {}

  /** The executions of a range (of one flow, when given) with flow, duration and status. */
  private executionsSql(withFlow: boolean): string {
    return `SELECT trace_id, root_span_id, ${FLOW_SQL} AS flow, start_ns, end_ns, (end_ns - start_ns) / 1e6 AS duration_ms, status, root_finished
      FROM (${executionRowsSql(this.t, startRangeFilter(this.t, '{from_ns:Int64}', '{to_ns:Int64}'))})
      WHERE start_ns BETWEEN {from_ns:Int64} AND {to_ns:Int64}${withFlow ? ` AND ${FLOW_SQL} = {flow:String}` : ''}`;
  }

  private params(range: TimeRange, extra: Params = {}): Params {
    return { from_ns: range.fromNs.toString(), to_ns: range.toNs.toString(), abandon_after_ns: abandonAfterNs(this.abandonAfterMs), ...extra };
  }

  async flows(range: TimeRange): Promise<StatsRow[]> {
    const rows = await this.conn.query(
      `SELECT flow, ${AGGREGATES} FROM (${this.executionsSql(false)}) GROUP BY flow ORDER BY last_start_ns DESC, flow`,
      this.params(range),
    );
    return rows.map((r) => statsRow(r, String(r.flow)));
  }

  async flow(flow: string, range: TimeRange): Promise<StatsRow | undefined> {
    const rows = await this.conn.query(`SELECT flow, ${AGGREGATES} FROM (${this.executionsSql(true)}) GROUP BY flow`, this.params(range, { flow }));
    return rows.length === 0 ? undefined : statsRow(rows[0], String(rows[0].flow));
  }

  async flowSeries(flow: string, range: TimeRange, bucketNs: bigint): Promise<StatsRow[]> {
    const rows = await this.conn.query(
      `SELECT intDiv(start_ns, {bucket_ns:Int64}) * {bucket_ns:Int64} AS bucket_ns, ${AGGREGATES}
       FROM (${this.executionsSql(true)}) GROUP BY bucket_ns ORDER BY bucket_ns`,
      this.params(range, { flow, bucket_ns: bucketNs.toString() }),
    );
    return rows.map((r) => statsRow(r, BigInt(r.bucket_ns as string)));
  }

  async nodes(flow: string, range: TimeRange): Promise<NodeStatsRow[]> {
    const rows = await this.conn.query(
      `SELECT node_id,
         argMax(node_name, start_ns) AS node_name,
         argMax(node_type, start_ns) AS node_type,
         count() AS count,
         countIf(status_code = 2 OR flow_status IN (${ERRORS})) AS error_count,
         avg((end_ns - start_ns) / 1e6) AS avg_ms,
         quantilesExactInclusive(0.5, 0.95, 0.99)((end_ns - start_ns) / 1e6) AS quantiles,
         min(node_index) AS first_index
       FROM ${this.t.spans} FINAL
       WHERE trace_id IN (SELECT trace_id FROM (${this.executionsSql(true)})) AND node_id IS NOT NULL AND end_ns IS NOT NULL
       GROUP BY node_id
       ORDER BY first_index ASC NULLS LAST, node_id`,
      this.params(range, { flow }),
    );
    return rows.map((r) => ({
      nodeId: String(r.node_id),
      nodeName: r.node_name == null ? null : String(r.node_name),
      nodeType: r.node_type == null ? null : String(r.node_type),
      count: Number(r.count),
      errorCount: Number(r.error_count),
      avgMs: r.avg_ms == null ? null : Number(r.avg_ms),
      quantiles: quantiles(r.quantiles, Number(r.count)),
    }));
  }

  /** Per node of a flow's finished runs in the range: count, total, self and critical-path time (flow-time.ts). */
  async flowTime(flow: string, fromNs: bigint, toNs: bigint): Promise<FlowTimeRecord> {
    const params = this.params({ fromNs, toNs }, { flow });
    const runsSql = `SELECT trace_id, root_span_id, start_ns, end_ns FROM (${this.executionsSql(true)}) WHERE root_finished`;
    const [runs, spans] = await Promise.all([
      this.conn.query(runsSql, params),
      this.conn.query(
        `SELECT trace_id, span_id, parent_span_id, node_id, node_name, start_ns, end_ns FROM ${this.t.spans} FINAL
         WHERE trace_id IN (SELECT trace_id FROM (${runsSql})) AND end_ns IS NOT NULL`,
        params,
      ),
    ]);
    return flowTimeOf(runs, spans);
  }
}

function quantiles(value: unknown, count: number): [number, number, number] | null {
  if (count === 0 || !Array.isArray(value) || value.length !== 3 || value.some((v) => v === null || Number.isNaN(Number(v)))) return null;
  return [Number(value[0]), Number(value[1]), Number(value[2])];
}

function statsRow(r: Row, key: string | bigint): StatsRow {
  const finished = Number(r.finished_count);
  return {
    key,
    count: Number(r.count),
    successCount: Number(r.success_count),
    errorCount: Number(r.error_count),
    finishedCount: finished,
    avgMs: finished === 0 || r.avg_ms == null ? null : Number(r.avg_ms),
    quantiles: quantiles(r.quantiles, finished),
    firstStartNs: r.first_start_ns == null ? null : BigInt(r.first_start_ns as string),
    lastStartNs: r.last_start_ns == null ? null : BigInt(r.last_start_ns as string),
  };
}
