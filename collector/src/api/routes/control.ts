/**
 * Contracts of control (control/action-routes.ts, control/service-routes.ts): cancel and replay
 * behind the control token, two reads behind the query token, and the services' side under
 * /v1/ behind the ingest token. With control off, every one answers 403 FT_CONTROL_OFF.
 */
import Type from 'typebox';
import { errorAnswers } from '../api-error.js';
import {
  CancelRequest, ConnectRequest, ControlResult, ControlStatus, ReplayInput, ReplayRequest, ReportRequest,
} from '../control-types.js';
import { MediaType, NoContent } from '../schema-kit.js';
import { TraceParams } from './executions.js';

/** What can keep a control request from being carried out (ControlResult lists the codes). */
const refusals = errorAnswers(400, 401, 403, 404, 409, 502, 503, 504);

export const cancelExecution = {
  summary: 'Cancel a running execution in the service instance running it (--control-token)',
  params: TraceParams,
  body: CancelRequest,
  response: { 200: ControlResult, ...refusals },
};

export const replayExecution = {
  summary: "Run an execution's flow again, with its captured input or an edited one, in a connected instance (--control-token)",
  params: TraceParams,
  body: ReplayRequest,
  response: { 202: ControlResult, ...refusals },
};

export const replayInput = {
  summary: 'The captured input of an execution, with its redacted and truncated values',
  params: TraceParams,
  response: { 200: ReplayInput, ...errorAnswers(400, 401, 404) },
};

export const controlStatus = {
  summary: 'Whether control is on, and the service instances connected for it',
  response: { 200: ControlStatus, ...errorAnswers(401) },
};

export const connectForControl = {
  summary: 'A service instance holds this Server-Sent Events stream open to receive control requests',
  body: ConnectRequest,
  response: {
    200: MediaType('text/event-stream', Type.Object({
      id: Type.String(),
      action: Type.String({ description: 'cancel or replay' }),
      traceId: Type.String(),
    }, { additionalProperties: true, description: 'The data of an `event: request` (the instrumentation\'s control protocol)' }), 'A stream that stays open: `event: request` per control request, `: ping` every 15 s'),
    ...errorAnswers(400, 401, 403),
  },
};

export const reportToControl = {
  summary: 'A connected instance answers control requests and announces its flows',
  body: ReportRequest,
  response: { 204: NoContent('Taken'), ...errorAnswers(400, 401, 403, 404) },
};
