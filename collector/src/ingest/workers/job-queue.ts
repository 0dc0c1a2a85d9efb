/**
 * The jobs waiting for an ingest worker (ingest-pool.ts), first in first out, bounded in number
 * and bytes. It also keeps what the receivers need to refuse early: each job's precheck (the
 * writer's refusal), asked when the job is taken for a worker and whenever the pool sweeps, so
 * that under overload a queued body is refused undecoded; and an estimate of the rows the bodies
 * queued and being decoded will give (from the rows per byte of the bodies decoded so far), which
 * the receivers count with the writer's queue before they take one more body.
 */
import { errors, type FlowtraceError } from '../../errors.js';
import type { ConvertResult } from '../convert-common.js';
import type { IngestJob } from './jobs.js';

/** Asked before a queued job is decoded: an error refuses it, undecoded. */
export type Precheck = () => Error | undefined;

export interface Waiting {
  job: IngestJob;
  precheck: Precheck | undefined;
  resolve: (result: ConvertResult) => void;
  reject: (error: unknown) => void;
}

export class JobQueue {
  private readonly items: Waiting[] = [];
  private bytes = 0;
  /** Bytes of the bodies queued and being decoded. */
  private pendingBytes = 0;
  /** Rows per body byte of the bodies decoded so far (a moving average; 0 before the first). */
  private rowsPerByte = 0;

  constructor(private readonly maxJobs: number, private readonly maxBytes: number) {}

  get length(): number {
    return this.items.length;
  }

  get queuedBytes(): number {
    return this.bytes;
  }

  /** FT_INGEST_BUSY when a body of this size would pass the bounds (one job is always taken). */
  refusalFor(bytes: number): FlowtraceError | undefined {
    if (this.items.length > 0 && (this.items.length >= this.maxJobs || this.bytes + bytes > this.maxBytes)) {
      return errors.FT_INGEST_BUSY(`${this.items.length} requests (${this.bytes} bytes) are waiting to be decoded`);
    }
    return undefined;
  }

  push(waiting: Waiting): void {
    this.items.push(waiting);
    this.bytes += waiting.job.body.length;
    this.pendingBytes += waiting.job.body.length;
  }

  /** The next job its precheck lets through (those it refuses are rejected on the way); it stays pending until finished(). */
  next(): Waiting | undefined {
    while (this.items.length > 0) {
      const refusal = this.items[0].precheck?.();
      const waiting = this.items.shift()!;
      this.bytes -= waiting.job.body.length;
      if (refusal === undefined) return waiting;
      this.finished(waiting);
      waiting.reject(refusal);
    }
    return undefined;
  }

  /** A job taken by next() is done (with its result when it gave one, to learn its rows per byte). */
  finished(waiting: Waiting, result?: ConvertResult): void {
    const bytes = waiting.job.body.length;
    this.pendingBytes -= bytes;
    if (result === undefined || bytes === 0) return;
    const b = result.batch;
    const ratio = (b.spans.length + b.starts.length + b.logs.length + (b.metrics?.length ?? 0)) / bytes;
    this.rowsPerByte = this.rowsPerByte === 0 ? ratio : 0.8 * this.rowsPerByte + 0.2 * ratio;
  }

  /** Rejects every queued job its precheck refuses now. */
  sweep(): void {
    for (let i = 0; i < this.items.length; i++) {
      const refusal = this.items[i].precheck?.();
      if (refusal !== undefined) this.take(i--).reject(refusal);
    }
  }

  /** Rejects every queued job with `error`. */
  rejectAll(error: () => Error): void {
    while (this.items.length > 0) this.take(0).reject(error());
  }

  /** About how many rows the bodies queued and being decoded will give. */
  pendingRows(): number {
    return Math.round(this.pendingBytes * this.rowsPerByte);
  }

  private take(at: number): Waiting {
    const [waiting] = this.items.splice(at, 1);
    this.bytes -= waiting.job.body.length;
    this.pendingBytes -= waiting.job.body.length;
    return waiting;
  }
}
