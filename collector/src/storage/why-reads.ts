/**
 * The reads behind the "why" views that the trace outline cannot answer: where a flow's time
 * goes over a range (self time and critical-path share per node, flow-time-sql.ts), and the
 * console lines that belong to no span (the logs page). Parameterised SQL only; user text is
 * a bound value, never part of the statement.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ConnectionPool } from './connection-pool.js';
import { FLOW_RUNS_SQL, FLOW_TIME_SQL } from './flow-time-sql.js';
import { logRecordFromRow, type LogRecord } from './records.js';
import { FLOW_SPAN_RANGE_SQL } from './stats-sql.js';

export interface NodeTimeRow {
  nodeId: string;
  nodeName: string | null;
  count: number;
  totalMs: number;
  selfMs: number;
  criticalMs: number;
}

export interface FlowTimeRecord {
  runs: number;
  runMs: number;
  nodes: NodeTimeRow[];
}

export interface LoneLogQuery {
  fromNs: bigint;
  toNs: bigint;
  /** Lines at this OTel severity number or above. */
  minSeverity?: number;
  /** Case-insensitive substring of the body. */
  text?: string;
  limit: number;
}

type Row = Record<string, unknown>;

/** Lines with no span: span_id '' (a log record outside any span, with or without a trace). */
const LONE_LOGS_SQL = (withText: boolean) => `
SELECT * FROM log_data
WHERE span_id = '' AND time_ns BETWEEN $from_ns AND $to_ns AND severity_number >= $min_severity
  ${withText ? 'AND contains(lower(body), lower($text))' : ''}
ORDER BY time_ns DESC
LIMIT $limit`;

export class WhyReads {
  constructor(private readonly pool: ConnectionPool) {}

  private rows(sql: string, params: Record<string, string | number | bigint>): Promise<Row[]> {
    return this.pool.use(async (c: DuckDBConnection) => (await c.runAndReadAll(sql, params)).getRowObjectsJS() as Row[]);
  }

  /** Per node of a flow's finished runs in the range: count, total, self and critical-path time. */
  async flowTime(flow: string, fromNs: bigint, toNs: bigint): Promise<FlowTimeRecord> {
    const params = { flow, from_ns: fromNs, to_ns: toNs };
    const [span] = await this.rows(FLOW_SPAN_RANGE_SQL, params);
    const rows = await this.rows(FLOW_TIME_SQL, { ...params, lo: span.lo as bigint, hi: span.hi as bigint });
    const [runs] = rows.length > 0 ? rows : await this.rows(FLOW_RUNS_SQL, params);
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

  /** Console lines with no span, newest first; one more than `limit` tells that more follow. */
  async loneLogs(q: LoneLogQuery): Promise<LogRecord[]> {
    const text = q.text?.trim() ?? '';
    const params: Record<string, string | number | bigint> = {
      from_ns: q.fromNs, to_ns: q.toNs, min_severity: q.minSeverity ?? 0, limit: q.limit + 1,
    };
    if (text !== '') params.text = text;
    const rows = await this.rows(LONE_LOGS_SQL(text !== ''), params);
    return rows.map(logRecordFromRow);
  }
}
