/**
 * Wire types of the "why" routes: compare two executions, the critical path and the time
 * statistics of one, where a flow's time goes over a range, and console lines read across a
 * run (or with no span at all). Durations are milliseconds (floats, microsecond precision):
 * they come from the trace outline, which holds whole microseconds.
 */
import type { ExecutionSummary, LogLine, NodeStatus } from './wire-types.js';

/** One stretch of the critical path: the span that held the run up between two times. */
export interface CriticalSegment {
  spanId: string;
  /** Milliseconds after the execution's first span start. */
  startMs: number;
  endMs: number;
}

/** GET /api/executions/:traceId/critical-path. */
export interface CriticalPath {
  traceId: string;
  /** The root's duration (to the last known end while it runs). */
  durationMs: number;
  /** The spans on the path, each once, in the order the walk meets them: the root first. */
  spanIds: string[];
  /** The path as time stretches, in time order; their lengths add up to the root's duration. */
  segments: CriticalSegment[];
  /** Per span on the path, the time it spends on it (milliseconds), in the order of spanIds. */
  criticalMs: number[];
}

/** A row of the time table: the spans that share a service, a node or a name. */
export interface TimeGroup {
  key: string;
  /** What to call the group: the node's name for a node (its key is the node id), else the key. */
  label: string;
  /** The service of the group's spans (for node and name groups, the first one seen). */
  serviceName: string;
  count: number;
  /** Sum of the spans' durations. */
  totalMs: number;
  /** Sum of their self times: duration minus the time covered by their children. */
  selfMs: number;
  /** Self time as a share of the run's duration, 0..100. */
  selfPercent: number;
  avgMs: number;
  minMs: number;
  maxMs: number;
  /** Time of the group's spans on the critical path. */
  criticalMs: number;
}

/**
 * A frame of the self-time flame graph: spans with the same stack of (service, name) from the
 * root merged into one. `valueMs` is the frame's self time plus its children's values.
 */
export interface FlameFrame {
  /** Index of the parent frame in `frames`, -1 for the root. */
  parent: number;
  depth: number;
  name: string;
  serviceName: string;
  count: number;
  selfMs: number;
  valueMs: number;
  /** A span of the frame (the longest), to select it in the waterfall. */
  spanId: string;
}

/** GET /api/executions/:traceId/stats (Jaeger's trace statistics, plus a flame graph). */
export interface TraceStats {
  traceId: string;
  durationMs: number;
  spanCount: number;
  byService: TimeGroup[];
  /** Flow nodes by flow.node.id (spans without one are left out). */
  byNode: TimeGroup[];
  bySpanName: TimeGroup[];
  /** Frames in depth-first order; at most `maxFrames`, the smallest cut (`framesTruncated`). */
  frames: FlameFrame[];
  framesTruncated: boolean;
}

/** One side of a compared row. */
export interface CompareSide {
  spanId: string;
  name: string;
  serviceName: string;
  nodeId: string | null;
  nodeName: string | null;
  status: NodeStatus;
  /** null while running. */
  durationMs: number | null;
  depth: number;
}

/** How a row's two spans were matched: node id and order, name and order, or service + name + position. */
export type CompareMatch = 'node' | 'name' | 'position' | 'only-a' | 'only-b';

export interface CompareRow {
  match: CompareMatch;
  a: CompareSide | null;
  b: CompareSide | null;
  /** b − a, null unless both finished. */
  deltaMs: number | null;
  statusChanged: boolean;
}

/** A payload (or error) of one side, with the JSON paths that differ from the other side. */
export interface ComparedValue {
  a: unknown;
  b: unknown;
  /** JSON paths ($.x.y[2]) whose values differ; [] when equal. */
  differingPaths: string[];
}

/** The side-by-side detail of one compared pair: input, output and error. */
export interface CompareDetail {
  aSpanId: string | null;
  bSpanId: string | null;
  input: ComparedValue;
  output: ComparedValue;
  /** { message, exceptions: [{ type, message }] } per side, null when it did not fail. */
  error: ComparedValue;
}

/** GET /api/executions/:a/compare/:b. */
export interface ExecutionComparison {
  a: ExecutionSummary;
  b: ExecutionSummary;
  /** b − a of the executions' durations. */
  deltaMs: number;
  rows: CompareRow[];
  counts: { matched: number; onlyA: number; onlyB: number; statusChanged: number };
  /** More rows than `limit` were matched; the rest are left out. */
  truncated: boolean;
  /** The pair asked for with ?aSpan=&bSpan= (default: the roots). */
  detail: CompareDetail;
}

/** Per node of a flow over a time range: self time and share of the critical path. */
export interface NodeTime {
  nodeId: string;
  nodeName: string;
  count: number;
  totalMs: number;
  selfMs: number;
  avgSelfMs: number;
  /** Time on its runs' critical paths, summed. */
  criticalMs: number;
  /** criticalMs as a share of the runs' durations, 0..100. */
  criticalPercent: number;
}

/** GET /api/flows/:name/time. */
export interface FlowTime {
  flowName: string;
  from: string;
  to: string;
  /** Finished runs counted. */
  runs: number;
  /** Their durations summed. */
  runMs: number;
  nodes: NodeTime[];
}

/** A console line with the service that wrote it. */
export interface LogEntry extends LogLine {
  serviceName: string;
}

/** GET /api/executions/:traceId/logs and GET /api/logs. */
export interface LogPage {
  lines: LogEntry[];
  /** More lines matched than were sent. */
  truncated: boolean;
}
