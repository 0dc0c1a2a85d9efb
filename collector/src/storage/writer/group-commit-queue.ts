/**
 * The one writer of a DuckDB database (the contract's BatchWriter): a queue of batches that
 * are committed in groups. Every batch that arrives while a commit runs joins the next one
 * (group commit), so many concurrent requests share one transaction (commit.ts), and each
 * batch's promise resolves only after COMMIT: a resolved write is durable. Writes are
 * idempotent (commit.ts). A batch fails only for itself: when a group's commit fails, its
 * halves are committed apart, down to the one batch that cannot be stored.
 *
 * The queue is bounded in rows; past the bound `write` fails at once with FT_QUEUE_FULL
 * (429 + Retry-After) instead of holding memory, and FT_SHUTTING_DOWN (503) once closing.
 * Other writes to the database (deletes, retention, the control log) run through `exclusive`,
 * between group commits, so they never interleave with one.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { errors, type FlowtraceError } from '../../errors.js';
import type { BatchWriter, CommitNotice, WriterStats } from '../contract.js';
import type { IngestBatch } from '../span-model/span.js';
import { GroupCommit, type GroupCommitOptions } from './commit.js';

export interface WriterOptions extends GroupCommitOptions {
  /** Rows (spans + starts + logs + metric points) waiting at most; past it writes are refused. */
  maxQueueRows?: number;
  /** Rows per group commit at most. */
  maxGroupRows?: number;
  onCommit?: (notice: CommitNotice) => void;
  onError?: (error: unknown) => void;
}

interface Pending {
  batch: IngestBatch;
  rows: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommitWriter implements BatchWriter {
  private readonly queue: Pending[] = [];
  private readonly jobs: Array<() => Promise<void>> = [];
  private queuedRows = 0;
  private running = false;
  private closing = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};
  private readonly maxQueueRows: number;
  private readonly maxGroupRows: number;
  private readonly committer: GroupCommit;
  readonly stats: WriterStats = {
    queuedRows: 0, commits: 0, committedSpans: 0, committedLogs: 0, failedCommits: 0, lastCommitMs: 0,
    phaseMs: { lookup: 0, append: 0, commit: 0 },
  };

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly options: WriterOptions = {},
  ) {
    this.maxQueueRows = options.maxQueueRows ?? 200_000;
    this.maxGroupRows = options.maxGroupRows ?? 20_000;
    this.committer = new GroupCommit(connection, this.stats, options);
  }

  /** Loads what the commits remember (recent span keys, stored traces, running rows); call once before writing. */
  init(): Promise<void> {
    return this.committer.load();
  }

  /** The error a batch of this many rows would be refused with right now, if any. */
  refusalFor(rows: number): FlowtraceError | undefined {
    if (this.closing) return errors.FT_SHUTTING_DOWN();
    if (this.queuedRows > 0 && this.queuedRows + rows > this.maxQueueRows) {
      return errors.FT_QUEUE_FULL(`${this.queuedRows} rows are waiting`);
    }
    return undefined;
  }

  /** Stores a batch; resolves once it is committed. Rejects with FT_QUEUE_FULL / FT_SHUTTING_DOWN / FT_WRITE_FAILED. */
  write(batch: IngestBatch): Promise<void> {
    const rows = batch.spans.length + batch.starts.length + batch.logs.length + (batch.metrics?.length ?? 0);
    const refusal = this.refusalFor(rows);
    if (refusal) return Promise.reject(refusal);
    if (rows === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, rows, resolve, reject });
      this.queuedRows += rows;
      this.stats.queuedRows = this.queuedRows;
      this.kick();
    });
  }

  /** Runs a write job (delete, retention, control log) between group commits, on the writer's connection. */
  exclusive<T>(job: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(errors.FT_SHUTTING_DOWN());
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(async () => {
        try {
          resolve(await job(this.connection));
        } catch (error) {
          reject(error);
        } finally {
          // The job may have deleted executions and starts the commits remember.
          this.committer.forget();
        }
      });
      this.kick();
    });
  }

  /** Refuses new writes, commits everything already queued, and resolves when done. */
  async close(): Promise<void> {
    this.closing = true;
    await this.idle;
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.jobs.length > 0) {
        const job = this.jobs.shift();
        if (job) await job();
        if (this.queue.length > 0) await this.commitNextGroup();
      }
    } finally {
      this.running = false;
      this.markIdle();
    }
  }

  /** The batches at the head of the queue, up to maxGroupRows rows (at least one batch). */
  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0 && (group.length === 0 || rows + this.queue[0].rows <= this.maxGroupRows)) {
      const next = this.queue.shift()!;
      rows += next.rows;
      group.push(next);
    }
    return group;
  }

  private async commitNextGroup(): Promise<void> {
    const group = this.takeGroup();
    const groupRows = group.reduce((sum, p) => sum + p.rows, 0);
    try {
      await this.commitGroup(group);
    } finally {
      this.queuedRows -= groupRows;
      this.stats.queuedRows = this.queuedRows;
    }
  }

  /**
   * Commits a group of batches. When the commit fails, each half of the group is committed on
   * its own, down to single batches, so only a batch that cannot be stored even alone is refused
   * and no other request of its group sees its error. Ingest checks every row against its
   * column first (table-columns.ts), so this is the last line of defence: one bad batch among n
   * costs about 2·log2(n) more commits, never a failed request of someone else.
   */
  private async commitGroup(group: Pending[]): Promise<void> {
    const started = performance.now();
    let notice: CommitNotice;
    try {
      notice = await this.committer.commit(group.map((p) => p.batch));
    } catch (error) {
      this.stats.failedCommits += 1;
      if (group.length > 1) {
        const half = Math.ceil(group.length / 2);
        await this.commitGroup(group.slice(0, half));
        await this.commitGroup(group.slice(half));
        return;
      }
      this.options.onError?.(error);
      group[0].reject(errors.FT_WRITE_FAILED(error instanceof Error ? error.message : String(error)));
      return;
    }
    this.stats.commits += 1;
    this.stats.committedSpans += notice.spans.length;
    this.stats.committedLogs += notice.logCount;
    this.stats.lastCommitMs = performance.now() - started;
    for (const p of group) p.resolve();
    this.options.onCommit?.(notice);
  }
}
