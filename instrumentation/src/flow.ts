/**
 * Flows: a named, versioned piece of work run with an input, a trigger and a user. Each run
 * is one execution (one trace); the flow's output and the id of the node that failed it
 * land on the root span. Run a flow inside another and it becomes a nested sub-flow.
 */
import { SpanKind } from '@opentelemetry/api';
import { ATTR_FLOW_ID, ATTR_FLOW_NAME, ATTR_FLOW_VERSION } from './conventions.js';
import { announceFlow, cancelControllerFor, replayRunOptions, trackRun, type FlowControl } from './control/registry.js';
import { openExecution, type ExecutionOptions } from './execution.js';
import { NEVER_ABORTED, runTraced } from './run.js';

/** Identity of a flow; names stay readable after the flow is deleted. */
export interface FlowSpec {
  id: string;
  /** Defaults to the id. */
  name?: string;
  version?: string;
  /**
   * What the collector may do with this flow's runs over the control connection
   * (`setupTracing({ control: true })`): cancel running executions, replay one with its
   * captured or an edited input. Both off unless set; replay needs `defineFlow`.
   */
  control?: FlowControl;
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
  // With the control connection on, a run of a flow that allows cancel gets one more signal.
  const control = cancelControllerFor(spec.id);
  const limits = control
    ? { ...options, signal: options.signal ? AbortSignal.any([options.signal, control.signal]) : control.signal }
    : options;
  const { frame, own } = openExecution(
    { kind: 'flow', spanName: name, spanKind: SpanKind.INTERNAL, nodeId: spec.id, nodeType: 'flow', attributes, input },
    { trigger: { type: 'manual' }, ...limits },
  );
  const ctx: FlowContext = {
    signal: (own ?? frame?.abort)?.signal ?? NEVER_ABORTED,
    traceId: frame?.span.spanContext().traceId ?? '',
  };
  // Only a root run is cancelled through control (a nested sub-flow stops with its execution).
  if (control && frame?.role === 'root') frame.onClose = trackRun(ctx.traceId, spec.id, control, frame.span);
  return runTraced(frame, own, () => fn(input, ctx));
}

/** Defines a flow once; `flow.run(input, options)` runs it as {@link runFlow} does. */
export function defineFlow<I, O>(spec: FlowSpec, fn: (input: I, ctx: FlowContext) => O): Flow<I, O> {
  const frozen = Object.freeze({ ...spec });
  if (spec.control?.cancel || spec.control?.replay) {
    const replay = spec.control.replay
      ? (input: unknown, origin: Parameters<typeof replayRunOptions>[0]) => {
        let traceId = '';
        try {
          const result: unknown = runFlow(frozen, input as I, (i, ctx) => {
            traceId = ctx.traceId;
            return fn(i, ctx);
          }, replayRunOptions(origin));
          // A replay has no caller to hand its outcome to: its failure is on its span, not unhandled.
          if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') Promise.resolve(result).catch(() => undefined);
        } catch {
          // The run failed at once; that failure is recorded on its span like any other.
        }
        return { traceId };
      }
      : undefined;
    announceFlow({
      id: spec.id, name: spec.name ?? spec.id, version: spec.version,
      cancel: spec.control.cancel === true, replay: spec.control.replay === true,
    }, replay);
  }
  return {
    spec: frozen,
    run: (input: I, options?: FlowRunOptions): O => runFlow(frozen, input, fn, options),
  };
}
