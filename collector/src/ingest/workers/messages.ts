/**
 * The messages between the ingest pool (main thread) and its workers. A job's body crosses as
 * its own copy, whose buffer is transferred (the request's buffer may be a slice of a larger one
 * that stays with the request); a result crosses as columns (batch-wire.ts).
 */
import type { IngestCaps } from '../ingest-caps.js';
import type { WireResult } from './batch-wire.js';
import type { IngestJob, WireError } from './jobs.js';

/** What a worker is started with. */
export interface WorkerConfig {
  caps?: Partial<IngestCaps>;
  /** Bodies starting with `flowtrace-test-hook:` crash, hang or slow the worker (tests only). */
  testHooks: boolean;
}

export interface ToWorker {
  id: number;
  job: IngestJob;
}

export type ToPool =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: WireResult }
  | { type: 'error'; id: number; error: WireError };

/** The job as it is posted: the body copied into a buffer of its own, which is transferred. */
export function toWireJob(id: number, job: IngestJob): { message: ToWorker; transfer: ArrayBuffer[] } {
  const body = new Uint8Array(job.body.length);
  body.set(job.body);
  return { message: { id, job: { ...job, body } }, transfer: [body.buffer] };
}

/**
 * The job as the worker runs it: the body as a Buffer over the transferred bytes (no copy), as the
 * main thread has it — protobufjs reads a Buffer's strings with Node's UTF-8 decoder and a plain
 * Uint8Array's with its own, and invalid UTF-8 must decode the same wherever the job runs.
 */
export function fromWireJob(job: IngestJob): IngestJob {
  return { ...job, body: Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength) };
}
