/**
 * Opening and closing the spans of executions and nodes: start time shared with the start
 * mark, input captured at start, outcome (status, exception event, output, which node
 * failed) written at the end. Both functions swallow their own failures: opening returns
 * undefined (the caller then runs the user's code untraced), closing never throws.
 */
import {
  SpanStatusCode, trace, type Attributes, type Context, type Link, type Span, type SpanKind,
} from '@opentelemetry/api';
import { ATTR_ERROR_NODE_ID } from './conventions.js';
import { emitStartMark } from './capture/marks.js';
import { serializePayload } from './capture/serialize.js';
import { withFrame, type AbortState, type ExecutionState, type Frame } from './frame.js';
import { internalError, rt } from './runtime.js';

/** How a span ended. */
export type Outcome = 'success' | 'error' | 'cancelled' | 'timed_out' | 'skipped';

/** Marks "no input given" (undefined is a legitimate input, written as nothing). */
export const NO_INPUT: unique symbol = Symbol('flowtrace.noInput');

/** What {@link openFrame} needs. */
export interface OpenSpec {
  name: string;
  kind: SpanKind;
  role: 'root' | 'node';
  attributes: Attributes;
  parentCtx: Context;
  exec: ExecutionState;
  nodeId?: string;
  abort?: AbortState;
  input?: unknown;
  inputAttr: string;
  outputAttr: string;
  statusAttr: string;
  links?: Link[];
  /** A root that continues a remote parent (incoming traceparent) instead of starting a trace. */
  keepParent?: boolean;
}

/** Spans opened and not yet closed, oldest first (so they can be ended when the process stops). */
const openFrames = new Set<Frame>();

/**
 * Ends every span still open, innermost first, as `cancelled` with the given reason: used at
 * shutdown so executions cut short by a stopping service do not stay "running" in the viewer.
 * Returns how many spans were ended.
 */
export function closeOpenSpans(reason: string): number {
  const open = [...openFrames].reverse();
  const error = new Error(reason);
  for (const frame of open) closeFrame(frame, 'cancelled', error);
  return open.length;
}

/** Current time in epoch milliseconds with sub-millisecond precision. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Starts a span, emits its start mark and returns its frame; undefined if tracing failed. */
export function openFrame(spec: OpenSpec): Frame | undefined {
  try {
    const r = rt();
    const attrs = spec.attributes;
    if (r.capture.payloads && spec.input !== NO_INPUT && spec.input !== undefined) {
      const text = serializePayload(spec.input, { maxLength: r.capture.maxPayloadLength, redactor: r.redactor });
      if (text !== undefined) attrs[spec.inputAttr] = text;
    }
    const startTime = nowMs();
    const root = spec.role === 'root' && !spec.keepParent;
    const span: Span = r.tracer.startSpan(
      spec.name,
      { kind: spec.kind, attributes: attrs, startTime, root, links: spec.links },
      spec.parentCtx,
    );
    if (spec.role === 'root') spec.exec.root = span;
    const frame: Frame = {
      span,
      ctx: undefined as unknown as Context,
      exec: spec.exec,
      role: spec.role,
      nodeId: spec.nodeId,
      abort: spec.abort,
      outputAttr: spec.outputAttr,
      statusAttr: spec.statusAttr,
      inputAttr: spec.inputAttr,
      ended: false,
    };
    (frame as { ctx: Context }).ctx = withFrame(trace.setSpan(spec.parentCtx, span), frame);
    openFrames.add(frame);
    if (r.capture.startMarks && span.isRecording()) {
      const parentId = root ? undefined : trace.getSpanContext(spec.parentCtx)?.spanId;
      emitStartMark(frame.ctx, spec.name, spec.kind, attrs, parentId, startTime);
    }
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
  openFrames.delete(frame);
  try {
    const span = frame.span;
    if (outcome === 'success') {
      writeOutput(frame, value);
      const failure = frame.judge?.(value);
      if (failure !== undefined) {
        outcome = 'error';
        span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
      } else span.setStatus({ code: SpanStatusCode.OK });
    } else if (outcome === 'error' || outcome === 'timed_out') {
      if (value !== undefined) recordError(span, value);
      span.setStatus({ code: SpanStatusCode.ERROR, message: statusMessage ?? messageOf(value) });
      noteFailure(frame, value);
    } else if (outcome === 'skipped') {
      writeOutput(frame, undefined);
    } else if (outcome === 'cancelled') {
      if (value !== undefined) recordError(span, value);
      noteFailure(frame, value);
    }
    span.setAttribute(frame.statusAttr, outcome);
    span.end(nowMs()); // same clock as the start time, so a zero-length span never ends before it starts
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
  const text = serializePayload(out, { maxLength: r.capture.maxPayloadLength, redactor: r.redactor });
  if (text !== undefined) frame.span.setAttribute(frame.outputAttr, text);
}

/** Records a thrown value as the standard `exception` event. */
export function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  else if (typeof error === 'string') span.recordException(error);
  else span.recordException({ name: typeof error, message: messageOf(error) });
}

/** A readable message for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try { return String(error); } catch { return 'unknown error'; }
}

function noteFailure(frame: Frame, error: unknown): void {
  if (frame.role === 'node' && frame.nodeId !== undefined) {
    if (error !== null && typeof error === 'object' && !frame.exec.errorNodes.has(error)) {
      frame.exec.errorNodes.set(error, frame.nodeId);
    }
    return;
  }
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e !== null && typeof e === 'object'; depth++) {
    const nodeId = frame.exec.errorNodes.get(e);
    if (nodeId !== undefined) {
      frame.span.setAttribute(ATTR_ERROR_NODE_ID, nodeId);
      return;
    }
    e = (e as { cause?: unknown }).cause;
  }
}
