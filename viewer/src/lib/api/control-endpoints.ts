/**
 * The control routes (issue 20): which service instances are connected for control, a run's
 * captured input, and cancel / replay. Cancel and replay go through a client that carries the
 * control token, never the query token (the collector keeps the two apart).
 */
import type { ControlResult, ControlStatus, ReplayInput } from '@flowtrace/collector/api';
import type { ApiClient } from './client.js';

export type { ControlResult, ControlStatus, ReplayInput };

export function getControlStatus(api: ApiClient, signal?: AbortSignal): Promise<ControlStatus> {
  return api.get<ControlStatus>('/api/control', undefined, signal);
}

export function getReplayInput(api: ApiClient, traceId: string): Promise<ReplayInput> {
  return api.get<ReplayInput>(`/api/executions/${encodeURIComponent(traceId)}/replay-input`);
}

export function cancelExecution(control: ApiClient, traceId: string, requestedBy: string): Promise<ControlResult> {
  return control.post<ControlResult>(`/api/executions/${encodeURIComponent(traceId)}/cancel`, { requestedBy });
}

export function replayExecution(control: ApiClient, traceId: string, input: unknown, requestedBy: string): Promise<ControlResult> {
  return control.post<ControlResult>(`/api/executions/${encodeURIComponent(traceId)}/replay`, { requestedBy, input });
}
