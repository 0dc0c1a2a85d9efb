/**
 * The viewer's own domain types. The API speaks JSON with ISO strings and nanoseconds as
 * decimal strings; lib/api/wire-to-domain.ts turns that into these shapes once, so that
 * the rest of the viewer works with epoch milliseconds (floats, microsecond precision).
 */
import type { ExecutionStatus, NodeStatus } from '@flowtrace/collector/api';

export type { ExecutionStatus, NodeStatus };

/** What a badge shows: the API status, or `incomplete` when a finished trace lacks its root. */
export type DisplayStatus = ExecutionStatus | 'incomplete' | 'skipped';

export interface Execution {
  traceId: string;
  flowName: string;
  flowId: string | null;
  flowVersion: string | null;
  kind: string | null;
  serviceName: string;
  status: ExecutionStatus;
  displayStatus: DisplayStatus;
  startMs: number;
  endMs: number | null;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  triggerType: string | null;
  userId: string | null;
  errorNodeId: string | null;
  errorMessage: string | null;
  hasRoot: boolean;
  /** The root's parent is not in the trace: it continues a trace from elsewhere (a gateway, a browser). */
  continuesRemoteTrace: boolean;
  remoteParentSpanId: string | null;
  lastSeenMs: number;
}

export interface ExecutionDetailModel extends Execution {
  complete: boolean;
  orphanCount: number;
}

export interface SpanEventModel {
  name: string;
  timeMs: number;
  attributes: Record<string, unknown>;
}

export interface SpanLinkModel {
  traceId: string;
  spanId: string;
  attributes: Record<string, unknown>;
}

/**
 * A span as the waterfall knows it, from the trace outline (or a live event): identity,
 * timing, status and flow node. Attributes, events and console lines are SpanDetailsModel,
 * fetched when the span is chosen.
 */
export interface SpanModel {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  serviceName: string;
  kind: string;
  startMs: number;
  /** null while running. */
  endMs: number | null;
  status: NodeStatus;
  statusCode: 'unset' | 'ok' | 'error';
  statusMessage: string | null;
  /** flow.node.id / name / type / index when the span is a flow node. */
  nodeId: string | null;
  nodeName: string | null;
  nodeType: string | null;
  nodeIndex: number | null;
}

/** What the span panel shows beyond the outline: attributes (payloads too), events, links, console lines. */
export interface SpanDetailsModel {
  spanId: string;
  attributes: Record<string, unknown>;
  resourceAttributes: Record<string, unknown>;
  scopeName: string | null;
  events: SpanEventModel[];
  links: SpanLinkModel[];
  logs: ConsoleLine[];
}

export interface ConsoleLine {
  spanId: string | null;
  timeMs: number;
  severity: string;
  severityNumber: number;
  body: string;
  attributes: Record<string, unknown>;
}

export interface ExceptionInfo {
  type: string;
  message: string;
  stack: string | null;
  timeMs: number;
}

/** An opened execution: its summary and the outline of its spans. */
export interface TraceData {
  execution: ExecutionDetailModel;
  spans: SpanModel[];
}
