/**
 * Running user code inside a span: the code runs in the span's context, its return value
 * and thrown value pass through untouched, and the span is closed with the right outcome.
 * For a promise the caller gets a promise settling with the same value or the same error
 * (so an unhandled rejection stays unhandled).
 * A timeout or an AbortSignal makes the returned promise settle when the limit fires,
 * with the signal's reason, while the code's own signal is aborted so it can stop. Code that
 * does not stop is still reported as it is: when it returns after that, or throws more than a
 * second later, a warning line on its span says how long it went on.
 */
import { context } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { setMaxListeners } from 'node:events';
import type { AbortKind, AbortState, Frame } from './frame.js';
import { internalError, rt } from './runtime.js';
import { closeFrame, nowMs, type Outcome } from './spans.js';

/** Limits a caller can put on an execution or a node. */
export interface Limits {
  /** Aborting it cancels the execution or node (status `cancelled`). */
  signal?: AbortSignal;
  /** After this many milliseconds the execution or node is aborted (status `timed_out`). */
  timeoutMs?: number;
}

/** Rejection reason when a timeout option fires. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(message: string) {
    super(message);
  }
}

/** A signal that never aborts, handed to code that runs without limits. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/** An abort controller fed by a caller's signal, a timeout and the parent's signal. */
export class OwnAbort implements AbortState {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly cleanups: Array<() => void> = [];
  kind: AbortKind | undefined;

  constructor(limits: Limits, parent: AbortState | undefined, what: string) {
    // Every node of the execution may listen to this one signal (50 parallel nodes are normal).
    setMaxListeners(0, this.controller.signal);
    if (limits.signal) this.follow(limits.signal, () => 'cancelled');
    if (parent) this.follow(parent.signal, () => parent.kind ?? 'cancelled');
    if (limits.timeoutMs !== undefined && !this.signal.aborted) {
      const ms = limits.timeoutMs;
      this.timer = setTimeout(() => this.fire('timed_out', new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
      this.timer.unref?.();
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private follow(source: AbortSignal, kind: () => AbortKind): void {
    if (source.aborted) return this.fire(kind(), source.reason);
    const onAbort = (): void => this.fire(kind(), source.reason);
    source.addEventListener('abort', onAbort, { once: true });
    this.cleanups.push(() => source.removeEventListener('abort', onAbort));
  }

  private fire(kind: AbortKind, reason: unknown): void {
    if (this.controller.signal.aborted) return;
    this.kind = kind;
    this.controller.abort(reason);
  }

  /** Stops the timer and detaches from the source signals. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.cleanups) c();
    this.cleanups.length = 0;
  }
}

/** Outcome of a thrown value: cancelled/timed_out when the span's signal fired, else error. */
export function classify(error: unknown, abort: AbortState | undefined): Outcome {
  if (abort?.signal.aborted) return abort.kind ?? 'cancelled';
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'AbortError') return 'cancelled';
  if (name === 'TimeoutError') return 'timed_out';
  return 'error';
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Runs `call` inside the frame's context and closes the frame with its outcome.
 * Without a frame (tracing failed) the call runs as is.
 */
export function runTraced<T>(frame: Frame | undefined, own: OwnAbort | undefined, call: () => T): T {
  if (!frame) return call();
  if (own?.signal.aborted) {
    own.dispose();
    const reason: unknown = own.signal.reason;
    closeFrame(frame, own.kind ?? 'cancelled', reason);
    return Promise.reject(reason) as T;
  }
  let result: T;
  try {
    result = context.with(frame.ctx, call);
  } catch (err) {
    own?.dispose();
    closeFrame(frame, classify(err, frame.abort), err);
    throw err;
  }
  if (!isThenable(result)) {
    own?.dispose();
    closeFrame(frame, 'success', result);
    return result;
  }
  if (!own) {
    // A derived promise, not the original: a rejection nobody handles must stay unhandled,
    // exactly as it would be without tracing (attaching a handler to the original hides it).
    return result.then(
      (v) => {
        closeFrame(frame, 'success', v);
        return v;
      },
      (e: unknown) => {
        closeFrame(frame, classify(e, frame.abort), e);
        throw e;
      },
    ) as T;
  }
  const pending = result;
  let abortedAt: number | undefined;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      abortedAt = nowMs();
      own.dispose();
      closeFrame(frame, own.kind ?? 'cancelled', own.signal.reason);
      reject(own.signal.reason);
    };
    own.signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (v) => {
        if (abortedAt !== undefined) return noteWentOn(frame, own.kind ?? 'cancelled', 'returned', abortedAt);
        own.signal.removeEventListener('abort', onAbort);
        own.dispose();
        closeFrame(frame, 'success', v);
        resolve(v);
      },
      (e) => {
        if (abortedAt !== undefined) return noteWentOn(frame, own.kind ?? 'cancelled', 'threw', abortedAt);
        own.signal.removeEventListener('abort', onAbort);
        own.dispose();
        closeFrame(frame, classify(e, own), e);
        reject(e);
      },
    );
  }) as T;
}

/** Code that throws within this long after its signal fired is taken as having stopped. */
const STOPPED_WITHIN_MS = 1_000;

/**
 * Reports code that went on after its span ended cancelled or timed out: it returned anyway, or
 * threw only later. A WARN log record on the span (the span itself has ended), so the viewer
 * shows, beside "cancelled", when the code really ended.
 */
function noteWentOn(frame: Frame, kind: AbortKind, how: 'returned' | 'threw', abortedAt: number): void {
  const ms = Math.round(nowMs() - abortedAt);
  if (how === 'threw' && ms < STOPPED_WITHIN_MS) return;
  try {
    const what = kind === 'timed_out' ? 'it timed out' : 'it was cancelled';
    const tail = how === 'returned' ? 'its result was dropped' : 'its error was dropped';
    rt().logger.emit({
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: `${frame.name} went on after ${what} and ${how} ${ms} ms later; ${tail}`,
      context: frame.ctx,
    });
  } catch (e) {
    internalError('note late end', e);
  }
}
