/**
 * One function per API route, returning domain types. Pages call these through the
 * shared client in lib/state/api.svelte.ts; nothing else knows the routes' paths.
 */
import type {
  AttributeKeyList,
  ExecutionList,
  FlowList,
  FlowStats,
  FlowStatsSeries,
  MetricList,
  MetricSeriesResult,
  ServiceList,
  SpanDetail,
  SpanMatchList,
  SqlResult,
  TraceOutline,
} from '@flowtrace/collector/api';
import type { ApiClient, ProgressFn, QueryValue } from './client.js';
import type { Execution, SpanDetailsModel, TraceData } from '../model/types.js';
import { toExecution, toSpanDetails, toTraceOutline } from './wire-to-domain.js';
import type { MetricEntry, MetricView } from '../model/metrics.js';
import { toMetricEntry, toMetricView } from './metrics-to-domain.js';

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

/** The execution and the outline of its spans: what the waterfall draws, without attributes or console lines. */
export async function getExecutionOutline(api: ApiClient, traceId: string, signal?: AbortSignal, onProgress?: ProgressFn): Promise<TraceData> {
  return toTraceOutline(await api.get<TraceOutline>(`/api/executions/${encodeURIComponent(traceId)}/outline`, undefined, signal, onProgress));
}

/** One span's attributes, payloads, events, links and console lines. */
export async function getSpanDetails(api: ApiClient, traceId: string, spanId: string, signal?: AbortSignal): Promise<SpanDetailsModel> {
  return toSpanDetails(await api.get<SpanDetail>(`/api/executions/${encodeURIComponent(traceId)}/spans/${encodeURIComponent(spanId)}`, undefined, signal));
}

/** Ids of the spans of a trace whose attribute values hold `q` and/or that carry every `attr` (key=value). */
export async function getSpanMatches(api: ApiClient, traceId: string, query: { q?: string; attr?: string[] }, signal?: AbortSignal): Promise<Set<string>> {
  const body = await api.get<SpanMatchList>(`/api/executions/${encodeURIComponent(traceId)}/span-matches`, query, signal);
  return new Set(body.spanIds);
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

/** Every metric name per service. */
export async function listMetrics(api: ApiClient, signal?: AbortSignal): Promise<MetricEntry[]> {
  return (await api.get<MetricList>('/api/metrics', undefined, signal)).metrics.map(toMetricEntry);
}

/** One metric over a range: series per attribute set and exemplars. */
export async function getMetricSeries(
  api: ApiClient,
  query: { service: string; name: string; from: string; to: string; bucket?: string },
  signal?: AbortSignal,
): Promise<MetricView> {
  return toMetricView(await api.get<MetricSeriesResult>('/api/metrics/series', query, signal));
}
