/**
 * A bounded pool of worker threads that decode, validate and convert ingest request bodies
 * (jobs.ts) so that the main thread only receives requests and commits. Invariants:
 *
 * - The main thread never waits on a worker: jobs and answers are messages; a worker's
 *   failure settles only the jobs it held, never blocks the event loop.
 * - Memory is bounded: jobs waiting for a worker are capped in number and bytes (job-queue.ts);
 *   past the cap run() refuses at once with FT_INGEST_BUSY (429 + Retry-After), as the writer's
 *   queue does. A job's precheck (the writer's refusal) is asked again when it leaves the queue
 *   and after every job a worker finishes (its caller has handed the batch to the writer by
 *   then): under overload, queued bodies are refused undecoded and at once.
 * - A worker that crashes (an exception, out of memory) or does not answer within jobTimeoutMs
 *   fails only its one job, with FT_INGEST_WORKER_FAILED (503 + Retry-After: the exporter
 *   retries, nothing was stored), and is replaced. Workers that die before they are ready
 *   three times in a row mark the pool broken (`broken`): the caller decodes inline then.
 * - close() refuses new jobs, lets the queued and running ones finish (up to its timeout, then
 *   they fail with FT_SHUTTING_DOWN), and stops every worker.
 *
 * Workers start with the first job (a collector that is never sent anything starts none).
 */
import { Worker } from 'node:worker_threads';
import { errors } from '../../errors.js';
import type { ConvertResult } from '../convert-common.js';
import type { IngestCaps } from '../ingest-caps.js';
import { fromWire } from './batch-wire.js';
import { JobQueue, type Precheck, type Waiting } from './job-queue.js';
import { errorFromWire, type IngestJob } from './jobs.js';
import { toWireJob, type ToPool, type WorkerConfig } from './messages.js';
import { workerScript } from './worker-script.js';

export type { Precheck } from './job-queue.js';

export interface IngestPoolOptions {
  /** Worker threads (at least 1). */
  workers: number;
  caps?: Partial<IngestCaps>;
  /** Jobs waiting for a worker at most (default 64). */
  maxQueuedJobs?: number;
  /** Bytes of bodies waiting for a worker at most (default 64 MiB); one job is always taken. */
  maxQueuedBytes?: number;
  /** A job not answered in this time ends its worker (default 60 s). */
  jobTimeoutMs?: number;
  /** Test hooks in the workers (ingest-worker.ts); never on outside tests. */
  testHooks?: boolean;
  /** A worker that failed (crashed, timed out, or could not start), for the log. */
  onWorkerFailure?: (error: Error) => void;
}

export interface IngestPoolStats {
  /** Worker threads running. */
  workers: number;
  busy: number;
  queuedJobs: number;
  queuedBytes: number;
  /** Workers replaced after a crash or a timeout. */
  replaced: number;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** The job it runs, with its id and timer. */
  current?: { id: number; waiting: Waiting; timer: NodeJS.Timeout };
  /** Why it is being ended (timeout), when the pool ended it. */
  ending?: string;
}

/** Workers that die before they are ready this many times in a row break the pool. */
const MAX_START_FAILURES = 3;

export class IngestPool {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue: JobQueue;
  private nextId = 1;
  private started = false;
  private closing = false;
  private startFailures = 0;
  private replaced = 0;
  private drained: (() => void) | undefined;
  private sweepScheduled = false;
  /** True once workers could not be started: the caller should decode inline. */
  broken = false;

  constructor(private readonly options: IngestPoolOptions) {
    if (!(options.workers >= 1)) throw new RangeError('an ingest pool needs at least one worker');
    this.queue = new JobQueue(options.maxQueuedJobs ?? 64, options.maxQueuedBytes ?? 64 * 1024 * 1024);
  }

  get stats(): IngestPoolStats {
    return {
      workers: this.slots.size,
      busy: this.busyCount(),
      queuedJobs: this.queue.length,
      queuedBytes: this.queue.queuedBytes,
      replaced: this.replaced,
    };
  }

  /** About how many rows the bodies queued and being decoded will give (the writer sees them only later). */
  pendingRows(): number {
    return this.queue.pendingRows();
  }

  /**
   * Runs a job on a worker; rejects with its coded error, FT_INGEST_BUSY, FT_INGEST_WORKER_FAILED,
   * FT_SHUTTING_DOWN, or what `precheck` returns when the job is about to be decoded.
   */
  run(job: IngestJob, precheck?: Precheck): Promise<ConvertResult> {
    if (this.closing) return Promise.reject(errors.FT_SHUTTING_DOWN());
    const busy = this.queue.refusalFor(job.body.length);
    if (busy) return Promise.reject(busy);
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < this.options.workers; i++) this.spawn();
    }
    return new Promise<ConvertResult>((resolve, reject) => {
      this.queue.push({ job, precheck, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Refuses new jobs, waits for the queued and running ones (at most `timeoutMs`; those left then
   * fail with FT_SHUTTING_DOWN), then stops the workers. What a job's caller does with its result
   * (the writer's write) has begun when this resolves.
   */
  async close(timeoutMs = 5_000): Promise<void> {
    this.closing = true;
    if (this.queue.length > 0 || this.busyCount() > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.drained = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
      this.drained = undefined;
    }
    this.queue.rejectAll(() => errors.FT_SHUTTING_DOWN());
    const exits = [...this.slots].map((slot) => {
      this.failJob(slot, errors.FT_SHUTTING_DOWN());
      return slot.worker.terminate();
    });
    await Promise.all(exits);
    // Callers continue after their job's promise (a microtask): let them reach the writer first.
    await new Promise((resolve) => setImmediate(resolve));
  }

  private busyCount(): number {
    let n = 0;
    for (const slot of this.slots) if (slot.current) n++;
    return n;
  }

  private spawn(): void {
    const config: WorkerConfig = { caps: this.options.caps, testHooks: this.options.testHooks === true };
    const script = workerScript();
    const worker = new Worker(script.url, {
      workerData: { ...config, ...script.data },
      // About the main thread's stack (V8's default, 984 KiB, plus Node's 192 KiB margin): a body
      // nested too deep to decode inline is too deep to decode in a worker too.
      resourceLimits: { stackSizeMb: 1.2 },
    });
    // An idle worker does not keep the process alive; one with a job does (see dispatch, settle).
    worker.unref();
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    let failure: Error | undefined;
    worker.on('message', (message: ToPool) => this.onMessage(slot, message));
    worker.on('error', (error) => (failure = error));
    worker.on('exit', (code) => this.onExit(slot, code, failure));
  }

  private onMessage(slot: Slot, message: ToPool): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.startFailures = 0;
      this.idle.push(slot);
      this.dispatch();
      return;
    }
    if (slot.current === undefined || slot.current.id !== message.id) return;
    const waiting = this.settle(slot)!;
    this.idle.push(slot);
    if (message.type === 'error') {
      this.queue.finished(waiting);
      waiting.reject(errorFromWire(message.error));
    } else {
      try {
        const result = fromWire(message.result);
        this.queue.finished(waiting, result);
        waiting.resolve(result);
      } catch (error) {
        this.queue.finished(waiting);
        waiting.reject(error);
      }
    }
    this.dispatch();
    this.scheduleSweep();
    this.checkDrained();
  }

  /** After the callers of finished jobs have run (a macrotask later): refuse what the prechecks refuse now. */
  private scheduleSweep(): void {
    if (this.sweepScheduled || this.queue.length === 0) return;
    this.sweepScheduled = true;
    setImmediate(() => {
      this.sweepScheduled = false;
      this.queue.sweep();
      this.checkDrained();
    });
  }

  private onExit(slot: Slot, code: number, failure: Error | undefined): void {
    this.slots.delete(slot);
    const at = this.idle.indexOf(slot);
    if (at >= 0) this.idle.splice(at, 1);
    const reason = slot.ending ?? (failure ? `it crashed: ${failure.message}` : `it exited with code ${code}`);
    this.failJob(slot, errors.FT_INGEST_WORKER_FAILED(`the worker decoding this request stopped: ${reason}`));
    if (this.closing) {
      this.checkDrained();
      return;
    }
    this.options.onWorkerFailure?.(new Error(`ingest worker ${slot.worker.threadId} stopped: ${reason}`, { cause: failure }));
    if (!slot.ready && ++this.startFailures >= MAX_START_FAILURES) {
      this.broken = true;
      this.queue.rejectAll(() => errors.FT_INGEST_WORKER_FAILED(`ingest workers cannot start: ${reason}`));
      return;
    }
    if (slot.ready) this.replaced++;
    this.spawn();
  }

  /** Ends a slot's job, if it has one, with `error`. */
  private failJob(slot: Slot, error: Error): void {
    const waiting = this.settle(slot);
    if (waiting === undefined) return;
    this.queue.finished(waiting);
    waiting.reject(error);
  }

  /** Clears a slot's job and timer; returns the job's waiter (the caller tells the queue it finished). */
  private settle(slot: Slot): Waiting | undefined {
    const current = slot.current;
    if (current === undefined) return undefined;
    clearTimeout(current.timer);
    slot.current = undefined;
    slot.worker.unref();
    return current.waiting;
  }

  private dispatch(): void {
    while (this.idle.length > 0) {
      const waiting = this.queue.next();
      if (waiting === undefined) return;
      const slot = this.idle.pop()!;
      const id = this.nextId++;
      const timeoutMs = this.options.jobTimeoutMs ?? 60_000;
      const timer = setTimeout(() => this.timedOut(slot, timeoutMs), timeoutMs);
      slot.current = { id, waiting, timer };
      slot.worker.ref();
      const { message, transfer } = toWireJob(id, waiting.job);
      slot.worker.postMessage(message, transfer);
    }
  }

  /** A job not answered in time: it fails now, and its worker is ended and replaced. */
  private timedOut(slot: Slot, timeoutMs: number): void {
    slot.ending = `it did not answer in ${timeoutMs / 1000} s`;
    this.failJob(slot, errors.FT_INGEST_WORKER_FAILED(`the worker decoding this request stopped: ${slot.ending}`));
    void slot.worker.terminate();
    this.checkDrained();
  }

  private checkDrained(): void {
    if (this.drained && this.queue.length === 0 && this.busyCount() === 0) this.drained();
  }
}
