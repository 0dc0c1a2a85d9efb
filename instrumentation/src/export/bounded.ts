/**
 * Bounded export queues. The SDK's batch processors already drop when full, silently; these
 * wrappers keep their own count of items waiting (queued or in an export), drop new items
 * past the bound before they reach the batch processor, count drops and failed exports, and
 * report both through the OpenTelemetry diagnostics logger (throttled). Memory stays bounded
 * whatever the collector does: down, slow or answering errors.
 */
import { context, diag, type Context } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, LogRecordProcessor, ReadableLogRecord, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Counters of one export pipeline. */
export interface ExportStats {
  /** Items waiting in the queue or in an export right now. */
  pending: number;
  /** Items dropped because the queue was full. */
  dropped: number;
  /** Items in exports that failed (collector down, errors). */
  failed: number;
  /** Items exported successfully. */
  exported: number;
}

const REPORT_EVERY_MS = 10_000;

/** Shared accounting between a bounded processor and its exporter. */
export class ExportAccount {
  readonly stats: ExportStats = { pending: 0, dropped: 0, failed: 0, exported: 0 };
  private lastReport = 0;
  private reportedDropped = 0;
  private reportedFailed = 0;

  constructor(readonly what: string, readonly maxQueueSize: number) {}

  /** Takes a slot for one item; false (and counted) when the queue is full. */
  admit(): boolean {
    if (this.stats.pending >= this.maxQueueSize) {
      this.stats.dropped++;
      this.report();
      return false;
    }
    this.stats.pending++;
    return true;
  }

  /** Releases slots when items leave the queue for an export. */
  release(n: number): void {
    this.stats.pending = Math.max(0, this.stats.pending - n);
  }

  /** Records an export's result. */
  settled(n: number, ok: boolean): void {
    if (ok) this.stats.exported += n;
    else {
      this.stats.failed += n;
      this.report();
    }
  }

  private report(): void {
    const now = Date.now();
    if (now - this.lastReport < REPORT_EVERY_MS) return;
    this.lastReport = now;
    const dropped = this.stats.dropped - this.reportedDropped;
    const failed = this.stats.failed - this.reportedFailed;
    this.reportedDropped = this.stats.dropped;
    this.reportedFailed = this.stats.failed;
    const message = `flowtrace: ${this.what}: ${dropped} dropped (queue full at ${this.maxQueueSize}) and ${failed} failed to export ` +
      `since the last report; totals dropped=${this.stats.dropped} failed=${this.stats.failed}`;
    // Suppressed context: a console diag logger must not turn this into a console line of the user's span.
    context.with(suppressTracing(context.active()), () => diag.warn(message));
  }
}

/** Span exporter that releases queue slots and counts results. */
export class CountingSpanExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter, private readonly account: ExportAccount) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.account.release(spans.length);
    this.inner.export(spans, (result) => {
      this.account.settled(spans.length, result.code === ExportResultCode.SUCCESS);
      done(result);
    });
  }
  shutdown(): Promise<void> { return this.inner.shutdown(); }
  forceFlush(): Promise<void> { return this.inner.forceFlush?.() ?? Promise.resolve(); }
}

/** Span processor that admits finished spans into a bounded queue. */
export class BoundedSpanProcessor implements SpanProcessor {
  constructor(private readonly inner: SpanProcessor, private readonly account: ExportAccount) {}
  onStart(span: Span, ctx: Context): void { this.inner.onStart(span, ctx); }
  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & 1) === 0) return; // not sampled: the batch processor ignores it too
    if (this.account.admit()) this.inner.onEnd(span);
  }
  forceFlush(): Promise<void> { return this.inner.forceFlush(); }
  shutdown(): Promise<void> { return this.inner.shutdown(); }
}

/** Log exporter that releases queue slots and counts results. */
export class CountingLogExporter implements LogRecordExporter {
  constructor(private readonly inner: LogRecordExporter, private readonly account: ExportAccount) {}
  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    this.account.release(records.length);
    this.inner.export(records, (result) => {
      this.account.settled(records.length, result.code === ExportResultCode.SUCCESS);
      done(result);
    });
  }
  shutdown(): Promise<void> { return this.inner.shutdown(); }
  forceFlush(): Promise<void> { return this.inner.forceFlush?.() ?? Promise.resolve(); }
}

/** Log processor that admits records into a bounded queue. */
export class BoundedLogProcessor implements LogRecordProcessor {
  constructor(private readonly inner: LogRecordProcessor, private readonly account: ExportAccount) {}
  onEmit(record: ReadWriteLogRecord, ctx?: Context): void {
    if (this.account.admit()) this.inner.onEmit(record, ctx);
  }
  forceFlush(): Promise<void> { return this.inner.forceFlush(); }
  shutdown(): Promise<void> { return this.inner.shutdown(); }
}
