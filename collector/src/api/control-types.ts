/**
 * Wire types of control (cancel and replay of runs in services that opt in): schema and, under
 * the same name, TypeScript type; the viewer imports the types only. The services' side of the
 * protocol (/v1/control/*) is here too: the instrumentation speaks it
 * (instrumentation/src/control/client.ts).
 */
import Type, { type Static } from 'typebox';
import { AnyJson, IsoTime, Nullable, StringEnum } from './schema-kit.js';

/** A flow a connected instance announced, with what it allows. */
export const ControlFlow = Type.Object({
  id: Type.String(),
  name: Type.String(),
  version: Type.Optional(Type.String()),
  cancel: Type.Boolean(),
  replay: Type.Boolean(),
});
export type ControlFlow = Static<typeof ControlFlow>;

/** GET /api/control: whether control is on, and the instances connected now. */
export const ControlStatus = Type.Object({
  enabled: Type.Boolean(),
  instances: Type.Array(Type.Object({ service: Type.String(), instanceId: Type.String(), connectedAt: IsoTime(), flows: Type.Array(ControlFlow) })),
});
export type ControlStatus = Static<typeof ControlStatus>;

/**
 * What a control request came to. A request that could not be carried out answers a coded
 * error instead (ApiError), whose code says why not: FT_CONTROL_OFF, FT_TRACE_NOT_FOUND,
 * FT_EXECUTION_FINISHED, FT_CONTROL_NO_INSTANCE, FT_CONTROL_NOT_ALLOWED, FT_CONTROL_NOT_RUNNING,
 * FT_CONTROL_CONNECTION_LOST, FT_CONTROL_NO_ANSWER, FT_CONTROL_FAILED, FT_REPLAY_INPUT_INCOMPLETE.
 */
export const ControlResult = Type.Object({
  requestId: Type.String(),
  action: StringEnum(['cancel', 'replay']),
  traceId: Type.String({ description: 'The execution the request was about' }),
  outcome: StringEnum(['cancelled', 'already_cancelled', 'started'], {
    description: 'cancel: `cancelled` or `already_cancelled` (a second cancel is a no-op); replay: `started`',
  }),
  message: Type.String(),
  instanceId: Nullable(Type.String({ description: 'The instance that carried it out (none for a no-op)' })),
  newTraceId: Type.Optional(Type.String({ description: 'replay: the new execution' })),
});
export type ControlResult = Static<typeof ControlResult>;

const requestedBy = Type.String({ maxLength: 200, description: "Who asks, as recorded and as the run's abort reason says (free text)" });

/** POST /api/executions/:traceId/cancel */
export const CancelRequest = Type.Object({ requestedBy: Type.Optional(requestedBy) }, { additionalProperties: false });
export type CancelRequest = Static<typeof CancelRequest>;

/** POST /api/executions/:traceId/replay */
export const ReplayRequest = Type.Object({
  requestedBy: Type.Optional(requestedBy),
  input: Type.Optional(AnyJson('The input to run with; the captured one when absent')),
}, { additionalProperties: false });
export type ReplayRequest = Static<typeof ReplayRequest>;

/** A value of a captured input that must be given before a replay; `path` '' is the whole input. */
export const IncompleteField = Type.Object({ path: Type.String(), reason: StringEnum(['redacted', 'truncated']) });
export type IncompleteField = Static<typeof IncompleteField>;

/** GET /api/executions/:traceId/replay-input: the captured input, and what is missing from it. */
export const ReplayInput = Type.Object({
  traceId: Type.String(),
  flowId: Nullable(Type.String()),
  serviceName: Type.String(),
  text: Nullable(Type.String({ description: 'The captured text (JSON, or cut at its cap); null when none was captured' })),
  incomplete: Type.Array(IncompleteField),
});
export type ReplayInput = Static<typeof ReplayInput>;

const MAX_FLOWS = 1_000;
const instanceId = Type.String({ minLength: 1, maxLength: 200 });

/** A flow as an instance announces it (id required; allows nothing unless it says so). */
export const AnnouncedFlowBody = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 500 }),
  name: Type.Optional(Type.String({ maxLength: 500 })),
  version: Type.Optional(Type.String({ maxLength: 100 })),
  cancel: Type.Optional(Type.Boolean()),
  replay: Type.Optional(Type.Boolean()),
});
export type AnnouncedFlowBody = Static<typeof AnnouncedFlowBody>;
const flows = Type.Array(AnnouncedFlowBody, { maxItems: MAX_FLOWS });

/** POST /v1/control/connect: an instance opens its stream of control requests. */
export const ConnectRequest = Type.Object({
  service: Type.String({ minLength: 1, maxLength: 500 }),
  instanceId,
  flows: Type.Optional(flows),
});
export type ConnectRequest = Static<typeof ConnectRequest>;

/** POST /v1/control/report: an instance answers requests and announces flows defined later. */
export const ReportRequest = Type.Object({
  instanceId,
  flows: Type.Optional(flows),
  replies: Type.Optional(Type.Array(Type.Object({
    id: Type.String({ maxLength: 100 }),
    outcome: Type.String({ maxLength: 50 }),
    message: Type.Optional(Type.String({ maxLength: 2_000 })),
    traceId: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$' })),
  }), { maxItems: 1_000 })),
});
export type ReportRequest = Static<typeof ReportRequest>;
