/**
 * Start marks: when a root or node span starts, an OTLP log record says so, because an SDK
 * exports a span only when it ends. The record carries the span's trace and span ids (through
 * its context), the span's start time as its timestamp, the span's start attributes and the
 * mark attributes from conventions.ts. The collector turns it into a `running` row.
 */
import type { Attributes, Context, SpanKind } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  ATTR_MARK, ATTR_MARK_PARENT_SPAN_ID, ATTR_MARK_SPAN_KIND, ATTR_MARK_SPAN_NAME, MARK_SPAN_START,
} from '../conventions.js';
import { internalError, rt } from '../runtime.js';

/** Emits the start mark of a span; never throws. Adds the mark attributes to `attributes` (the span has its own copy). */
export function emitStartMark(
  ctx: Context,
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  parentSpanId: string | undefined,
  startTime: number,
): void {
  try {
    // The span has copied its attributes already, so the caller's object is reused (not copied).
    const attrs = attributes;
    attrs[ATTR_MARK] = MARK_SPAN_START;
    attrs[ATTR_MARK_SPAN_NAME] = name;
    attrs[ATTR_MARK_SPAN_KIND] = kind + 1; // api SpanKind is 0-based, OTLP's is 1-based
    if (parentSpanId) attrs[ATTR_MARK_PARENT_SPAN_ID] = parentSpanId;
    rt().logger.emit({
      timestamp: startTime,
      severityNumber: SeverityNumber.DEBUG,
      severityText: 'DEBUG',
      body: `span.start ${name}`,
      attributes: attrs,
      context: ctx,
    });
  } catch (e) {
    internalError('start mark', e);
  }
}
