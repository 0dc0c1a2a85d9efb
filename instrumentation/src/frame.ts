/**
 * A frame is what the instrumentation knows about one open span of an execution: the span,
 * the execution it belongs to, how it can be aborted and what its start mark needs. A frame
 * is also the OpenTelemetry context its code runs in: it answers the span key itself (so
 * `trace.getActiveSpan()` and the spans of other instrumentations see its span) and the
 * frame key, and asks the context it was opened in for every other key. That costs one
 * object per span instead of the two copied contexts `trace.setSpan` + `setValue` make.
 * Frames travel in the active context (AsyncLocalStorage under the Node SDK), which is what
 * keeps concurrent executions, their nodes and their console lines apart.
 *
 * Open frames are also linked in a list, oldest first (linking and unlinking allocate
 * nothing), so start marks can be sent for spans still running and shutdown can end them.
 */
import {
  context, createContextKey, INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace, type Attributes, type Context, type Span,
  type SpanKind,
} from '@opentelemetry/api';

/** Shared by every span of one execution (trace). */
export interface ExecutionState {
  /** Next value of flow.node.index. */
  nodeCounter: number;
  /** Error object → id of the deepest node that failed with it (made at the first failure). */
  errorNodes: WeakMap<object, string> | undefined;
  /** The execution's root span, once open. */
  root?: Span;
}

/** Why a span's signal fired. */
export type AbortKind = 'cancelled' | 'timed_out';

/** An abort signal with the reason it fired. */
export interface AbortState {
  readonly signal: AbortSignal;
  readonly kind: AbortKind | undefined;
}

/** What a frame is made of besides its span (an OpenSpec of spans.ts is one). */
export interface FrameSpec {
  name: string;
  kind: SpanKind;
  role: 'root' | 'node';
  /** The context the span is opened in (its parent). */
  parentCtx: Context;
  exec: ExecutionState;
  nodeId?: string;
  abort?: AbortState;
  inputAttr: string;
  outputAttr: string;
  statusAttr: string;
}

const FRAME_KEY = createContextKey('flowtrace.frame');
/** The key under which @opentelemetry/api keeps the active span (`createContextKey` is `Symbol.for`). */
const SPAN_KEY = createContextKey('OpenTelemetry Context Key SPAN');
/** False if this API version keeps the span elsewhere: frames then carry a copied context. */
const SPAN_KEY_WORKS = ((): boolean => {
  const probe = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  return trace.getSpan(ROOT_CONTEXT.setValue(SPAN_KEY, probe)) === probe;
})();

/** One open (or just closed) span, and the context its code runs in. */
export class Frame implements Context {
  ended = false;
  /** Output set explicitly with setOutput(); wins over the return value. */
  explicitOutput?: { value: unknown };
  /** Decides that a returned value is a failure (e.g. an MCP result with isError); returns the message. */
  judge?: (value: unknown) => string | undefined;
  /** Text the span sent back (TCP writes), captured as its output. */
  sent?: string[];
  /** Called once when the span closes (a controlled run leaves the control registry). */
  onClose?: () => void;
  /** Attributes for the start mark while one is still due; undefined once sent or when none is wanted. */
  markAttributes: Attributes | undefined = undefined;
  /** Neighbours in the list of open frames. */
  older: Frame | undefined = undefined;
  newer: Frame | undefined = undefined;
  /** This context as a plain copied context, made when code derives a context from it. */
  private flat: Context | undefined;

  readonly parentCtx: Context;
  readonly exec: ExecutionState;
  readonly role: 'root' | 'node';
  readonly nodeId: string | undefined;
  readonly abort: AbortState | undefined;
  readonly inputAttr: string;
  readonly outputAttr: string;
  readonly statusAttr: string;
  readonly name: string;
  readonly kind: SpanKind;

  constructor(
    readonly span: Span,
    spec: FrameSpec,
    /** Epoch milliseconds, the span's start time. */
    readonly startTime: number,
    /** A root that starts a trace (its start mark names no parent). */
    readonly startsTrace: boolean,
  ) {
    this.parentCtx = spec.parentCtx;
    this.exec = spec.exec;
    this.role = spec.role;
    this.nodeId = spec.nodeId;
    this.abort = spec.abort;
    this.inputAttr = spec.inputAttr;
    this.outputAttr = spec.outputAttr;
    this.statusAttr = spec.statusAttr;
    this.name = spec.name;
    this.kind = spec.kind;
    this.flat = SPAN_KEY_WORKS ? undefined : trace.setSpan(spec.parentCtx, span).setValue(FRAME_KEY, this);
  }

  /** The context the span's code runs in: the frame itself. */
  get ctx(): Context {
    return this;
  }

  getValue(key: symbol): unknown {
    if (key === FRAME_KEY) return this;
    if (this.flat !== undefined) return this.flat.getValue(key);
    if (key === SPAN_KEY) return this.span;
    return this.parentCtx.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return this.copied().setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.copied().deleteValue(key);
  }

  private copied(): Context {
    return (this.flat ??= trace.setSpan(this.parentCtx, this.span).setValue(FRAME_KEY, this));
  }
}

/** The frame of the innermost open flowtrace span in a context. */
export function frameOf(ctx: Context = context.active()): Frame | undefined {
  return ctx.getValue(FRAME_KEY) as Frame | undefined;
}

/** A new, empty execution state. */
export function newExecution(): ExecutionState {
  return { nodeCounter: 0, errorNodes: undefined, root: undefined };
}

// ── the list of open frames ─────────────────────────────────────────────────
let oldest: Frame | undefined;
let newest: Frame | undefined;
/** Newest frame the start-mark scan has looked at; every open frame older than it was looked at too. */
let scanned: Frame | undefined;

/** Adds a frame that has just opened (it is the newest). */
export function linkOpenFrame(frame: Frame): void {
  frame.older = newest;
  if (newest) newest.newer = frame;
  else oldest = frame;
  newest = frame;
}

/** Removes a frame that has closed. */
export function unlinkOpenFrame(frame: Frame): void {
  const { older, newer } = frame;
  if (frame === scanned) scanned = older;
  if (older) older.newer = newer;
  else if (oldest === frame) oldest = newer;
  else return; // not in the list
  if (newer) newer.older = older;
  else newest = older;
  frame.older = frame.newer = undefined;
}

/** The open frames, newest first. */
export function openFramesNewestFirst(): Frame[] {
  const out: Frame[] = [];
  for (let f = newest; f; f = f.older) out.push(f);
  return out;
}

/**
 * Hands `visit` each open frame not looked at before that started at or before `dueBefore`
 * (epoch ms), oldest first; returns the first one not due yet, if any.
 */
export function scanOpenFrames(dueBefore: number, visit: (frame: Frame) => void): Frame | undefined {
  for (let f = scanned ? scanned.newer : oldest; f; f = f.newer) {
    if (f.startTime > dueBefore) return f;
    scanned = f;
    visit(f);
  }
  return undefined;
}
