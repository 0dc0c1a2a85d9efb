/**
 * Opening and closing the spans of executions and nodes: start time shared with the start
 * mark, input serialised at start (the value as it was then), outcome (status, exception
 * event, output, which node failed) written at the end. Both functions swallow their own
 * failures: opening returns undefined (the caller then runs the user's code untraced),
 * closing never throws. Open frames are linked in a list (frame.ts) until they close.
 */
import {
  SpanStatusCode, trace, type Attributes, type HrTime, type Link, type Span, type SpanStatus,
} from '@opentelemetry/api';
import { ATTR_ERROR_NODE_ID } from './conventions.js';
import { scheduleStartMark } from './capture/marks.js';
import { redactError } from './capture/redact.js';
import { serializePayload } from './capture/serialize.js';
import { Frame, linkOpenFrame, openFramesNewestFirst, unlinkOpenFrame, type FrameSpec } from './frame.js';
import { internalError, rt } from './runtime.js';

/** How a span ended. */
export type Outcome = 'success' | 'error' | 'cancelled' | 'timed_out' | 'skipped';

/** Marks "no input given" (undefined is a legitimate input, written as nothing). */
export const NO_INPUT: unique symbol = Symbol('flowtrace.noInput');

/** What {@link openFrame} needs. */
export interface OpenSpec extends FrameSpec {
  /** The span's start attributes; the input is added to them, and the start mark reuses them. */
  attributes: Attributes;
  input?: unknown;
  links?: Link[];
  /** A root that continues a remote parent (incoming traceparent) instead of starting a trace. */
  keepParent?: boolean;
}

const STATUS_OK: SpanStatus = Object.freeze({ code: SpanStatusCode.OK });

/**
 * Ends every span still open, innermost first, as `cancelled` with the given reason: used at
 * shutdown so executions cut short by a stopping service do not stay "running" in the viewer.
 * Returns how many spans were ended.
 */
export function closeOpenSpans(reason: string): number {
  const open = openFramesNewestFirst();
  const error = new Error(reason);
  for (const frame of open) closeFrame(frame, 'cancelled', error);
  return open.length;
}

/** The process's time origin, read once (the getter is not free and the value never changes). */
const TIME_ORIGIN = performance.timeOrigin;

/** Current time in epoch milliseconds with sub-millisecond precision. */
export function nowMs(): number {
  return TIME_ORIGIN + performance.now();
}

/**
 * Epoch milliseconds as [seconds, nanoseconds], computed as the SDK's millisToHrTime does (so
 * a start mark given the milliseconds carries the very same time). Handing the SDK an HrTime
 * spares it a clock read per conversion.
 */
export function toHrTime(ms: number): HrTime {
  return [Math.trunc(ms / 1000), Math.round((ms % 1000) * 1e6)];
}

/** Starts a span, arranges its start mark and returns its frame; undefined if tracing failed. */
export function openFrame(spec: OpenSpec): Frame | undefined {
  try {
    const r = rt();
    const attrs = spec.attributes;
    if (r.capture.payloads && spec.input !== NO_INPUT && spec.input !== undefined) {
      // Serialised now, not later: the input as it was when the span started, even if the
      // code mutates the object afterwards.
      const text = serializePayload(spec.input, r.payloadOptions);
      if (text !== undefined) attrs[spec.inputAttr] = text;
    }
    const startTime = nowMs();
    const startsTrace = spec.role === 'root' && !spec.keepParent;
    // `root` makes the SDK copy the context without its span: asked for only when there is one.
    const root = startsTrace && trace.getSpan(spec.parentCtx) !== undefined;
    const span: Span = r.tracer.startSpan(
      spec.name,
      { kind: spec.kind, attributes: attrs, startTime: toHrTime(startTime), root, links: spec.links },
      spec.parentCtx,
    );
    if (spec.role === 'root') spec.exec.root = span;
    const frame = new Frame(span, spec, startTime, startsTrace);
    linkOpenFrame(frame);
    if (r.capture.startMarks && span.isRecording()) scheduleStartMark(frame, attrs, r.capture.startMarkDelayMs);
    return frame;
  } catch (e) {
    internalError('open span', e);
    return undefined;
  }
}

/** Ends a frame's span with an outcome; `value` is the output or the error. Idempotent, never throws. */
export function closeFrame(frame: Frame, outcome: Outcome, value: unknown, statusMessage?: string): void {
  if (frame.ended) return;
  frame.ended = true;
  frame.markAttributes = undefined; // its span is about to be exported ended: no mark needed
  unlinkOpenFrame(frame);
  try {
    frame.onClose?.();
    const span = frame.span;
    if (outcome === 'success') {
      writeOutput(frame, value);
      const failure = frame.judge?.(value);
      if (failure !== undefined) {
        outcome = 'error';
        span.setStatus({ code: SpanStatusCode.ERROR, message: rt().redactor.redactText(failure) });
      } else span.setStatus(STATUS_OK);
    } else if (outcome === 'error' || outcome === 'timed_out') {
      if (value !== undefined) recordError(span, value);
      span.setStatus({ code: SpanStatusCode.ERROR, message: rt().redactor.redactText(statusMessage ?? messageOf(value)) });
      noteFailure(frame, value);
    } else if (outcome === 'skipped') {
      writeOutput(frame, undefined);
    } else if (outcome === 'cancelled') {
      if (value !== undefined) recordError(span, value);
      noteFailure(frame, value);
    }
    span.setAttribute(frame.statusAttr, outcome);
    span.end(toHrTime(nowMs())); // same clock as the start time, so a zero-length span never ends before it starts
  } catch (e) {
    internalError('close span', e);
  }
}

function writeOutput(frame: Frame, value: unknown): void {
  const r = rt();
  if (!r.capture.payloads) return;
  let out = frame.explicitOutput ? frame.explicitOutput.value : value;
  if (frame.sent && out === undefined) out = frame.sent.join('');
  if (out === undefined) return;
  const text = serializePayload(out, r.payloadOptions);
  if (text !== undefined) frame.span.setAttribute(frame.outputAttr, text);
}

/** Records a thrown value as the standard `exception` event, secrets in its message and stack replaced. */
export function recordError(span: Span, error: unknown): void {
  const redactor = rt().redactor;
  if (error instanceof Error) span.recordException(redactError(error, redactor));
  else if (typeof error === 'string') span.recordException(redactor.redactText(error));
  else span.recordException({ name: typeof error, message: redactor.redactText(messageOf(error)) });
}

/** A readable message for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try { return String(error); } catch { return 'unknown error'; }
}

function noteFailure(frame: Frame, error: unknown): void {
  if (frame.role === 'node' && frame.nodeId !== undefined) {
    if (error !== null && typeof error === 'object') {
      const errorNodes = (frame.exec.errorNodes ??= new WeakMap());
      if (!errorNodes.has(error)) errorNodes.set(error, frame.nodeId);
    }
    return;
  }
  const errorNodes = frame.exec.errorNodes;
  if (errorNodes === undefined) return;
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e !== null && typeof e === 'object'; depth++) {
    const nodeId = errorNodes.get(e);
    if (nodeId !== undefined) {
      frame.span.setAttribute(ATTR_ERROR_NODE_ID, nodeId);
      return;
    }
    e = (e as { cause?: unknown }).cause;
  }
}
