/**
 * Wire types of the "why" routes: compare two executions, the critical path and the time
 * statistics of one, where a flow's time goes over a range, and console lines read across a
 * run (or with no span at all). Schema and, under the same name, TypeScript type. Durations
 * are milliseconds (floats, microsecond precision): they come from the trace outline, which
 * holds whole microseconds.
 */
import { NODE_STATUSES } from '@flowtrace/instrumentation/conventions';
import Type, { type Static } from 'typebox';
import { AnyJson, Nullable, StringEnum } from './schema-kit.js';
import { ExecutionSummaryComponent, LogLine } from './wire-types.js';

const Ms = (description?: string) => Type.Number(description ? { description } : {});

/** One stretch of the critical path: the span that held the run up between two times. */
export const CriticalSegment = Type.Object({
  spanId: Type.String(),
  startMs: Ms("Milliseconds after the execution's first span start"),
  endMs: Ms(),
});
export type CriticalSegment = Static<typeof CriticalSegment>;

/** GET /api/executions/:traceId/critical-path. */
export const CriticalPath = Type.Object({
  traceId: Type.String(),
  durationMs: Ms("The root's duration (to the last known end while it runs)"),
  spanIds: Type.Array(Type.String(), { description: 'The spans on the path, each once, in the order the walk meets them: the root first' }),
  segments: Type.Array(CriticalSegment, { description: 'The path as time stretches, in time order; their lengths add up to the root\'s duration' }),
  criticalMs: Type.Array(Type.Number(), { description: 'Per span on the path, the time it spends on it, in the order of spanIds' }),
});
export type CriticalPath = Static<typeof CriticalPath>;

/** A row of the time table: the spans that share a service, a node or a name. */
export const TimeGroup = Type.Object({
  key: Type.String(),
  label: Type.String({ description: "What to call the group: the node's name for a node (its key is the node id), else the key" }),
  serviceName: Type.String({ description: "The service of the group's spans (for node and name groups, the first one seen)" }),
  count: Type.Integer(),
  totalMs: Ms("Sum of the spans' durations"),
  selfMs: Ms('Sum of their self times: duration minus the time covered by their children'),
  selfPercent: Type.Number({ description: "Self time as a share of the run's duration, 0..100" }),
  avgMs: Ms(),
  minMs: Ms(),
  maxMs: Ms(),
  criticalMs: Ms("Time of the group's spans on the critical path"),
});
export type TimeGroup = Static<typeof TimeGroup>;

/**
 * A frame of the self-time flame graph: spans with the same stack of (service, name) from the
 * root merged into one. `valueMs` is the frame's self time plus its children's values.
 */
export const FlameFrame = Type.Object({
  parent: Type.Integer({ description: 'Index of the parent frame in `frames`, -1 for the root' }),
  depth: Type.Integer(),
  name: Type.String(),
  serviceName: Type.String(),
  count: Type.Integer(),
  selfMs: Ms(),
  valueMs: Ms(),
  spanId: Type.String({ description: 'A span of the frame (the longest), to select it in the waterfall' }),
});
export type FlameFrame = Static<typeof FlameFrame>;

/** GET /api/executions/:traceId/stats (Jaeger's trace statistics, plus a flame graph). */
export const TraceStats = Type.Object({
  traceId: Type.String(),
  durationMs: Ms(),
  spanCount: Type.Integer(),
  byService: Type.Array(TimeGroup),
  byNode: Type.Array(TimeGroup, { description: 'Flow nodes by flow.node.id (spans without one are left out)' }),
  bySpanName: Type.Array(TimeGroup),
  frames: Type.Array(FlameFrame, { description: 'Depth-first; at most `maxFrames`, the smallest cut (`framesTruncated`)' }),
  framesTruncated: Type.Boolean(),
});
export type TraceStats = Static<typeof TraceStats>;

/** One side of a compared row. */
export const CompareSide = Type.Object({
  spanId: Type.String(),
  name: Type.String(),
  serviceName: Type.String(),
  nodeId: Nullable(Type.String()),
  nodeName: Nullable(Type.String()),
  status: StringEnum(NODE_STATUSES),
  durationMs: Nullable(Type.Number({ description: 'null while running' })),
  depth: Type.Integer(),
});
export type CompareSide = Static<typeof CompareSide>;

/** How a row's two spans were matched: node id and order, name and order, or service + name + position. */
export const COMPARE_MATCHES = ['node', 'name', 'position', 'only-a', 'only-b'] as const;
export type CompareMatch = (typeof COMPARE_MATCHES)[number];

/** A compared side, or null when the row has a span on the other side only. */
const SideOrNull = Type.Unsafe<CompareSide | null>({ ...CompareSide, type: ['object', 'null'] });

export const CompareRow = Type.Object({
  match: StringEnum(COMPARE_MATCHES),
  a: SideOrNull,
  b: SideOrNull,
  deltaMs: Nullable(Type.Number({ description: 'b − a, null unless both finished' })),
  statusChanged: Type.Boolean(),
});
export type CompareRow = Static<typeof CompareRow>;

/** A payload (or error) of one side, with the JSON paths that differ from the other side. */
export const ComparedValue = Type.Object({
  a: AnyJson('A payload as captured (parsed when it is JSON), or null'),
  b: AnyJson('A payload as captured (parsed when it is JSON), or null'),
  differingPaths: Type.Array(Type.String(), { description: 'JSON paths ($.x.y[2]) whose values differ; [] when equal' }),
});
export type ComparedValue = Static<typeof ComparedValue>;

/** The side-by-side detail of one compared pair: input, output and error. */
export const CompareDetail = Type.Object({
  aSpanId: Nullable(Type.String()),
  bSpanId: Nullable(Type.String()),
  input: ComparedValue,
  output: ComparedValue,
  error: Type.Unsafe<ComparedValue>({ ...ComparedValue, description: '{ message, exceptions: [{ type, message }] } per side, null when it did not fail' }),
});
export type CompareDetail = Static<typeof CompareDetail>;

/** GET /api/executions/:a/compare/:b. */
export const ExecutionComparison = Type.Object({
  a: ExecutionSummaryComponent.ref,
  b: ExecutionSummaryComponent.ref,
  deltaMs: Ms('b − a of the executions\' durations'),
  rows: Type.Array(CompareRow),
  counts: Type.Object({ matched: Type.Integer(), onlyA: Type.Integer(), onlyB: Type.Integer(), statusChanged: Type.Integer() }),
  truncated: Type.Boolean({ description: 'More rows than `limit` were matched; the rest are left out' }),
  detail: Type.Unsafe<CompareDetail>({ ...CompareDetail, description: 'The pair asked for with ?aSpan=&bSpan= (default: the roots)' }),
});
export type ExecutionComparison = Static<typeof ExecutionComparison>;

/** Per node of a flow over a time range: self time and share of the critical path. */
export const NodeTime = Type.Object({
  nodeId: Type.String(),
  nodeName: Type.String(),
  count: Type.Integer(),
  totalMs: Ms(),
  selfMs: Ms(),
  avgSelfMs: Ms(),
  criticalMs: Ms("Time on its runs' critical paths, summed"),
  criticalPercent: Type.Number({ description: "criticalMs as a share of the runs' durations, 0..100" }),
});
export type NodeTime = Static<typeof NodeTime>;

/** GET /api/flows/:name/time. */
export const FlowTime = Type.Object({
  flowName: Type.String(),
  from: Type.String(),
  to: Type.String(),
  runs: Type.Integer({ description: 'Finished runs counted' }),
  runMs: Ms('Their durations summed'),
  nodes: Type.Array(NodeTime),
});
export type FlowTime = Static<typeof FlowTime>;

/** A console line with the service that wrote it. */
export const LogEntry = Type.Object({ ...LogLine.properties, serviceName: Type.String() });
export type LogEntry = Static<typeof LogEntry>;

/** GET /api/executions/:traceId/logs and GET /api/logs. */
export const LogPage = Type.Object({
  lines: Type.Array(LogEntry),
  truncated: Type.Boolean({ description: 'More lines matched than were sent' }),
});
export type LogPage = Static<typeof LogPage>;
