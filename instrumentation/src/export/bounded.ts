/**
 * Bounded export queues. The SDK's batch processors already drop when full, silently; these
 * wrappers keep their own count of items in the queue, drop new items past the bound before
 * they reach the batch processor, and count every export's result in the pipeline's
 * ExportAccount, which reports losses through the OpenTelemetry diagnostics logger
 * (throttled). A batch whose export fails after the OTLP exporter's own retries is handed to
 * the pipeline's Redelivery, which holds it (bounded) and sends it again once the collector is
 * back. Memory stays bounded whatever the collector does: down, slow or answering errors.
 */
import type { Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, LogRecordProcessor, ReadableLogRecord, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ExportAccount } from './account.js';
import type { Redelivery } from './redelivery.js';

export { ExportAccount, type ExportStats } from './account.js';

/** The part of an SDK exporter these wrappers use. */
export interface InnerExporter<T> {
  export(items: T[], done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/**
 * Exporter that counts each batch in the account and, when an export fails, hands the batch
 * to the redelivery (if any) instead of giving it up. The batch processor still gets the
 * export's true result.
 */
export class CountingExporter<T> {
  constructor(
    private readonly inner: InnerExporter<T>,
    private readonly account: ExportAccount,
    private readonly redelivery?: Redelivery<T>,
  ) {}

  export(items: T[], done: (result: ExportResult) => void): void {
    const n = items.length;
    this.account.exportStarted(n);
    let settled = false;
    const onResult = (result: ExportResult): void => {
      if (settled) return;
      settled = true;
      if (result.code === ExportResultCode.SUCCESS) {
        this.account.exportSucceeded(n);
        this.redelivery?.collectorAccepted();
      } else if (!this.redelivery?.hold(items, result.error)) {
        this.account.exportFailed(n);
      }
      done(result);
    };
    try {
      this.inner.export(items, onResult);
    } catch (error) {
      onResult({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  /** Stops redelivering (what is still held is given up and counted), then the exporter. */
  shutdown(): Promise<void> {
    this.redelivery?.close();
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> { return this.inner.forceFlush?.() ?? Promise.resolve(); }
}

/** Span exporter that counts results and hands failed batches to the redelivery. */
export class CountingSpanExporter extends CountingExporter<ReadableSpan> implements SpanExporter {
  constructor(inner: SpanExporter, account: ExportAccount, redelivery?: Redelivery<ReadableSpan>) { super(inner, account, redelivery); }
}

/** Log exporter that counts results and hands failed batches to the redelivery. */
export class CountingLogExporter extends CountingExporter<ReadableLogRecord> implements LogRecordExporter {
  constructor(inner: LogRecordExporter, account: ExportAccount, redelivery?: Redelivery<ReadableLogRecord>) { super(inner, account, redelivery); }
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

/** Log processor that admits records into a bounded queue. */
export class BoundedLogProcessor implements LogRecordProcessor {
  constructor(private readonly inner: LogRecordProcessor, private readonly account: ExportAccount) {}
  onEmit(record: ReadWriteLogRecord, ctx?: Context): void {
    if (this.account.admit()) this.inner.onEmit(record, ctx);
  }
  forceFlush(): Promise<void> { return this.inner.forceFlush(); }
  shutdown(): Promise<void> { return this.inner.shutdown(); }
}
