/**
 * One function per API route, returning domain types. Pages call these through the
 * shared client in lib/state/api.svelte.ts; nothing else knows the routes' paths.
 */
import type {
  AttributeKeyList,
  ExecutionDetail,
  ExecutionList,
  FlowList,
  FlowStats,
  FlowStatsSeries,
  ServiceList,
  SqlResult,
} from '@flowtrace/collector/api';
import type { ApiClient, ProgressFn, QueryValue } from './client.js';
import type { Execution, TraceData } from '../model/types.js';
import { toExecution, toTraceData } from './wire-to-domain.js';

export type { FlowStats, FlowStatsSeries, SqlResult };

export interface ExecutionPage {
  executions: Execution[];
  nextCursor: string | null;
}

export async function listExecutions(
  api: ApiClient,
  query: Record<string, QueryValue>,
  cursor: string | null,
  limit = 50,
  signal?: AbortSignal,
): Promise<ExecutionPage> {
  const body = await api.get<ExecutionList>('/api/executions', { ...query, limit, cursor: cursor ?? undefined }, signal);
  return { executions: body.executions.map(toExecution), nextCursor: body.nextCursor };
}

export async function getExecution(api: ApiClient, traceId: string, signal?: AbortSignal, onProgress?: ProgressFn): Promise<TraceData> {
  return toTraceData(await api.get<ExecutionDetail>(`/api/executions/${encodeURIComponent(traceId)}`, undefined, signal, onProgress));
}

export function deleteExecution(api: ApiClient, traceId: string): Promise<void> {
  return api.delete(`/api/executions/${encodeURIComponent(traceId)}`);
}

export async function listFlows(api: ApiClient): Promise<FlowStats[]> {
  return (await api.get<FlowList>('/api/flows')).flows;
}

export function getFlowStats(api: ApiClient, name: string, query: { from?: string; to?: string; bucket?: string }): Promise<FlowStatsSeries> {
  return api.get<FlowStatsSeries>(`/api/flows/${encodeURIComponent(name)}/stats`, query);
}

export async function listServices(api: ApiClient): Promise<string[]> {
  return (await api.get<ServiceList>('/api/services')).services.map((s) => s.serviceName);
}

export async function listAttributes(api: ApiClient): Promise<AttributeKeyList['attributes']> {
  return (await api.get<AttributeKeyList>('/api/attributes')).attributes;
}

export function runSql(api: ApiClient, sql: string, signal?: AbortSignal): Promise<SqlResult> {
  return api.post<SqlResult>('/api/sql', { sql }, signal);
}
