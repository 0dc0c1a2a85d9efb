/**
 * The redelivery buffer's storage: batches that failed to export, oldest first, bounded in
 * items (not batches, which range from 1 to 512 items). When a new batch does not fit, the
 * oldest items make room: the newest data is what someone looking at the service wants to
 * see, and a batch the collector keeps failing on sits at the front, so a full buffer also
 * clears it out. The batch being re-sent right now is outside the buffer but still takes its
 * room (`reserved`); it is never cut, so when only it remains, the new batch loses its own
 * oldest items instead.
 */
export class HeldBatches<T> {
  private readonly batches: T[][] = [];
  private held = 0;

  constructor(readonly maxItems: number) {}

  /** Items in the buffer (the batch being re-sent not included). */
  get items(): number { return this.held; }

  get isEmpty(): boolean { return this.batches.length === 0; }

  /**
   * Adds a batch after the others, first dropping the oldest items past the bound
   * (`reserved` = items held outside, in the batch being re-sent). Returns how many items
   * were dropped, the new batch's included.
   */
  push(batch: T[], reserved = 0): number {
    let excess = this.held + reserved + batch.length - this.maxItems;
    let dropped = 0;
    while (excess > 0 && this.batches.length > 0) {
      const oldest = this.batches[0];
      if (oldest.length <= excess) {
        this.batches.shift();
        this.held -= oldest.length;
        excess -= oldest.length;
        dropped += oldest.length;
      } else {
        this.batches[0] = oldest.slice(excess);
        this.held -= excess;
        dropped += excess;
        excess = 0;
      }
    }
    let kept = batch;
    if (excess > 0) {
      const cut = Math.min(excess, batch.length);
      kept = batch.slice(cut);
      dropped += cut;
    }
    if (kept.length > 0) {
      this.batches.push(kept);
      this.held += kept.length;
    }
    return dropped;
  }

  /** Takes out the oldest batch. */
  shift(): T[] | undefined {
    const batch = this.batches.shift();
    if (batch) this.held -= batch.length;
    return batch;
  }

  /** Puts a batch back in front (its redelivery failed; it stayed within the bound as `reserved`). */
  unshift(batch: T[]): void {
    this.batches.unshift(batch);
    this.held += batch.length;
  }

  /** Empties the buffer; returns how many items it held. */
  clear(): number {
    const n = this.held;
    this.batches.length = 0;
    this.held = 0;
    return n;
  }
}
