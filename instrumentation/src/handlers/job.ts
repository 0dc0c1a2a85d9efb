/**
 * Background jobs: each run is an execution (kind job, trigger scheduled unless told
 * otherwise). `scheduleJob` runs a job every N milliseconds without overlapping runs; a
 * failing run is recorded and logged through the returned handle, never thrown into a timer.
 */
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { ATTR_FLOW_ID, ATTR_FLOW_NAME, ATTR_FLOW_VERSION, ATTR_JOB_SCHEDULE } from '../conventions.js';
import { announceOnce, cancelControllerFor, trackRun } from '../control/registry.js';
import { openExecution, type ExecutionOptions } from '../execution.js';
import { NEVER_ABORTED, runTraced } from '../run.js';

/** Identity of a job. */
export interface JobSpec {
  id: string;
  name?: string;
  version?: string;
  /** Human text of the schedule (`every 30s`, a cron line). */
  schedule?: string;
  /** Its running executions may be cancelled over the control connection (see FlowSpec.control). */
  control?: { cancel?: boolean };
}

/** Handed to a job's function. */
export interface JobContext {
  signal: AbortSignal;
  /** When this run was due. */
  scheduledAt: Date;
}

/** Runs one execution of a job; result and error pass through unchanged. */
export function runJob<O>(spec: JobSpec, fn: (ctx: JobContext) => O, options: ExecutionOptions & { scheduledAt?: Date } = {}): O {
  const name = spec.name ?? spec.id;
  const scheduledAt = options.scheduledAt ?? new Date();
  const attrs: Attributes = { [ATTR_FLOW_ID]: spec.id, [ATTR_FLOW_NAME]: name };
  if (spec.version !== undefined) attrs[ATTR_FLOW_VERSION] = spec.version;
  if (spec.schedule !== undefined) attrs[ATTR_JOB_SCHEDULE] = spec.schedule;
  if (spec.control?.cancel) announceOnce({ id: spec.id, name, version: spec.version, cancel: true, replay: false });
  const control = cancelControllerFor(spec.id);
  const limits = control
    ? { ...options, signal: options.signal ? AbortSignal.any([options.signal, control.signal]) : control.signal }
    : options;
  const { frame, own } = openExecution(
    { kind: 'job', spanName: name, spanKind: SpanKind.INTERNAL, nodeId: spec.id, nodeType: 'job', attributes: attrs },
    { trigger: { type: 'scheduled', data: { schedule: spec.schedule, scheduledAt: scheduledAt.toISOString() } }, ...limits },
  );
  const ctx: JobContext = { signal: (own ?? frame?.abort)?.signal ?? NEVER_ABORTED, scheduledAt };
  if (control && frame?.role === 'root') frame.onClose = trackRun(frame.span.spanContext().traceId, spec.id, control, frame.span);
  return runTraced(frame, own, () => fn(ctx));
}

/** A running schedule. */
export interface ScheduledJob {
  /** Stops scheduling; resolves when the run in progress (if any) has ended. */
  stop(): Promise<void>;
  /** Runs so far and how many failed. */
  readonly runs: number;
  readonly failures: number;
}

/** Runs `fn` as job `spec` every `everyMs` ms (first run after `everyMs`), never two at once. */
export function scheduleJob(
  spec: JobSpec,
  everyMs: number,
  fn: (ctx: JobContext) => unknown,
  options: Omit<ExecutionOptions, 'trigger'> & { onError?: (error: unknown) => void } = {},
): ScheduledJob {
  const fullSpec: JobSpec = { schedule: `every ${everyMs} ms`, ...spec };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> | undefined;
  let stopped = false;
  const state = { runs: 0, failures: 0 };
  const tick = (): void => {
    const scheduledAt = new Date();
    state.runs++;
    current = Promise.resolve()
      .then(() => runJob(fullSpec, fn, { ...options, scheduledAt }))
      .then(
        () => undefined,
        (error: unknown) => {
          state.failures++;
          options.onError?.(error);
        },
      )
      .finally(() => {
        current = undefined;
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  timer = setTimeout(tick, everyMs);
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
    get runs() { return state.runs; },
    get failures() { return state.failures; },
  };
}
