/**
 * Nodes: the steps of an execution. Each run of a node is a child span of the innermost
 * open node or execution, with its id, name, type, execution order (flow.node.index, in the
 * order nodes start, so parallel nodes get distinct indices), input, output and outcome.
 * Outside an execution a node runs untraced: there is no trace to attach it to.
 */
import { context, SpanKind, type Attributes } from '@opentelemetry/api';
import {
  ATTR_NODE_ID, ATTR_NODE_INDEX, ATTR_NODE_INPUT, ATTR_NODE_NAME, ATTR_NODE_OUTPUT, ATTR_NODE_STATUS, ATTR_NODE_TYPE,
} from './conventions.js';
import { frameOf, type Frame } from './frame.js';
import { NEVER_ABORTED, OwnAbort, runTraced, type Limits } from './run.js';
import { closeFrame, NO_INPUT, openFrame } from './spans.js';

/** Identity of a node. */
export interface NodeSpec {
  id: string;
  /** Defaults to the id. */
  name?: string;
  /** What sort of node (http, code, llm, db …). */
  type?: string;
}

/** Options of one node run. */
export interface NodeOptions extends Limits {
  attributes?: Attributes;
}

/** Handed to a node's function. */
export interface NodeContext {
  /** Aborts when the node or its execution is cancelled or times out. */
  signal: AbortSignal;
}

function open(spec: NodeSpec, input: unknown, options: NodeOptions | undefined): { frame: Frame | undefined; own: OwnAbort | undefined } | undefined {
  const parentCtx = context.active();
  const parent = frameOf(parentCtx);
  if (!parent || parent.ended) return undefined;
  const name = spec.name ?? spec.id;
  const index = parent.exec.nodeCounter++;
  let attrs: Attributes;
  if (options?.attributes) {
    attrs = { ...options.attributes };
    attrs[ATTR_NODE_ID] = spec.id;
    attrs[ATTR_NODE_NAME] = name;
    if (spec.type !== undefined) attrs[ATTR_NODE_TYPE] = spec.type;
    attrs[ATTR_NODE_INDEX] = index;
  } else {
    // Literals, so the attributes of nodes share a shape.
    attrs = spec.type === undefined
      ? { [ATTR_NODE_ID]: spec.id, [ATTR_NODE_NAME]: name, [ATTR_NODE_INDEX]: index }
      : { [ATTR_NODE_ID]: spec.id, [ATTR_NODE_NAME]: name, [ATTR_NODE_TYPE]: spec.type, [ATTR_NODE_INDEX]: index };
  }
  const own = options && (options.signal || options.timeoutMs !== undefined)
    ? new OwnAbort(options, parent.abort, `node ${spec.id}`)
    : undefined;
  const frame = openFrame({
    name, kind: SpanKind.INTERNAL, role: 'node', attributes: attrs, parentCtx, exec: parent.exec,
    nodeId: spec.id, abort: own ?? parent.abort, input,
    inputAttr: ATTR_NODE_INPUT, outputAttr: ATTR_NODE_OUTPUT, statusAttr: ATTR_NODE_STATUS,
  });
  return { frame, own };
}

/**
 * Runs `fn(input, ctx)` as a node of the current execution. Return value and thrown error
 * pass through unchanged; with `signal` or `timeoutMs` the promise rejects when the limit fires.
 */
export function runNode<I, O>(spec: NodeSpec, input: I, fn: (input: I, ctx: NodeContext) => O, options?: NodeOptions): O {
  const opened = open(spec, input, options);
  if (!opened) return fn(input, { signal: NEVER_ABORTED });
  const { frame, own } = opened;
  const ctx: NodeContext = { signal: (own ?? frame?.abort)?.signal ?? NEVER_ABORTED };
  return runTraced(frame, own, () => fn(input, ctx));
}

/** Runs `fn(ctx)` as a node without an input. */
export function node<O>(spec: NodeSpec, fn: (ctx: NodeContext) => O, options?: NodeOptions): O {
  const opened = open(spec, NO_INPUT, options);
  if (!opened) return fn({ signal: NEVER_ABORTED });
  const { frame, own } = opened;
  const ctx: NodeContext = { signal: (own ?? frame?.abort)?.signal ?? NEVER_ABORTED };
  return runTraced(frame, own, () => fn(ctx));
}

/**
 * Wraps a function so that each call is a node; `this`, arguments, return value and thrown
 * error are unchanged. The input recorded is the single argument, or the argument list.
 */
export function wrapNode<A extends unknown[], R, T = unknown>(spec: NodeSpec, fn: (this: T, ...args: A) => R, options?: NodeOptions): (this: T, ...args: A) => R {
  return function wrapped(this: T, ...args: A): R {
    const opened = open(spec, args.length === 1 ? args[0] : args, options);
    if (!opened) return fn.apply(this, args);
    return runTraced(opened.frame, opened.own, () => fn.apply(this, args));
  };
}

/** Records a node that was skipped (status `skipped`), with an optional reason. */
export function skipNode(spec: NodeSpec, reason?: string, input?: unknown): void {
  const opened = open(spec, input === undefined ? NO_INPUT : input, undefined);
  if (!opened?.frame) return;
  if (reason !== undefined) opened.frame.explicitOutput = { value: { skipped: reason } };
  closeFrame(opened.frame, 'skipped', undefined);
}
