/**
 * The "why" routes as the viewer calls them: critical path, time statistics, two runs
 * compared, a run's console lines, lines with no span, a flow's time per node, and the run of
 * a flow before a given one (to compare with).
 */
import type { CriticalPath, ExecutionComparison, ExecutionList, FlowTime, LogPage, TraceStats } from '@flowtrace/collector/api';
import type { ApiClient } from './client.js';
import { toExecution } from './wire-to-domain.js';
import type { Execution } from '../model/types.js';

export type { CriticalPath, ExecutionComparison, FlowTime, LogPage, TraceStats };

const id = (traceId: string) => encodeURIComponent(traceId);

export function getCriticalPath(api: ApiClient, traceId: string, signal?: AbortSignal): Promise<CriticalPath> {
  return api.get<CriticalPath>(`/api/executions/${id(traceId)}/critical-path`, undefined, signal);
}

export function getTraceStats(api: ApiClient, traceId: string, signal?: AbortSignal): Promise<TraceStats> {
  return api.get<TraceStats>(`/api/executions/${id(traceId)}/stats`, undefined, signal);
}

/** Two runs compared; `pair` picks the spans shown side by side (default the roots); `limit` caps the rows. */
export function getComparison(
  api: ApiClient, a: string, b: string, pair: { aSpan?: string | null; bSpan?: string | null } = {}, limit?: number, signal?: AbortSignal,
): Promise<ExecutionComparison> {
  return api.get<ExecutionComparison>(`/api/executions/${id(a)}/compare/${id(b)}`, { aSpan: pair.aSpan ?? undefined, bSpan: pair.bSpan ?? undefined, limit }, signal);
}

/** A run's console lines in time order; with `afterNs`, only newer ones. */
export function getRunLogs(api: ApiClient, traceId: string, afterNs?: string, signal?: AbortSignal): Promise<LogPage> {
  return api.get<LogPage>(`/api/executions/${id(traceId)}/logs`, { after: afterNs }, signal);
}

/** Lines with no span, newest first. */
export function getLoneLogs(api: ApiClient, query: { from?: string; to?: string; severity?: number; q?: string; limit?: number }, signal?: AbortSignal): Promise<LogPage> {
  return api.get<LogPage>('/api/logs', query, signal);
}

export function getFlowTime(api: ApiClient, name: string, query: { from?: string; to?: string }): Promise<FlowTime> {
  return api.get<FlowTime>(`/api/flows/${encodeURIComponent(name)}/time`, query);
}

/** The newest run of the same flow that started before this one, or null. */
export async function previousRun(api: ApiClient, run: Execution): Promise<Execution | null> {
  const to = new Date(Math.floor(run.startMs) - 1).toISOString();
  const body = await api.get<ExecutionList>('/api/executions', { flow: run.flowName, to, limit: 20 });
  return body.executions.map(toExecution).find((e) => e.flowName === run.flowName && e.traceId !== run.traceId) ?? null;
}
