/**
 * The contract's BatchWriter for every engine: a bounded queue of batches stored in groups.
 * Every batch that arrives while a group is being stored joins the next group, so many
 * concurrent requests share one commit (DuckDB: one transaction, writer/commit.ts; ClickHouse:
 * one set of INSERTs, each of which makes a part, clickhouse/commit.ts). A batch's promise
 * resolves only after its group's commit answered — a resolved write is durable — and fails only
 * for itself: a failed group is committed again in halves, down to the one batch that cannot be
 * stored, so no other request of its group sees its error.
 *
 * The queue is bounded in rows; past the bound `write` fails at once with FT_QUEUE_FULL
 * (429 + Retry-After) instead of holding memory, and FT_SHUTTING_DOWN (503) once closing. Other
 * writes an engine makes on the same connection (deletes, retention, the control log) run
 * through `between`, between two groups, so they never interleave with a commit.
 */
import { errors, type FlowtraceError } from '../errors.js';
import type { BatchWriter, CommitNotice, WriterStats } from './contract.js';
import type { IngestBatch } from './span-model/span.js';

export interface BatchQueueOptions {
  /** Rows (spans + starts + logs + metric points) waiting at most; past it writes are refused. */
  maxQueueRows?: number;
  /** Rows per group at most (a group holds at least one batch, however large). */
  maxGroupRows?: number;
  onCommit?: (notice: CommitNotice) => void;
  onError?: (error: unknown) => void;
}

/** Stores a group of batches as one commit and says what it stored; throws to fail the whole group. */
export type CommitGroup = (batches: IngestBatch[], stats: WriterStats) => Promise<CommitNotice>;

interface Pending {
  batch: IngestBatch;
  rows: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The rows a batch adds to the queue. */
export function rowsOf(batch: IngestBatch): number {
  return batch.spans.length + batch.starts.length + batch.logs.length + (batch.metrics?.length ?? 0);
}

export class BatchQueue implements BatchWriter {
  private readonly queue: Pending[] = [];
  private readonly jobs: Array<() => Promise<void>> = [];
  private queuedRows = 0;
  private running = false;
  private closing = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};
  private readonly maxQueueRows: number;
  private readonly maxGroupRows: number;
  readonly stats: WriterStats = {
    queuedRows: 0, commits: 0, committedSpans: 0, committedLogs: 0, failedCommits: 0, lastCommitMs: 0,
    phaseMs: { lookup: 0, append: 0, commit: 0 },
  };

  constructor(private readonly commit: CommitGroup, private readonly options: BatchQueueOptions = {}) {
    this.maxQueueRows = options.maxQueueRows ?? 200_000;
    this.maxGroupRows = options.maxGroupRows ?? 20_000;
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
    const rows = rowsOf(batch);
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

  /** Runs a job between two groups (never beside a commit); refused once closing. */
  between<T>(job: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(errors.FT_SHUTTING_DOWN());
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(() => job().then(resolve, reject));
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
   * its own, down to single batches, so only a batch that cannot be stored even alone is refused.
   * Ingest checks every row against its column first, so this is the last line of defence: one
   * bad batch among n costs about 2·log2(n) more commits, never a failed request of someone else.
   */
  private async commitGroup(group: Pending[]): Promise<void> {
    const started = performance.now();
    let notice: CommitNotice;
    try {
      notice = await this.commit(group.map((p) => p.batch), this.stats);
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
    try {
      this.options.onCommit?.(notice);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
