/**
 * Flows: a named, versioned piece of work run with an input, a trigger and a user. Each run
 * is one execution (one trace); the flow's output and the id of the node that failed it
 * land on the root span. Run a flow inside another and it becomes a nested sub-flow.
 */
import { SpanKind } from '@opentelemetry/api';
import { ATTR_FLOW_ID, ATTR_FLOW_NAME, ATTR_FLOW_VERSION } from './conventions.js';
import { openExecution, type ExecutionOptions } from './execution.js';
import { NEVER_ABORTED, runTraced } from './run.js';

/** Identity of a flow; names stay readable after the flow is deleted. */
export interface FlowSpec {
  id: string;
  /** Defaults to the id. */
  name?: string;
  version?: string;
}

/** Handed to a flow's function. */
export interface FlowContext {
  /** Aborts when the run is cancelled or times out. */
  signal: AbortSignal;
  /** Trace id of the execution (empty when tracing is off). */
  traceId: string;
}

/** Options of one flow run: trigger, user, signal, timeout, extra root attributes. */
export type FlowRunOptions = ExecutionOptions;

/** A defined flow: call `run` for each execution. */
export interface Flow<I, O> {
  readonly spec: Readonly<FlowSpec>;
  run(input: I, options?: FlowRunOptions): O;
}

/**
 * Runs `fn(input, ctx)` as one execution of the flow. The return value (or promise) and any
 * thrown error are passed through unchanged; with `signal` or `timeoutMs` the returned
 * promise rejects when the limit fires.
 */
export function runFlow<I, O>(spec: FlowSpec, input: I, fn: (input: I, ctx: FlowContext) => O, options: FlowRunOptions = {}): O {
  const name = spec.name ?? spec.id;
  const attributes: Record<string, string> = { [ATTR_FLOW_ID]: spec.id, [ATTR_FLOW_NAME]: name };
  if (spec.version !== undefined) attributes[ATTR_FLOW_VERSION] = spec.version;
  const { frame, own } = openExecution(
    { kind: 'flow', spanName: name, spanKind: SpanKind.INTERNAL, nodeId: spec.id, nodeType: 'flow', attributes, input },
    { trigger: { type: 'manual' }, ...options },
  );
  const ctx: FlowContext = {
    signal: (own ?? frame?.abort)?.signal ?? NEVER_ABORTED,
    traceId: frame?.span.spanContext().traceId ?? '',
  };
  return runTraced(frame, own, () => fn(input, ctx));
}

/** Defines a flow once; `flow.run(input, options)` runs it as {@link runFlow} does. */
export function defineFlow<I, O>(spec: FlowSpec, fn: (input: I, ctx: FlowContext) => O): Flow<I, O> {
  const frozen = Object.freeze({ ...spec });
  return {
    spec: frozen,
    run: (input: I, options?: FlowRunOptions): O => runFlow(frozen, input, fn, options),
  };
}
