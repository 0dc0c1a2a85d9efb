/**
 * Start marks: an SDK exports a span only when it ends, so for a root or node span that is
 * still running an OTLP log record says that it started. The record carries the span's trace
 * and span ids (through its context), the span's start time as its timestamp, the span's
 * start attributes and the mark attributes from conventions.ts. The collector turns it into
 * a `running` row, which the span replaces when it ends.
 *
 * A mark is sent only for a span still open `startMarkDelayMs` after it started (default
 * 100 ms; 0 sends every mark at once, at the start). A span that ends sooner is exported
 * ended, within the same second, so its mark would show nothing the span does not, and
 * writing one costs as much as the span itself. Long nodes and executions are what the
 * marks are for, and they still show as running, at most that delay later. One unref'd timer
 * walks the spans opened since its last turn; nothing is allocated per span.
 */
import { ROOT_CONTEXT, context, trace, type Attributes } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  ATTR_MARK, ATTR_MARK_PARENT_SPAN_ID, ATTR_MARK_SPAN_KIND, ATTR_MARK_SPAN_NAME, MARK_SPAN_START,
} from '../conventions.js';
import { scanOpenFrames, type Frame } from '../frame.js';
import { internalError, rt } from '../runtime.js';

let timer: ReturnType<typeof setTimeout> | undefined;

/**
 * Arranges the start mark of a frame that has just opened (and is linked in the open list),
 * whose span has copied `attributes` already: sent now when the delay is 0, else by the timer
 * if the span is still open then.
 */
export function scheduleStartMark(frame: Frame, attributes: Attributes, delayMs: number): void {
  if (delayMs <= 0) return emitStartMark(frame, attributes);
  frame.markAttributes = attributes;
  if (timer === undefined) arm(delayMs);
}

function arm(ms: number): void {
  // Armed outside any execution, so the timer holds no span's context alive.
  timer = context.with(ROOT_CONTEXT, () => setTimeout(sendDueMarks, ms));
  timer.unref?.();
}

function sendDueMarks(): void {
  timer = undefined;
  try {
    const delay = rt().capture.startMarkDelayMs;
    const now = performance.timeOrigin + performance.now();
    const notDue = scanOpenFrames(now - delay, (frame) => {
      const attributes = frame.markAttributes;
      if (attributes === undefined || frame.ended) return;
      frame.markAttributes = undefined;
      emitStartMark(frame, attributes);
    });
    if (notDue) arm(Math.max(1, notDue.startTime + delay - now));
  } catch (e) {
    internalError('start marks', e);
  }
}

/** Emits the start mark of a frame now; never throws. Adds the mark attributes to `attrs` (the span has its own copy). */
export function emitStartMark(frame: Frame, attrs: Attributes): void {
  try {
    attrs[ATTR_MARK] = MARK_SPAN_START;
    attrs[ATTR_MARK_SPAN_NAME] = frame.name;
    attrs[ATTR_MARK_SPAN_KIND] = frame.kind + 1; // api SpanKind is 0-based, OTLP's is 1-based
    const parentSpanId = frame.startsTrace ? undefined : trace.getSpanContext(frame.parentCtx)?.spanId;
    if (parentSpanId) attrs[ATTR_MARK_PARENT_SPAN_ID] = parentSpanId;
    rt().logger.emit({
      timestamp: frame.startTime,
      severityNumber: SeverityNumber.DEBUG,
      severityText: 'DEBUG',
      body: `span.start ${frame.name}`,
      attributes: attrs,
      context: frame,
    });
  } catch (e) {
    internalError('start mark', e);
  }
}
