/**
 * A frame is what the instrumentation knows about one open span of an execution: the span,
 * its context, the execution it belongs to and how it can be aborted. Frames travel in the
 * OpenTelemetry context (AsyncLocalStorage under the Node SDK), which is what keeps
 * concurrent executions, their nodes and their console lines apart.
 */
import { context, createContextKey, type Context, type Span } from '@opentelemetry/api';

/** Shared by every span of one execution (trace). */
export interface ExecutionState {
  /** Next value of flow.node.index. */
  nodeCounter: number;
  /** Error object → id of the deepest node that failed with it. */
  readonly errorNodes: WeakMap<object, string>;
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

/** One open span. */
export interface Frame {
  readonly span: Span;
  readonly ctx: Context;
  readonly exec: ExecutionState;
  readonly role: 'root' | 'node';
  readonly nodeId: string | undefined;
  readonly abort: AbortState | undefined;
  readonly outputAttr: string;
  readonly statusAttr: string;
  readonly inputAttr: string;
  ended: boolean;
  /** Output set explicitly with setOutput(); wins over the return value. */
  explicitOutput?: { value: unknown };
  /** Decides that a returned value is a failure (e.g. an MCP result with isError); returns the message. */
  judge?: (value: unknown) => string | undefined;
  /** Text the span sent back (TCP writes), captured as its output. */
  sent?: string[];
}

const FRAME_KEY = createContextKey('flowtrace.frame');

/** The frame of the innermost open flowtrace span in a context. */
export function frameOf(ctx: Context = context.active()): Frame | undefined {
  return ctx.getValue(FRAME_KEY) as Frame | undefined;
}

/** A context carrying the frame. */
export function withFrame(ctx: Context, frame: Frame): Context {
  return ctx.setValue(FRAME_KEY, frame);
}

/** A new, empty execution state. */
export function newExecution(): ExecutionState {
  return { nodeCounter: 0, errorNodes: new WeakMap() };
}
