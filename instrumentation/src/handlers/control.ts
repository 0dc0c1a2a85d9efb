/**
 * Cancel for handler executions (HTTP handlers, Fastify routes, TCP connections, MCP tool
 * calls), the way flows and jobs have it: a handler that allows it is announced under a stable
 * id (`http:<name>`, `http:<METHOD> <route>`, `tcp:<name>`, `tool:<name>`), each of its root
 * executions carries that id as `flow.id` (which is how the collector finds the instances that
 * allow the cancel) and follows one more signal, which a control cancel fires.
 *
 * Invariants: a handler without `control: { cancel: true }` gets no flow id, no announcement
 * and no controller; with it but the control connection off, a run costs one boolean test and
 * nothing is tracked; a tracked run leaves the registry when its span closes. How the span
 * ends after a cancel is each handler's: HTTP and TCP end when the exchange really ends (the
 * instrumentation never answers or closes a connection for the handler), a tool call settles
 * at the cancel as flows do.
 */
import type { Frame } from '../frame.js';
import { announceOnce, cancelControllerFor, trackRun } from '../control/registry.js';
import type { OwnAbort } from '../run.js';

/** What a handler lets the collector do with its runs (over `setupTracing({ control: true })`). */
export interface HandlerControl {
  /** Its running executions may be cancelled: their AbortSignal fires. Off unless set. */
  cancel?: boolean;
}

/** Handed to an HTTP or TCP handler beside its usual arguments. */
export interface HandlerContext {
  /** Fires when the execution is cancelled; a signal that never fires when nothing can cancel it. */
  signal: AbortSignal;
}

/** Announces a handler that allows cancel (again only when what it allows changed). */
export function announceHandler(id: string, name: string): void {
  announceOnce({ id, name, version: undefined, cancel: true, replay: false });
}

/** The controller that cancels one new run, when the handler allows cancel and control is on. */
export function handlerCanceller(control: HandlerControl | undefined, id: string): AbortController | undefined {
  return control?.cancel === true ? cancelControllerFor(id) : undefined;
}

/**
 * Tracks a root run for cancel until its span closes, and releases the run's own abort (its
 * listener on the controller's signal) then too.
 */
export function trackHandlerRun(frame: Frame, own: OwnAbort | undefined, id: string, controller: AbortController | undefined): void {
  const untrack = controller && frame.role === 'root' ? trackRun(frame.span.spanContext().traceId, id, controller, frame.span) : undefined;
  if (!untrack && !own) return;
  const previous = frame.onClose;
  frame.onClose = () => {
    previous?.();
    untrack?.();
    own?.dispose();
  };
}

/** How a handler's span ends when its signal fired before it did: cancelled (or timed out); else undefined. */
export function abortOutcome(frame: Frame): 'cancelled' | 'timed_out' | undefined {
  const abort = frame.abort;
  return abort?.signal.aborted ? abort.kind ?? 'cancelled' : undefined;
}
