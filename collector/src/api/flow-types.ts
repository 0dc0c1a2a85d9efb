/**
 * Wire types of flow statistics (GET /api/flows, GET /api/flows/:name/stats): schema and,
 * under the same name, TypeScript type. Rates are 0..1, durations milliseconds.
 */
import Type, { type Static } from 'typebox';
import { IsoTime, named, Nullable } from './schema-kit.js';

const Ms = () => Nullable(Type.Number());

export const FlowStats = Type.Object({
  flowName: Type.String(),
  count: Type.Integer(),
  successCount: Type.Integer(),
  errorCount: Type.Integer(),
  successRate: Type.Number({ description: '0..1 of the finished runs' }),
  errorRate: Type.Number({ description: '0..1 of the finished runs' }),
  avgMs: Ms(),
  p50Ms: Ms(),
  p95Ms: Ms(),
  p99Ms: Ms(),
  lastRunAt: Nullable(Type.String()),
});
export type FlowStats = Static<typeof FlowStats>;
export const FlowStatsComponent = named('FlowStats', FlowStats);

export const FlowList = Type.Object({ flows: Type.Array(FlowStatsComponent.ref) });
export type FlowList = Static<typeof FlowList>;

export const FlowStatsBucket = Type.Object({
  bucketStart: IsoTime(),
  count: Type.Integer(),
  successCount: Type.Integer(),
  errorCount: Type.Integer(),
  avgMs: Ms(),
  p50Ms: Ms(),
  p95Ms: Ms(),
  p99Ms: Ms(),
});
export type FlowStatsBucket = Static<typeof FlowStatsBucket>;

export const NodeStats = Type.Object({
  nodeId: Type.String(),
  nodeName: Type.String(),
  nodeType: Nullable(Type.String()),
  count: Type.Integer(),
  errorCount: Type.Integer(),
  errorRate: Type.Number(),
  avgMs: Ms(),
  p50Ms: Ms(),
  p95Ms: Ms(),
  p99Ms: Ms(),
});
export type NodeStats = Static<typeof NodeStats>;

/** GET /api/flows/:name/stats. */
export const FlowStatsSeries = Type.Object({
  flowName: Type.String(),
  from: IsoTime(),
  to: IsoTime(),
  bucketSeconds: Type.Integer({ description: 'Bucket width in seconds' }),
  summary: FlowStatsComponent.ref,
  series: Type.Array(FlowStatsBucket),
  nodes: Type.Array(NodeStats),
});
export type FlowStatsSeries = Static<typeof FlowStatsSeries>;
