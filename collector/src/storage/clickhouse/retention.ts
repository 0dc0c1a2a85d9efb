/**
 * Retention on ClickHouse (the contract's RetentionControl). Two mechanisms:
 * - TTL (schema-render.ts ttlAlterations): with an age, every table a retention age applies to
 *   drops rows past it on its merges, a day-partitioned table whole parts at a time — the
 *   ClickHouse way, at no cost to ingest, but row by row and whenever merges run;
 * - a pass (runOnce, and a timer): past the age, deletes finished or abandoned executions by
 *   their start with every row of their trace (deletion.ts), console lines of no stored
 *   execution and metric points by their own time; over a size cap (used bytes of the database's
 *   active parts, system.parts), the oldest share of the same candidates, then materializes the
 *   deleted rows (APPLY DELETED MASK) so the parts shrink and the next measure sees it.
 * Running executions are never deleted (abandoned ones are). Every failure is counted in stats
 * and reported to onError.
 */
import type { RetentionControl, RetentionRun, RetentionStats } from '../contract.js';
import type { ClickHouseConnection } from './connection.js';
import { deleteTraces } from './deletion.js';
import { abandonAfterNs, executionRowsSql } from './execution-rows-sql.js';
import type { Tables } from './tables.js';

export interface RetentionOptions {
  maxAgeMs?: number;
  maxBytes?: number;
  intervalMs?: number;
  abandonAfterMs: number;
  onError?: (error: unknown) => void;
}

/** Executions per deletion chunk. */
const CHUNK = 5_000;
/** Over the cap, one pass deletes this share of the candidates at most. */
const MAX_SHARE = 0.5;
/** …aiming at this share of the cap. */
const TARGET = 0.5;

const LOG_TIME = '(if(time_ns > 0, time_ns, observed_time_ns))';

export class ClickHouseRetention implements RetentionControl {
  readonly stats: RetentionStats = { runs: 0, failedRuns: 0, lastError: undefined };
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<RetentionRun> | undefined;
  private closed = false;

  constructor(private readonly conn: ClickHouseConnection, private readonly t: Tables, private readonly options: RetentionOptions) {}

  start(): void {
    if (this.options.maxAgeMs === undefined && this.options.maxBytes === undefined) return;
    this.timer = setInterval(() => void this.runOnce().catch(() => undefined), this.options.intervalMs ?? 30_000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.current?.catch(() => undefined);
  }

  /** One pass now; concurrent calls share it. Rejects (after counting) when it fails. */
  runOnce(): Promise<RetentionRun> {
    if (this.closed) return Promise.resolve({ deletedExecutions: 0, deletedOrphanLogs: 0, deletedMetricPoints: 0, usedBytesBefore: 0, usedBytesAfter: 0 });
    this.current ??= this.pass().then(
      (run) => {
        this.stats.runs += 1;
        return run;
      },
      (error: unknown) => {
        this.stats.failedRuns += 1;
        this.stats.lastError = error instanceof Error ? error.message : String(error);
        this.options.onError?.(error);
        throw error;
      },
    ).finally(() => (this.current = undefined));
    return this.current;
  }

  /** Bytes of the database's active parts. */
  async usedBytes(): Promise<number> {
    const [row] = await this.conn.query(
      `SELECT sum(bytes_on_disk) AS b FROM ${this.t.parts} WHERE database = {db:String} AND active`, { db: this.t.db },
    );
    return Number(row?.b ?? 0);
  }

  private async pass(): Promise<RetentionRun> {
    const usedBytesBefore = await this.usedBytes();
    const deleted = { executions: 0, logs: 0, points: 0 };
    if (this.options.maxAgeMs !== undefined) {
      const cutoff = BigInt(Date.now()) * 1_000_000n - BigInt(this.options.maxAgeMs) * 1_000_000n;
      await this.deleteBefore(cutoff, deleted);
    }
    const cap = this.options.maxBytes;
    if (cap !== undefined && usedBytesBefore > cap && !this.closed) {
      const share = Math.min(MAX_SHARE, 1 - (TARGET * cap) / usedBytesBefore);
      const last = await this.oldestCandidates(share);
      if (last !== undefined) await this.deleteBefore(last + 1n, deleted);
      for (const table of [this.t.spans, this.t.logs, this.t.values, this.t.rollup, this.t.metrics]) {
        await this.conn.command(`ALTER TABLE ${this.t.mutable(table)} APPLY DELETED MASK SETTINGS mutations_sync = 2`);
      }
    }
    return {
      deletedExecutions: deleted.executions, deletedOrphanLogs: deleted.logs, deletedMetricPoints: deleted.points,
      usedBytesBefore, usedBytesAfter: await this.usedBytes(),
    };
  }

  /** Deletes deletable executions started, orphan lines and metric points timed, before `cutoff`. */
  private async deleteBefore(cutoff: bigint, deleted: { executions: number; logs: number; points: number }): Promise<void> {
    const params = { cutoff: cutoff.toString(), abandon_after_ns: abandonAfterNs(this.options.abandonAfterMs), n: CHUNK };
    for (;;) {
      if (this.closed) return;
      const rows = await this.conn.query(
        `SELECT trace_id FROM (${executionRowsSql(this.t, '', { counts: false }, ['start_ns', 'status'])}) WHERE start_ns < {cutoff:Int64} AND status != 'running'
         ORDER BY start_ns LIMIT {n:UInt32}`, params,
      );
      if (rows.length === 0) break;
      await deleteTraces(this.conn, this.t, rows.map((r) => String(r.trace_id)));
      deleted.executions += rows.length;
      if (rows.length < CHUNK) break;
    }
    const orphan = `${LOG_TIME} < {cutoff:Int64} AND (trace_id = '' OR trace_id NOT IN (SELECT trace_id FROM ${this.t.rollup}))`;
    deleted.logs += await this.countAndDelete(this.t.logs, orphan, params);
    deleted.points += await this.countAndDelete(this.t.metrics, 'time_ns < {cutoff:Int64}', params);
  }

  private async countAndDelete(table: string, where: string, params: Record<string, unknown>): Promise<number> {
    const [row] = await this.conn.query(`SELECT count() AS n FROM ${table} FINAL WHERE ${where}`, params);
    const n = Number(row?.n ?? 0);
    if (n > 0) await this.conn.command(`DELETE FROM ${this.t.mutable(table)} WHERE ${where} SETTINGS lightweight_deletes_sync = 2`, params);
    return n;
  }

  /** The time of the last of the oldest `share` of what a size cap may delete (executions by start, orphan lines, metric points). */
  private async oldestCandidates(share: number): Promise<bigint | undefined> {
    const candidates = `SELECT start_ns AS t FROM (${executionRowsSql(this.t, '', { counts: false }, ['start_ns', 'status'])}) WHERE status != 'running'
         UNION ALL SELECT ${LOG_TIME} AS t FROM ${this.t.logs} FINAL WHERE trace_id = '' OR trace_id NOT IN (SELECT trace_id FROM ${this.t.rollup})
         UNION ALL SELECT time_ns AS t FROM ${this.t.metrics} FINAL`;
    const params = { abandon_after_ns: abandonAfterNs(this.options.abandonAfterMs) };
    const [count] = await this.conn.query(`SELECT count() AS n FROM (${candidates})`, params);
    const total = Number(count?.n ?? 0);
    if (total === 0) return undefined;
    const n = Math.max(1, Math.ceil(total * share));
    const [row] = await this.conn.query(`SELECT t FROM (${candidates}) ORDER BY t LIMIT 1 OFFSET {skip:UInt64}`, { ...params, skip: n - 1 });
    return row === undefined ? undefined : BigInt(row.t as string);
  }
}
