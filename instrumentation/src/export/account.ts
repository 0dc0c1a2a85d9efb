/**
 * The bookkeeping of one export pipeline (spans or log records): where every item offered to
 * it is right now, or how it ended, in counters that never count an item twice, plus one
 * throttled `diag` warning when items are lost or held back. The bounded processors, the
 * counting exporters and the redelivery buffer all report here; `tracing.stats()` reads it.
 *
 * At any moment, every item offered to the pipeline is in exactly one of
 * `pending`, `exporting`, `buffered`, `dropped`, `failed` and `exported`
 * (`redelivered` is the part of `exported` that came through a redelivery).
 */
import { context, diag } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** Counters of one export pipeline. */
export interface ExportStats {
  /** Items in the queue, waiting for an export (at most the queue size). */
  pending: number;
  /** Items in a first export request whose result is not in yet (the OTLP exporter's own retries included). */
  exporting: number;
  /** Items held for redelivery after a failed export, the batch being re-sent included (at most the redelivery buffer size). */
  buffered: number;
  /** Items lost for lack of room: refused because the queue was full, or pushed out of the full redelivery buffer (oldest first). */
  dropped: number;
  /**
   * Items given up for another reason: the collector refused them for good (an HTTP error
   * other than 429/502/503/504, which the OTLP specification forbids to retry), redelivery is
   * turned off, or they were still held when tracing shut down.
   */
  failed: number;
  /** Items the collector accepted, at their first export or at a redelivery. */
  exported: number;
  /** Of `exported`, the items that arrived through a redelivery. */
  redelivered: number;
}

/** All counters at zero. */
export function emptyExportStats(): ExportStats {
  return { pending: 0, exporting: 0, buffered: 0, dropped: 0, failed: 0, exported: 0, redelivered: 0 };
}

const REPORT_EVERY_MS = 10_000;

/** Shared accounting between a bounded processor, its exporter and its redelivery buffer. */
export class ExportAccount {
  readonly stats: ExportStats = emptyExportStats();
  private lastReport = 0;
  private reportedDropped = 0;
  private reportedFailed = 0;

  constructor(readonly what: string, readonly maxQueueSize: number) {}

  /** Takes a queue slot for one item; false (and counted as dropped) when the queue is full. */
  admit(): boolean {
    if (this.stats.pending >= this.maxQueueSize) {
      this.stats.dropped++;
      this.report();
      return false;
    }
    this.stats.pending++;
    return true;
  }

  /** Items leave the queue for an export request. */
  exportStarted(n: number): void {
    this.stats.pending = Math.max(0, this.stats.pending - n);
    this.stats.exporting += n;
  }

  /** A first export was accepted. */
  exportSucceeded(n: number): void {
    this.stats.exporting = Math.max(0, this.stats.exporting - n);
    this.stats.exported += n;
  }

  /** A first export failed and its items are given up. */
  exportFailed(n: number): void {
    this.stats.exporting = Math.max(0, this.stats.exporting - n);
    this.stats.failed += n;
    this.report();
  }

  /** A first export failed and its items are held for redelivery. */
  exportHeld(n: number): void {
    this.stats.exporting = Math.max(0, this.stats.exporting - n);
    this.stats.buffered += n;
    this.report();
  }

  /** Held items were pushed out of the full redelivery buffer. */
  heldDropped(n: number): void {
    this.stats.buffered = Math.max(0, this.stats.buffered - n);
    this.stats.dropped += n;
    this.report();
  }

  /** Held items were accepted by the collector at a redelivery. */
  heldDelivered(n: number): void {
    this.stats.buffered = Math.max(0, this.stats.buffered - n);
    this.stats.exported += n;
    this.stats.redelivered += n;
  }

  /** Held items are given up (refused for good, or tracing shut down). */
  heldFailed(n: number): void {
    this.stats.buffered = Math.max(0, this.stats.buffered - n);
    this.stats.failed += n;
    this.report();
  }

  /** At most one warning per 10 s, and only when something changed. */
  private report(): void {
    const now = Date.now();
    if (now - this.lastReport < REPORT_EVERY_MS) return;
    this.lastReport = now;
    const { dropped, failed, buffered } = this.stats;
    const newlyDropped = dropped - this.reportedDropped;
    const newlyFailed = failed - this.reportedFailed;
    this.reportedDropped = dropped;
    this.reportedFailed = failed;
    const message = `flowtrace: ${this.what}: ${buffered} held for redelivery; since the last report ${newlyDropped} dropped ` +
      `(queue or redelivery buffer full) and ${newlyFailed} given up; totals dropped=${dropped} failed=${failed}`;
    // Suppressed context: a console diag logger must not turn this into a console line of the user's span.
    context.with(suppressTracing(context.active()), () => diag.warn(message));
  }
}
