/**
 * The (trace id, span id) keys of the spans stored most recently, held in memory so that the
 * writer can tell, without asking DuckDB, that a span of a stored trace is not stored yet —
 * the common case; a retried batch is the exception. The answer is exact in one direction
 * only: "certainly new" is trusted, anything else falls back to the database lookup.
 *
 * Invariant: every stored span whose start is at or after `coverFromNs` has its fingerprint
 * here. Evicting a key raises `coverFromNs` past that span's start, so the invariant holds;
 * deleted spans may leave fingerprints behind, which only costs a database lookup.
 *
 * A span's identity is (trace id, span id), not its times: a retry may carry another start than
 * the copy stored. So the question is asked with the start range of what its trace has stored
 * (execution_data.min_start_ns), never with the new copy's own start.
 */
import type { IngestSpan } from '../span-model/span.js';

const NOTHING_COVERED = 2n ** 63n - 1n;
const EVERYTHING_COVERED = -(2n ** 63n);

/** A 52-bit number from a span id and its trace id: exact enough, and a plain JS number. */
export function spanFingerprint(traceId: string, spanId: string): number {
  return Number.parseInt(spanId.slice(0, 11), 16) * 2 ** 8 + Number.parseInt(traceId.slice(-2), 16);
}

export class RecentSpanKeys {
  private readonly counts = new Map<number, number>();
  private readonly ring: Float64Array;
  private readonly starts: BigInt64Array;
  private head = 0;
  private size = 0;
  /** Spans starting at or after this are all known here (when stored at all). */
  coverFromNs = NOTHING_COVERED;

  constructor(readonly capacity: number) {
    this.ring = new Float64Array(capacity);
    this.starts = new BigInt64Array(capacity);
  }

  /** Starts coverage from the newest stored spans (newest first); `complete` when that was all of them. */
  load(newestFirst: Array<{ traceId: string; spanId: string; startNs: bigint }>, complete: boolean): void {
    for (let i = newestFirst.length - 1; i >= 0; i--) {
      const s = newestFirst[i];
      this.push(spanFingerprint(s.traceId, s.spanId), s.startNs);
    }
    const oldest = newestFirst[newestFirst.length - 1];
    this.coverFromNs = complete || !oldest ? EVERYTHING_COVERED : oldest.startNs + 1n;
  }

  /** Remembers spans that were just committed. */
  addAll(spans: IngestSpan[]): void {
    for (const s of spans) this.push(spanFingerprint(s.traceId, s.spanId), s.startTimeUnixNano);
  }

  /**
   * True when span (traceId, spanId) cannot be stored already, given that every stored span of its
   * trace starts at or after `storedFromNs` (its execution row's min_start_ns).
   */
  certainlyNew(traceId: string, spanId: string, storedFromNs: bigint): boolean {
    return storedFromNs >= this.coverFromNs && !this.counts.has(spanFingerprint(traceId, spanId));
  }

  private push(fingerprint: number, startNs: bigint): void {
    if (this.size === this.capacity) this.evictOldest();
    const at = (this.head + this.size) % this.capacity;
    this.ring[at] = fingerprint;
    this.starts[at] = startNs;
    this.size += 1;
    this.counts.set(fingerprint, (this.counts.get(fingerprint) ?? 0) + 1);
  }

  private evictOldest(): void {
    const fingerprint = this.ring[this.head];
    const start = this.starts[this.head];
    this.head = (this.head + 1) % this.capacity;
    this.size -= 1;
    const left = (this.counts.get(fingerprint) ?? 1) - 1;
    if (left === 0) this.counts.delete(fingerprint);
    else this.counts.set(fingerprint, left);
    if (start + 1n > this.coverFromNs) this.coverFromNs = start + 1n;
  }
}
