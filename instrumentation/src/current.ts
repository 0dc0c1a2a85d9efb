/**
 * Helpers for code running inside an execution: set the input, output or user of the
 * innermost span when they are not the function's argument or return value (an HTTP
 * handler's parsed body, for instance), and read its AbortSignal where no context object is
 * handed in (a Fastify route). All are no-ops outside an execution.
 */
import { context } from '@opentelemetry/api';
import { ATTR_ENDUSER_ID } from './conventions.js';
import { serializePayload } from './capture/serialize.js';
import { frameOf } from './frame.js';
import { NEVER_ABORTED } from './run.js';
import { internalError, rt } from './runtime.js';

/** Sets the input of the innermost node or execution. */
export function setInput(value: unknown): void {
  const frame = frameOf(context.active());
  const r = rt();
  if (!frame || frame.ended || !r.capture.payloads) return;
  try {
    const text = serializePayload(value, r.payloadOptions);
    if (text !== undefined) frame.span.setAttribute(frame.inputAttr, text);
  } catch (e) {
    internalError('setInput', e);
  }
}

/** Sets the output of the innermost node or execution (wins over its return value). */
export function setOutput(value: unknown): void {
  const frame = frameOf(context.active());
  if (frame && !frame.ended) frame.explicitOutput = { value };
}

/** Sets enduser.id on the root span of the current execution (ignored once the root has ended). */
export function setUser(userId: string): void {
  const root = frameOf(context.active())?.exec.root;
  if (root?.isRecording()) root.setAttribute(ATTR_ENDUSER_ID, userId);
}

/** Trace id of the current execution, or undefined outside one. */
export function currentTraceId(): string | undefined {
  return frameOf(context.active())?.span.spanContext().traceId;
}

/**
 * The AbortSignal of the innermost node or execution: it fires when that run is cancelled
 * (a control cancel, a caller's signal) or times out. A signal that never fires outside an
 * execution or when nothing can abort it.
 */
export function currentSignal(): AbortSignal {
  return frameOf(context.active())?.abort?.signal ?? NEVER_ABORTED;
}
