/**
 * The BatchWriter of the ClickHouse engine: a bounded queue of batches stored in groups. Every
 * batch that arrives while a group is being stored joins the next group, so many concurrent
 * requests share one set of INSERTs (ClickHouse wants few, large inserts: each makes a part).
 * A batch's promise resolves only after its group's inserts answered (commit.ts: durable), and
 * fails only for itself: a failed group is stored again in halves, down to the one batch that
 * cannot be stored. Past `maxQueueRows` queued rows `write` fails at once with FT_QUEUE_FULL
 * (429 + Retry-After); once closing with FT_SHUTTING_DOWN.
 */
import { errors, type FlowtraceError } from '../../errors.js';
import type { BatchWriter, CommitNotice, WriterStats } from '../contract.js';
import type { IngestBatch } from '../span-model/span.js';

export interface WriterQueueOptions {
  maxQueueRows?: number;
  maxGroupRows?: number;
  onCommit?: (notice: CommitNotice) => void;
  onError?: (error: unknown) => void;
}

/** Stores a group of batches as one commit and says what it stored. */
export type CommitGroup = (batches: IngestBatch[], stats: WriterStats) => Promise<CommitNotice>;

interface Pending {
  batch: IngestBatch;
  rows: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function rowsOf(batch: IngestBatch): number {
  return batch.spans.length + batch.starts.length + batch.logs.length + (batch.metrics?.length ?? 0);
}

export class WriterQueue implements BatchWriter {
  private readonly queue: Pending[] = [];
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

  constructor(private readonly commit: CommitGroup, private readonly options: WriterQueueOptions = {}) {
    this.maxQueueRows = options.maxQueueRows ?? 200_000;
    this.maxGroupRows = options.maxGroupRows ?? 20_000;
  }

  refusalFor(rows: number): FlowtraceError | undefined {
    if (this.closing) return errors.FT_SHUTTING_DOWN();
    if (this.queuedRows > 0 && this.queuedRows + rows > this.maxQueueRows) return errors.FT_QUEUE_FULL(`${this.queuedRows} rows are waiting`);
    return undefined;
  }

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

  /** Refuses new writes, stores everything already queued, and resolves when done. */
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
      while (this.queue.length > 0) {
        const group: Pending[] = [];
        let rows = 0;
        while (this.queue.length > 0 && (group.length === 0 || rows + this.queue[0].rows <= this.maxGroupRows)) {
          const next = this.queue.shift()!;
          rows += next.rows;
          group.push(next);
        }
        try {
          await this.commitGroup(group);
        } finally {
          this.queuedRows -= rows;
          this.stats.queuedRows = this.queuedRows;
        }
      }
    } finally {
      this.running = false;
      this.markIdle();
    }
  }

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
