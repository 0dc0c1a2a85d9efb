/**
 * Background retention. Past an age, it deletes finished (or abandoned) executions by their
 * start and console lines that belong to no stored execution by their own time; while the
 * database holds more than a size cap, it deletes the oldest of both, whichever table they are
 * in, so lines without an execution can neither grow the file past the cap nor make retention
 * delete every execution instead. Deleting an execution deletes every row of its trace
 * (deleter.ts). Each chunk is its own short writer job, so ingest commits run between chunks and
 * are never blocked for long. Running executions are never deleted (abandoned ones are).
 *
 * Invariant: every failure is counted in `stats` and reported to `onError` — a pass that fails
 * (whether a timer or a caller started it, before or after `stop()`) and a size check between
 * passes that fails alike. Only a pass cut short because retention is closing is not a failure.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { deleteTraces } from './deleter.js';
import {
  COUNT_CANDIDATES, DELETE_OLD_METRIC_POINTS, DELETE_OLD_ORPHAN_ERROR_TEXTS, DELETE_OLD_ORPHAN_LOGS, NTH_OLDEST_CANDIDATE, OLD_EXECUTIONS,
} from './retention-sql.js';
import type { RetentionControl, RetentionRun, RetentionStats } from './contract.js';
import type { GroupCommitWriter } from './writer/group-commit-writer.js';

export interface RetentionOptions {
  /** Keep executions and lines without one younger than this (ms); undefined: no age limit. */
  maxAgeMs?: number;
  /** Keep the database's used size under this many bytes; undefined: no size limit. */
  maxBytes?: number;
  /** How often to look (ms). */
  intervalMs?: number;
  /** Executions per deletion chunk. */
  chunkSize?: number;
  abandonAfterMs: number;
  /** Called with the error of a pass that failed (after it is counted in stats). */
  onError?: (error: unknown) => void;
}

/** Orphan lines per deletion chunk: a line is small, and deleting rows only marks them. */
const LOG_CHUNK = 50_000;
/** Candidates (executions and orphan lines) per size-cap step at most. */
const MAX_STEP = 50_000;
/** Over the size cap, retention deletes down to this share of it. */
const TARGET = 0.4;
/** The share of the candidates one pass deletes at most. */
const MAX_SHARE = 0.5;
const NS_PER_MS = 1_000_000n;

/** How often the size cap is checked at most (a cheap look at the database's size). */
const SIZE_CHECK_MS = 250;

/** Thrown between chunks of a pass when retention is closing: the pass ends, it did not fail. */
class RetentionClosed extends Error {
  constructor() {
    super('retention closed');
  }
}

export class Retention implements RetentionControl {
  private timers: NodeJS.Timeout[] = [];
  private busy = false;
  /** The pass in progress, which stop() waits for. */
  private current: Promise<unknown> | undefined;
  private closed = false;
  lastRun: RetentionRun | undefined;
  readonly stats: RetentionStats = { runs: 0, failedRuns: 0, lastError: undefined };

  /**
   * `measure` gives the database's used bytes (see usedBytes) from a connection other than the
   * writer's: a writer job makes the writer forget what it remembers, and the size is looked at
   * four times a second.
   */
  constructor(
    private readonly writer: GroupCommitWriter,
    private readonly options: RetentionOptions,
    private readonly measure: () => Promise<number>,
  ) {}

  get enabled(): boolean {
    return this.options.maxAgeMs !== undefined || this.options.maxBytes !== undefined;
  }

  start(): void {
    if (!this.enabled || this.timers.length > 0) return;
    const interval = this.options.intervalMs ?? 30_000;
    // runOnce has counted and reported a failure (the rejection only repeats it); the timers go on.
    this.timers.push(setInterval(() => void this.runOnce().catch(() => undefined), interval));
    // A size cap is watched more often than the interval: between two passes a steady sender
    // adds interval × its rate, and the file must stay near the cap whatever the interval is.
    const cap = this.options.maxBytes;
    if (cap !== undefined && interval > SIZE_CHECK_MS) {
      this.timers.push(setInterval(() => {
        if (this.busy) return;
        // A size that cannot be read is a failure of retention like a failed pass: counted and reported.
        this.measure().then(
          (used) => (used > cap ? this.runOnce().catch(() => undefined) : undefined), // runOnce has counted its own failure
          (error: unknown) => this.failed(error),
        );
      }, SIZE_CHECK_MS));
    }
    for (const timer of this.timers) timer.unref();
  }

  /** Stops the timers; a pass may still be run with runOnce(). */
  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /**
   * For good (the database is closing): stops the timers and waits for a pass in progress,
   * which ends at its next chunk (each chunk is a short writer job), so the database is never
   * closed under a retention statement. Later passes do nothing.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    await this.current?.catch(() => undefined);
  }

  /** Between chunks: a closing retention ends its pass there (runOnce does not count it as failed). */
  private checkClosed(): void {
    if (this.closed) throw new RetentionClosed();
  }

  /** Counts and reports a failure (a pass, or a size check between passes). */
  private failed(error: unknown): void {
    this.stats.failedRuns += 1;
    this.stats.lastError = error instanceof Error ? error.message : String(error);
    this.options.onError?.(error);
  }

  /** One pass: deletes chunk by chunk until both limits hold. Rejects (after counting) if it fails. */
  async runOnce(): Promise<RetentionRun> {
    if (this.busy || this.closed) return this.lastRun ?? { deletedExecutions: 0, deletedOrphanLogs: 0, deletedMetricPoints: 0, usedBytesBefore: 0, usedBytesAfter: 0 };
    this.busy = true;
    const pass = this.pass();
    this.current = pass;
    try {
      const run = await pass;
      this.stats.runs += 1;
      this.lastRun = run;
      return run;
    } catch (error) {
      // A pass cut short because retention is closing did not fail; anything else did.
      if (!(error instanceof RetentionClosed)) this.failed(error);
      throw error;
    } finally {
      this.busy = false;
    }
  }

  private async pass(): Promise<RetentionRun> {
    const usedBytesBefore = await this.measure();
    const deleted = { executions: 0, logs: 0, metricPoints: 0 };
    if (this.options.maxAgeMs !== undefined) {
      const cutoff = BigInt(Date.now()) * NS_PER_MS - BigInt(this.options.maxAgeMs) * NS_PER_MS;
      for (let removed = -1; removed !== 0;) {
        this.checkClosed();
        removed = await this.writer.exclusive((c) => this.deleteExecutionsBefore(c, cutoff, this.options.chunkSize ?? 2_000));
        deleted.executions += removed;
      }
      for (let removed = -1; removed !== 0;) {
        this.checkClosed();
        removed = await this.writer.exclusive((c) => deleteOrphanLogsBefore(c, cutoff, LOG_CHUNK));
        deleted.logs += removed;
      }
      for (let removed = -1; removed !== 0;) {
        this.checkClosed();
        removed = await this.writer.exclusive((c) => deleteMetricPointsBefore(c, cutoff, LOG_CHUNK));
        deleted.metricPoints += removed;
      }
    }
    await this.enforceSizeCap(deleted);
    if (deleted.executions + deleted.logs + deleted.metricPoints > 0) await this.writer.exclusive((c) => c.run('CHECKPOINT'));
    const usedBytesAfter = await this.measure();
    return { deletedExecutions: deleted.executions, deletedOrphanLogs: deleted.logs, deletedMetricPoints: deleted.metricPoints, usedBytesBefore, usedBytesAfter };
  }

  /**
   * Over the cap, deletes the oldest share of what may be deleted that brings the database down
   * to TARGET of the cap, taking bytes as proportional to the candidates (at most half of them
   * per pass, so a cap that cannot be met never empties the database at once). It aims below
   * the cap because DuckDB reclaims deleted rows only when it rewrites their row group, and a
   * checkpoint writes the new copy before it frees the old: a file held at the cap would swing
   * to twice the cap and more.
   */
  private async enforceSizeCap(deleted: { executions: number; logs: number; metricPoints: number }): Promise<void> {
    const cap = this.options.maxBytes;
    if (cap === undefined) return;
    const used = await this.measure();
    if (used <= cap) return;
    const share = Math.min(MAX_SHARE, 1 - (TARGET * cap) / used);
    const total = await this.writer.exclusive((c) => this.countCandidates(c));
    let remaining = Math.max(1, Math.ceil(total * share));
    while (remaining > 0) {
      this.checkClosed();
      const step = await this.writer.exclusive((c) => this.deleteOldest(c, Math.min(MAX_STEP, remaining)));
      if (step.items === 0) break;
      deleted.executions += step.executions;
      deleted.logs += step.logs;
      deleted.metricPoints += step.metricPoints;
      remaining -= step.items;
    }
  }

  private abandonBefore(): bigint {
    return BigInt(Date.now()) * NS_PER_MS - BigInt(this.options.abandonAfterMs) * NS_PER_MS;
  }

  /** One chunk of deletable executions that started before `cutoff`, oldest first. */
  private async deleteExecutionsBefore(c: DuckDBConnection, cutoff: bigint, n: number): Promise<number> {
    const ids = (await c.runAndReadAll(OLD_EXECUTIONS, { cutoff, n: BigInt(n), abandon_before: this.abandonBefore() }))
      .getRowObjectsJS().map((r) => String(r.trace_id));
    return deleteTraces(c, ids);
  }

  private async countCandidates(c: DuckDBConnection): Promise<number> {
    return Number((await c.runAndReadAll(COUNT_CANDIDATES, { abandon_before: this.abandonBefore() })).getRowObjectsJS()[0]?.n ?? 0);
  }

  /**
   * The oldest `n` candidates, executions, orphan lines and metric points alike in time order:
   * everything up to the time of the last of them goes (executions a chunk at most), then a
   * checkpoint.
   */
  private async deleteOldest(c: DuckDBConnection, n: number): Promise<{ executions: number; logs: number; metricPoints: number; items: number }> {
    const last = (await c.runAndReadAll(NTH_OLDEST_CANDIDATE, { abandon_before: this.abandonBefore(), n: BigInt(n) })).getRowObjectsJS()[0]?.t;
    if (typeof last !== 'bigint') return { executions: 0, logs: 0, metricPoints: 0, items: 0 };
    const executions = await this.deleteExecutionsBefore(c, last + 1n, this.options.chunkSize ?? 2_000);
    const logs = await deleteOrphanLogsBefore(c, last + 1n, MAX_STEP);
    const metricPoints = await deleteMetricPointsBefore(c, last + 1n, MAX_STEP);
    await c.run('CHECKPOINT');
    return { executions, logs, metricPoints, items: executions + logs + metricPoints };
  }
}

/** One chunk of metric points timed before `cutoff`, oldest first. */
async function deleteMetricPointsBefore(c: DuckDBConnection, cutoff: bigint, n: number): Promise<number> {
  return (await c.run(DELETE_OLD_METRIC_POINTS, { cutoff, n: BigInt(n) })).rowsChanged;
}

/** One chunk of console lines of no stored execution timed before `cutoff`, oldest first (and their error texts). */
async function deleteOrphanLogsBefore(c: DuckDBConnection, cutoff: bigint, n: number): Promise<number> {
  const deleted = (await c.run(DELETE_OLD_ORPHAN_LOGS, { cutoff, n: BigInt(n) })).rowsChanged;
  if (deleted > 0) await c.run(DELETE_OLD_ORPHAN_ERROR_TEXTS, { cutoff });
  return deleted;
}

const SIZE_UNITS: Record<string, number> = { bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** Bytes of DuckDB's human-readable sizes ("3.9 MiB", "0 bytes"). */
export function parseDuckDbSize(text: unknown): number {
  const match = /^([\d.]+)\s*(\w+)$/.exec(String(text ?? '').trim());
  return match ? Math.round(Number(match[1]) * (SIZE_UNITS[match[2]] ?? 1)) : 0;
}

/** Bytes in use by the database: blocks in use plus the write-ahead log not yet checkpointed. */
export async function usedBytes(c: DuckDBConnection): Promise<number> {
  const row = (await c.runAndReadAll(`SELECT * FROM pragma_database_size()`)).getRowObjectsJS()[0];
  if (!row) return 0;
  return Number(row.block_size ?? 0) * Number(row.used_blocks ?? 0) + parseDuckDbSize(row.wal_size);
}
