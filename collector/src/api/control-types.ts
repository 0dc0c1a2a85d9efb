/**
 * Wire types of control (cancel and replay of runs in services that opt in), type-only for
 * the viewer. Kept apart from wire-types.ts: one idea, and edited by one owner.
 */

/** A flow a connected instance announced, with what it allows. */
export interface ControlFlow {
  id: string;
  name: string;
  version?: string;
  cancel: boolean;
  replay: boolean;
}

/** GET /api/control: whether control is on, and the instances connected now. */
export interface ControlStatus {
  enabled: boolean;
  instances: Array<{ service: string; instanceId: string; connectedAt: string; flows: ControlFlow[] }>;
}

/**
 * What a control request came to. A request that could not be carried out answers a coded
 * error instead (ApiError), whose code says why not: FT_CONTROL_OFF, FT_TRACE_NOT_FOUND,
 * FT_EXECUTION_FINISHED, FT_CONTROL_NO_INSTANCE, FT_CONTROL_NOT_ALLOWED, FT_CONTROL_NOT_RUNNING,
 * FT_CONTROL_CONNECTION_LOST, FT_CONTROL_NO_ANSWER, FT_CONTROL_FAILED, FT_REPLAY_INPUT_INCOMPLETE.
 */
export interface ControlResult {
  requestId: string;
  action: 'cancel' | 'replay';
  /** The execution the request was about. */
  traceId: string;
  /** cancel: `cancelled` or `already_cancelled` (a second cancel is a no-op); replay: `started`. */
  outcome: 'cancelled' | 'already_cancelled' | 'started';
  message: string;
  /** The instance that carried it out (none for a no-op). */
  instanceId: string | null;
  /** replay: the new execution. */
  newTraceId?: string;
}

/** POST /api/executions/:traceId/cancel */
export interface CancelRequest {
  /** Who asks, as recorded and as the run's abort reason says (free text). */
  requestedBy?: string;
}

/** POST /api/executions/:traceId/replay */
export interface ReplayRequest {
  requestedBy?: string;
  /** The input to run with; the captured one when absent. */
  input?: unknown;
}

/** A value of a captured input that must be given before a replay; `path` '' is the whole input. */
export interface IncompleteField {
  path: string;
  reason: 'redacted' | 'truncated';
}

/** GET /api/executions/:traceId/replay-input: the captured input, and what is missing from it. */
export interface ReplayInput {
  traceId: string;
  flowId: string | null;
  serviceName: string;
  /** The captured text (JSON, or cut at its cap); null when none was captured. */
  text: string | null;
  incomplete: IncompleteField[];
}
