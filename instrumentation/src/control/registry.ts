/**
 * What this process lets the collector control: the flows it defined with `control` and the
 * handlers that allow cancel (announced over the control connection, a handler under its
 * `http:…`, `tcp:…` or `tool:…` id), and the root executions of those running now, each with
 * the AbortController that cancels it. Only flows in this registry are ever
 * acted on; a request for anything else is answered `not_allowed` without touching any run.
 *
 * Invariants: nothing here throws into user code; a run is tracked only while the control
 * connection is on (off, runFlow pays one boolean test); a run leaves the table when its span
 * closes; a cancel of a run that was cancelled already is a no-op answered `already_cancelled`.
 */
import { context, ROOT_CONTEXT, type Span, type SpanContext } from '@opentelemetry/api';
import { ATTR_CANCEL_REQUESTED_BY, ATTR_REPLAY_OF, EVENT_CANCEL_REQUESTED } from '../conventions.js';
import { internalError } from '../runtime.js';

/** What a flow lets the collector do with its runs; both off unless the flow says so. */
export interface FlowControl {
  /** Its running executions may be cancelled (their AbortSignal fires). */
  cancel?: boolean;
  /** It may be run again with a captured or edited input. */
  replay?: boolean;
}

/** A flow as announced to the collector. */
export interface AnnouncedFlow {
  id: string;
  name: string;
  version?: string;
  cancel: boolean;
  replay: boolean;
}

/** Runs the flow once for a replay: input, trigger data, the link to the original, the origin's trace id. */
export type ReplayRunner = (input: unknown, origin: ReplayOrigin) => { traceId: string };

/** The execution a replay runs again, and who asked. */
export interface ReplayOrigin {
  traceId: string;
  spanId: string;
  requestedBy: string;
}

/** Answer of the service to one control request. */
export interface ControlAnswer {
  outcome: 'cancelled' | 'already_cancelled' | 'not_running' | 'not_allowed' | 'started' | 'failed';
  message?: string;
  /** For a replay: the new execution's trace id. */
  traceId?: string;
}

/** The rejection reason of a run cancelled through control: names who asked. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(readonly requestedBy: string) {
    super(`cancelled by ${requestedBy}`);
  }
}

interface Entry { flow: AnnouncedFlow; replay?: ReplayRunner }
interface Run { flowId: string; controller: AbortController; span: Span }

const flows = new Map<string, Entry>();
const runs = new Map<string, Run>();
/** Trace ids cancelled lately, so a second cancel is told apart from one for a run that is not here. */
const cancelled = new Set<string>();
const CANCELLED_KEPT = 1_000;
let active = false;
let onChange: (() => void) | undefined;

/** Turns run tracking on or off (the control client does, when it starts and stops). */
export function setControlActive(on: boolean, changed?: () => void): void {
  active = on;
  onChange = on ? changed : undefined;
  if (!on) runs.clear();
}

/** Adds a flow that accepts control (a flow defined twice keeps its newest definition). */
export function announceFlow(flow: AnnouncedFlow, replay?: ReplayRunner): void {
  flows.set(flow.id, { flow, replay });
  try {
    onChange?.();
  } catch (e) {
    internalError('control announce', e);
  }
}

/** Announces a flow unless it is announced already as it is (a job announces itself at its first run). */
export function announceOnce(flow: AnnouncedFlow): void {
  const known = flows.get(flow.id)?.flow;
  if (known && known.cancel === flow.cancel && known.replay === flow.replay && known.name === flow.name) return;
  announceFlow(flow);
}

/** The announced flows, as sent to the collector. */
export function announcedFlows(): AnnouncedFlow[] {
  return [...flows.values()].map((e) => e.flow);
}

/** A controller for a new run of the flow, or undefined when its runs cannot be cancelled now. */
export function cancelControllerFor(flowId: string): AbortController | undefined {
  if (!active || flows.get(flowId)?.flow.cancel !== true) return undefined;
  return new AbortController();
}

/** Tracks a root run until `untrack` (called when its span closes). */
export function trackRun(traceId: string, flowId: string, controller: AbortController, span: Span): () => void {
  const run = { flowId, controller, span };
  runs.set(traceId, run);
  return () => {
    if (runs.get(traceId) === run) runs.delete(traceId);
  };
}

/** Cancels a tracked run of an announced flow on behalf of `requestedBy`. */
export function cancelRun(traceId: string, flowId: string, requestedBy: string): ControlAnswer {
  if (flows.get(flowId)?.flow.cancel !== true) return { outcome: 'not_allowed', message: `flow ${flowId} does not allow cancel` };
  if (cancelled.has(traceId)) return { outcome: 'already_cancelled' };
  const run = runs.get(traceId);
  if (!run || run.flowId !== flowId) return { outcome: 'not_running', message: 'not running in this instance' };
  cancelled.add(traceId);
  if (cancelled.size > CANCELLED_KEPT) cancelled.delete(cancelled.values().next().value as string);
  run.span.setAttribute(ATTR_CANCEL_REQUESTED_BY, requestedBy);
  run.span.addEvent(EVENT_CANCEL_REQUESTED, { [ATTR_CANCEL_REQUESTED_BY]: requestedBy });
  // The abort listeners (the run's own and every node's) run now, in the run's code: outside it,
  // in the root context, so nothing they do lands in the control connection's context.
  context.with(ROOT_CONTEXT, () => run.controller.abort(new CancelledError(requestedBy)));
  return { outcome: 'cancelled' };
}

/** Runs an announced flow again with `input`; its new execution links to the original. */
export function replayFlow(flowId: string, input: unknown, origin: ReplayOrigin): ControlAnswer {
  const entry = flows.get(flowId);
  if (!entry?.replay || !entry.flow.replay) return { outcome: 'not_allowed', message: `flow ${flowId} does not allow replay` };
  try {
    const { traceId } = context.with(ROOT_CONTEXT, () => entry.replay!(input, origin));
    return traceId === '' ? { outcome: 'started' } : { outcome: 'started', traceId };
  } catch (e) {
    return { outcome: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}

/** The root-span options of a replay run: trigger, the attribute and the link naming the original. */
export function replayRunOptions(origin: ReplayOrigin): {
  trigger: { type: 'replay'; data: { of: string; requestedBy: string } };
  attributes: Record<string, string>;
  links: Array<{ context: SpanContext }>;
} {
  return {
    trigger: { type: 'replay', data: { of: origin.traceId, requestedBy: origin.requestedBy } },
    attributes: { [ATTR_REPLAY_OF]: origin.traceId },
    links: /^[0-9a-f]{32}$/.test(origin.traceId) && /^[0-9a-f]{16}$/.test(origin.spanId)
      ? [{ context: { traceId: origin.traceId, spanId: origin.spanId, traceFlags: 1, isRemote: true } }]
      : [],
  };
}
