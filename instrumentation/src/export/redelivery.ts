/**
 * Redelivery of failed export batches. The OTLP exporter retries a failed request itself, but
 * only within its timeout (5 s here: about four attempts); a collector down for longer would
 * lose every batch sent meanwhile. A batch that still fails after that is held here (bounded
 * in items, see HeldBatches) and sent again in the background: one redelivery request at a
 * time, after a backoff that starts at 1 s and doubles up to 30 s (with jitter, so services
 * restarted together do not knock together), straight on to the next batch after a success,
 * and at once, without waiting for the backoff, when a new batch gets through (the collector
 * is back). New batches do not wait behind the held ones: order means nothing to the
 * collector, which stores a span once per (trace id, span id), so fresh data arrives as soon
 * as the collector is back and the backlog follows.
 *
 * Timers are unref'd: a buffer waiting for a collector never keeps the process alive. Nothing
 * here throws or blocks; `drain()` (forceFlush, shutdown) never rejects and ends by its deadline.
 */
import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing, type ExportResult } from '@opentelemetry/core';
import type { ExportAccount } from './account.js';
import { HeldBatches } from './held-batches.js';
import { isRetryableFailure } from './retryable-failure.js';

/** What sends a batch: the OTLP exporter (span and log exporters both fit). */
export interface BatchSender<T> {
  export(items: T[], done: (result: ExportResult) => void): void;
}

/** Options of {@link Redelivery}. */
export interface RedeliveryOptions {
  /** Items held at most; 0 turns redelivery off (a failed batch is given up, as the SDK does). */
  maxItems: number;
  /** Wait before the first redelivery, doubled after each failed one. Default 1000 ms. */
  initialBackoffMs?: number;
  /** Longest wait between redeliveries. Default 30 000 ms. */
  maxBackoffMs?: number;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
}

/** How one redelivery request ended. */
type Outcome = 'delivered' | 'given-up' | 'held-again';

/** Holds failed batches and sends them again until the collector takes them. */
export class Redelivery<T> {
  private readonly held: HeldBatches<T>;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly random: () => number;
  /** The batch being re-sent, if any (one at a time). */
  private sending: T[] | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Failed redeliveries since the last success: the backoff's exponent. */
  private failures = 0;
  private closed = false;
  private settlements = 0;
  private lastOutcome: Outcome | undefined;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly sender: BatchSender<T>, private readonly account: ExportAccount, options: RedeliveryOptions) {
    const max = options.maxItems;
    this.held = new HeldBatches(Number.isFinite(max) && max > 0 ? Math.floor(max) : 0);
    this.initialBackoffMs = options.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  /** False when turned off (size 0) or after close(). */
  get enabled(): boolean { return this.held.maxItems > 0 && !this.closed; }

  /**
   * A first export of `items` failed with `error`. Holds them for redelivery and returns true
   * (they are counted as buffered, or dropped if the buffer overflows), or returns false when
   * they are not worth holding (redelivery off or closed, or refused for good): the caller
   * counts them as failed.
   */
  hold(items: T[], error: unknown): boolean {
    if (!this.enabled || items.length === 0 || !isRetryableFailure(error)) return false;
    this.account.exportHeld(items.length);
    const dropped = this.held.push(items, this.sending?.length ?? 0);
    if (dropped > 0) this.account.heldDropped(dropped);
    this.scheduleRetry();
    return true;
  }

  /** A new export got through: the collector is back, so redeliver now instead of after the backoff. */
  collectorAccepted(): void {
    if (this.closed || this.sending || this.held.isEmpty) return;
    this.failures = 0;
    this.sendNext();
  }

  /**
   * Sends the held batches one after another until none is left, one fails again (the
   * collector is still away: the background retries go on) or `deadline` (epoch ms) passes.
   * A redelivery already in flight is waited for first. Never rejects.
   */
  async drain(deadline: number): Promise<void> {
    try {
      let seen = this.settlements;
      while (!this.closed && Date.now() < deadline) {
        if (this.settlements !== seen) {
          seen = this.settlements;
          if (this.lastOutcome === 'held-again') return; // still unreachable
        }
        if (!this.sending) {
          if (this.held.isEmpty) return;
          this.sendNext(); // may settle at once: looked at on the next turn
          continue;
        }
        await this.settlementAfter(seen, deadline);
      }
    } catch {
      // never reject into forceFlush/shutdown
    }
  }

  /**
   * Stops redelivering: the backoff timer is cleared and what is still held is given up
   * (counted as failed). A redelivery in flight is counted when it ends.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    const n = this.held.clear();
    if (n > 0) this.account.heldFailed(n);
  }

  private scheduleRetry(): void {
    if (this.closed || this.sending || this.timer !== undefined || this.held.isEmpty) return;
    const base = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(this.failures, 30));
    const delay = base * (1 - 0.2 * this.random()); // jitter downwards: never past the maximum
    // Root context: the timer must not keep a user's request context (and what it refers to) alive.
    this.timer = context.with(ROOT_CONTEXT, () => setTimeout(() => {
      this.timer = undefined;
      this.sendNext();
    }, delay));
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private sendNext(): void {
    if (this.closed || this.sending) return;
    this.clearTimer();
    const batch = this.held.shift();
    if (!batch) return;
    this.sending = batch;
    let answered = false;
    const settle = (result: ExportResult, threw = false): void => {
      if (answered) return;
      answered = true;
      this.settle(batch, result, threw);
    };
    try {
      // Suppressed: the exporter's own HTTP request must not be traced.
      context.with(suppressTracing(ROOT_CONTEXT), () => this.sender.export(batch, (result) => settle(result)));
    } catch (error) {
      settle({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }, true);
    }
  }

  private settle(batch: T[], result: ExportResult, threw: boolean): void {
    this.sending = undefined;
    let outcome: Outcome;
    if (result.code === ExportResultCode.SUCCESS) {
      this.account.heldDelivered(batch.length);
      this.failures = 0;
      outcome = 'delivered';
    } else if (threw || this.closed || !isRetryableFailure(result.error)) {
      // Refused for good (or the exporter threw, and would again): sending it again cannot help.
      this.account.heldFailed(batch.length);
      outcome = 'given-up';
    } else {
      this.held.unshift(batch);
      this.failures++;
      outcome = 'held-again';
    }
    this.settlements++;
    this.lastOutcome = outcome;
    for (const notify of [...this.waiting]) notify();
    if (outcome === 'held-again') this.scheduleRetry();
    else this.sendNext();
  }

  /** Resolves once a redelivery has settled after the `seen`-th one, or at `deadline`. */
  private settlementAfter(seen: number, deadline: number): Promise<void> {
    if (this.settlements !== seen) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
      timer.unref?.();
      this.waiting.add(done);
    });
  }
}
