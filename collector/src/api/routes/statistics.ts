/**
 * Contracts of the statistics routes: flows (query/flows-routes.ts), the "why" views
 * (query/why-routes.ts) and metrics (query/metrics-routes.ts).
 */
import Type from 'typebox';
import { errorAnswers } from '../api-error.js';
import { FlowList, FlowStatsSeries } from '../flow-types.js';
import { MetricList, MetricListQuery, MetricSeriesQuery, MetricSeriesResult } from '../metric-types.js';
import { SpanId, TraceId } from '../schema-kit.js';
import { CriticalPath, ExecutionComparison, FlowTime, TraceStats } from '../why-wire-types.js';
import { FlowNameParams, Time, TraceParams } from './executions.js';

const Bucket = Type.String({ pattern: '^[0-9]{1,6}(s|m|h|d)?$', description: '30s, 5m, 1h, 1d or seconds; about 60 buckets by default' });
const RangeQuery = Type.Object({ from: Type.Optional(Time), to: Type.Optional(Time), bucket: Type.Optional(Bucket) }, { additionalProperties: false });

export const listFlows = {
  summary: 'Every flow with count, success and error rate, average and p50/p95/p99 duration, last run',
  querystring: RangeQuery,
  response: { 200: FlowList, ...errorAnswers(400, 401) },
};

export const flowStats = {
  summary: 'One flow over a time range: summary, time series and per-node statistics',
  params: FlowNameParams,
  querystring: RangeQuery,
  response: { 200: FlowStatsSeries, ...errorAnswers(400, 401, 404) },
};

export const criticalPath = {
  summary: "The execution's critical path (Jaeger's and Tempo's definition): the spans that determined its duration, root first, and the path as time stretches",
  params: TraceParams,
  response: { 200: CriticalPath, ...errorAnswers(400, 401, 404) },
};

export const traceStats = {
  summary: "Where the execution's time went: count, total and self time, share of the run and critical-path time per service, node and span name; a flame graph of self time",
  params: TraceParams,
  response: { 200: TraceStats, ...errorAnswers(400, 401, 404) },
};

export const compareExecutions = {
  summary: 'Two executions compared: spans matched by node id and order, then by service + name and order; per row status and duration with the difference; side-by-side input, output and error of one pair (?aSpan=&bSpan=, default the roots) with the JSON paths that differ',
  params: Type.Object({ a: TraceId, b: TraceId }),
  querystring: Type.Object({
    aSpan: Type.Optional(SpanId),
    bSpan: Type.Optional(SpanId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200_000, default: 5000 })),
  }, { additionalProperties: false }),
  response: { 200: ExecutionComparison, ...errorAnswers(400, 401, 404) },
};

export const flowTime = {
  summary: "Where a flow's time goes over a time range, per node: count, total and self time, time on the runs' critical paths and its share of their duration",
  params: FlowNameParams,
  querystring: Type.Object({ from: Type.Optional(Time), to: Type.Optional(Time) }, { additionalProperties: false }),
  response: { 200: FlowTime, ...errorAnswers(400, 401, 404) },
};

export const listMetrics = {
  summary: 'Every metric name per service: type, unit, description, points, series, first and last time, last value',
  querystring: MetricListQuery,
  response: { 200: MetricList, ...errorAnswers(400, 401) },
};

export const metricSeries = {
  summary: 'One metric over a time range: bucketed series per attribute set (the highest maxSeries) and exemplars with trace ids',
  querystring: MetricSeriesQuery,
  response: { 200: MetricSeriesResult, ...errorAnswers(400, 401, 404) },
};
