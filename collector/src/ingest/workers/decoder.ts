/**
 * IngestDecoder: where each ingest request body is decoded — in the worker pool (ingest-pool.ts)
 * or inline on the main thread. Every receiver (OTLP/HTTP, OTLP/gRPC, Zipkin) decodes through one
 * decoder, so the choice is made once, here:
 *
 * - `workers: 0`, or a pool whose workers cannot start: inline, as before the pool existed.
 * - a body smaller than `inlineBelowBytes`: inline too (a worker hop costs the main thread more
 *   than decoding a small body does; bench/PROFILING.md, "Session 8 — ingest workers").
 * - anything else: a worker.
 *
 * Either way a job gets the same answer (jobs.ts runs in both places).
 */
import { availableParallelism } from 'node:os';
import type { ConvertResult } from '../convert-common.js';
import type { IngestCaps } from '../ingest-caps.js';
import { IngestPool, type IngestPoolOptions, type IngestPoolStats, type Precheck } from './ingest-pool.js';
import { runJob, type IngestJob } from './jobs.js';

export interface IngestWorkerOptions extends Partial<Omit<IngestPoolOptions, 'caps'>> {
  /** Worker threads; 0 decodes every body on the main thread. Default: defaultIngestWorkers(). */
  workers?: number;
  /** Bodies smaller than this are decoded on the main thread (default DEFAULT_INLINE_BELOW_BYTES). */
  inlineBelowBytes?: number;
  /** How long close() waits for the jobs in the workers (default 5 s, within the CLI's 10 s stop). */
  closeTimeoutMs?: number;
}

/** Bodies below this size are decoded inline by default. */
export const DEFAULT_INLINE_BELOW_BYTES = 16 * 1024;

/**
 * The default number of workers: one per core beyond the main thread's, at most four (none on one
 * core, where a worker only adds the hop). On this project's 2-core machine: 1 (2 were no faster).
 */
export function defaultIngestWorkers(cores = availableParallelism()): number {
  return Math.max(0, Math.min(4, cores - 1));
}

export class IngestDecoder {
  private readonly pool: IngestPool | undefined;
  private readonly inlineBelowBytes: number;

  constructor(private readonly caps: Partial<IngestCaps> | undefined, private readonly options: IngestWorkerOptions = {}) {
    const workers = options.workers ?? defaultIngestWorkers();
    this.pool = workers > 0 ? new IngestPool({ ...options, workers, caps }) : undefined;
    this.inlineBelowBytes = options.inlineBelowBytes ?? DEFAULT_INLINE_BELOW_BYTES;
  }

  /** About how many rows the bodies in the workers will give (0 inline): see IngestPool.pendingRows. */
  pendingRows(): number {
    return this.pool?.pendingRows() ?? 0;
  }

  /** The pool's figures, undefined when decoding inline. */
  get poolStats(): IngestPoolStats | undefined {
    return this.pool?.stats;
  }

  /**
   * Decodes, validates and converts a body; rejects with the coded error the receivers answer.
   * `precheck` (the writer's refusal) is asked again right before a queued body is decoded in a
   * worker (the caller asked it before this call: inline, nothing waits in between).
   */
  decode(job: IngestJob, precheck?: Precheck): Promise<ConvertResult> {
    if (this.pool === undefined || this.pool.broken || job.body.length < this.inlineBelowBytes) {
      try {
        return Promise.resolve(runJob(job, this.caps));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.pool.run(job, precheck);
  }

  /** Waits for the bodies being decoded, then stops the workers (see IngestPool.close). */
  async close(): Promise<void> {
    await this.pool?.close(this.options.closeTimeoutMs);
  }
}

/** A decoder that decodes every body on the main thread (no workers). */
export function inlineDecoder(caps?: Partial<IngestCaps>): IngestDecoder {
  return new IngestDecoder(caps, { workers: 0 });
}
