/**
 * Wire types of the collector's HTTP API: what the JSON bodies look like. The viewer imports
 * these as types only. Times are ISO 8601 strings (millisecond precision) plus, where a
 * waterfall needs more, nanoseconds since the epoch as decimal strings.
 */
import type { ExecutionStatus, NodeStatus } from '@flowtrace/instrumentation/conventions';

export type { ExecutionStatus, NodeStatus };

/** OTel span kind, lower case. */
export type SpanKindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** One execution (trace) in a list. */
export interface ExecutionSummary {
  traceId: string;
  /** flow.name; for traces from plain OTel SDKs, `service: root span name`. */
  flowName: string;
  flowId: string | null;
  flowVersion: string | null;
  /** flow.execution.kind of the root span, null for plain OTel traces. */
  executionKind: string | null;
  serviceName: string;
  status: ExecutionStatus;
  startTime: string;
  startTimeUnixNano: string;
  /** null while running. */
  endTime: string | null;
  /** Duration of the finished root span; while running, the time so far; once abandoned, until the trace fell silent. */
  durationMs: number;
  spanCount: number;
  errorCount: number;
  triggerType: string | null;
  userId: string | null;
  /** flow.error.node_id of the root span. */
  errorNodeId: string | null;
  /** The root span's status message or first exception message. */
  errorMessage: string | null;
  /** true once the root span (finished) has arrived. */
  hasRoot: boolean;
  /**
   * The root has a parent that is not in the trace: the execution continues a trace from
   * elsewhere (a gateway, a browser, a service that sends its spans somewhere else; the SDK
   * marks such a parent remote). Not a broken trace: its root's status and duration are its own.
   */
  continuesRemoteTrace: boolean;
  /** The root's parent span id when continuesRemoteTrace, else null. */
  remoteParentSpanId: string | null;
  /** Time the collector last received anything for this trace. */
  lastSeenAt: string;
}

export interface ExecutionList {
  executions: ExecutionSummary[];
  /** Opaque; pass as `cursor` to get the next (older) page. null on the last page. */
  nextCursor: string | null;
}

export interface SpanEvent {
  name: string;
  time: string;
  timeUnixNano: string;
  attributes: Record<string, unknown>;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string | null;
  attributes: Record<string, unknown>;
}

export interface Span {
  traceId: string;
  spanId: string;
  /** null for a root. */
  parentSpanId: string | null;
  name: string;
  serviceName: string;
  kind: SpanKindName;
  startTime: string;
  startTimeUnixNano: string;
  /** null while the span is running (known only from its start mark). */
  endTime: string | null;
  endTimeUnixNano: string | null;
  durationMs: number | null;
  /** running, success, error, cancelled, timed_out, skipped (flow.node.status / flow.execution.status win over OTel status). */
  status: NodeStatus;
  /** OTel status code: unset | ok | error. */
  statusCode: 'unset' | 'ok' | 'error';
  statusMessage: string | null;
  attributes: Record<string, unknown>;
  resourceAttributes: Record<string, unknown>;
  scopeName: string | null;
  scopeVersion: string | null;
  traceState: string | null;
  events: SpanEvent[];
  links: SpanLink[];
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

export interface LogLine {
  traceId: string;
  spanId: string | null;
  time: string;
  timeUnixNano: string;
  /** OTel severity text (INFO, WARN, …) or derived from the number. */
  severity: string;
  severityNumber: number;
  body: string;
  attributes: Record<string, unknown>;
}

export interface ExecutionDetail {
  execution: ExecutionSummary & {
    /** Root present and every span's parent present. */
    complete: boolean;
    /** Spans whose parent is not in the trace (excluding the root). */
    orphanCount: number;
  };
  spans: Span[];
  logs: LogLine[];
}

/** The fields of an outline tuple (see TraceOutline), in the order `fields` lists them. */
export type OutlineField =
  | 'spanId' | 'parentSpanId' | 'name' | 'serviceName' | 'kind' | 'status' | 'statusCode' | 'statusMessage'
  | 'nodeId' | 'nodeName' | 'nodeType' | 'nodeIndex' | 'startUs' | 'durationUs';

/**
 * One span of an outline, a JSON array. kind, status and statusCode are indexes into the
 * outline's `codes`; times are whole microseconds (see TraceOutline).
 */
export type OutlineSpan = [
  spanId: string,
  /** null for a root; may name a span that is not in the trace (an orphan's parent). */
  parentSpanId: string | null,
  name: string,
  serviceName: string,
  /** Index into codes.kind (OTel's SpanKind number). */
  kind: number,
  /** Index into codes.status. */
  status: number,
  /** Index into codes.statusCode (OTel's status code number). */
  statusCode: number,
  statusMessage: string | null,
  /** flow.node.id, flow.node.name, flow.node.type, flow.node.index of a flow node, else null. */
  nodeId: string | null,
  nodeName: string | null,
  nodeType: string | null,
  nodeIndex: number | null,
  /** Microseconds after the base: the start's epoch microsecond minus the base's. */
  startUs: number,
  /** Microseconds from the start's epoch microsecond to the end's; null while the span runs. */
  durationUs: number | null,
];

/** The lists that coded outline fields index into. */
export interface OutlineCodes {
  /** In OTel's order: an index is OTel's SpanKind number. */
  kind: SpanKindName[];
  status: NodeStatus[];
  /** In OTel's order: an index is OTel's status code number. */
  statusCode: Array<'unset' | 'ok' | 'error'>;
}

/**
 * GET /api/executions/:traceId/outline: what a waterfall draws, without attributes, events,
 * links or console lines (GET /api/executions/:traceId/spans/:spanId has those, per span).
 * Compact for huge traces: a tuple per span, enumerations as small numbers, times in whole
 * microseconds (exact nanoseconds are in the span's details).
 */
export interface TraceOutline {
  execution: ExecutionDetail['execution'];
  /** Nanoseconds since the epoch (decimal) of the earliest start; times count from its microsecond (the value cut to microseconds). */
  baseTimeUnixNano: string;
  /** The meaning of each position of a span tuple; read positions from here, new fields may be appended. */
  fields: OutlineField[];
  /** For each coded field, the list its values index into. */
  codes: OutlineCodes;
  /** In start order. */
  spans: OutlineSpan[];
}

/** GET /api/executions/:traceId/span-matches: spans whose attribute values hold `q` and/or that carry every `attr`. */
export interface SpanMatchList {
  spanIds: string[];
}

/** GET /api/executions/:traceId/spans/:spanId: one span as in the full trace, and its console lines. */
export interface SpanDetail {
  span: Span;
  logs: LogLine[];
}

export interface FlowStats {
  flowName: string;
  count: number;
  successCount: number;
  errorCount: number;
  /** 0..1 */
  successRate: number;
  /** 0..1 */
  errorRate: number;
  avgMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  lastRunAt: string | null;
}

export interface FlowList {
  flows: FlowStats[];
}

export interface FlowStatsBucket {
  bucketStart: string;
  count: number;
  successCount: number;
  errorCount: number;
  avgMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface NodeStats {
  nodeId: string;
  nodeName: string;
  nodeType: string | null;
  count: number;
  errorCount: number;
  errorRate: number;
  avgMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface FlowStatsSeries {
  flowName: string;
  from: string;
  to: string;
  /** Bucket width in seconds. */
  bucketSeconds: number;
  summary: FlowStats;
  series: FlowStatsBucket[];
  nodes: NodeStats[];
}

export interface ServiceInfo {
  serviceName: string;
  spanCount: number;
  lastSeenAt: string | null;
}

export interface ServiceList {
  services: ServiceInfo[];
}

export interface AttributeKeyInfo {
  key: string;
  /** How many spans carry it (approximate for large stores). */
  count: number;
  /** A few frequent values, for suggestions. */
  topValues: string[];
}

export interface AttributeKeyList {
  attributes: AttributeKeyInfo[];
}

export interface SqlRequest {
  sql: string;
}

export interface SqlColumn {
  name: string;
  type: string;
}

export interface SqlResult {
  columns: SqlColumn[];
  rows: unknown[][];
  truncated: boolean;
  elapsedMs: number;
}

/** The body of every error answer. */
export interface ApiError {
  code: string;
  message: string;
  statusCode: number;
}

export const LIVE_EVENT_TYPES = [
  'execution.started',
  'execution.completed',
  'execution.failed',
  'span.started',
  'span.completed',
  'span.failed',
  'log',
] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

/** One event of GET /api/live (Server-Sent Events; `id:` is `seq`, `event:` is `type`, `data:` is this JSON). */
export interface LiveEvent {
  /** Monotonic sequence number; pass the last one seen as `since` or Last-Event-ID to catch up. */
  seq: number;
  type: LiveEventType;
  traceId: string;
  spanId: string | null;
  /** For execution.* events. */
  execution?: ExecutionSummary;
  /** For span.* events (for span.started: endTime null, status running). */
  span?: LiveSpan;
  /** For log events: a console or log line of the trace, sent only to streams that watch one trace (`traceId=`). */
  log?: LiveLog;
}

/**
 * A console or log line as a live event carries it: no attributes, the body cut to
 * LIVE_LOG_BODY_CHARS characters (`truncated` says so; GET …/spans/:spanId has it whole).
 */
export interface LiveLog extends Pick<LogLine, 'time' | 'timeUnixNano' | 'severity' | 'severityNumber' | 'body'> {
  truncated: boolean;
}

/**
 * A span as a live event carries it: what the waterfall and the lists draw (as an outline
 * span has), never attributes, events or links — GET /api/executions/:traceId/spans/:spanId
 * has those. Texts longer than 1,024 characters are cut (the outline has them whole).
 */
export interface LiveSpan extends Pick<Span,
  | 'traceId' | 'spanId' | 'parentSpanId' | 'name' | 'serviceName' | 'kind' | 'startTime' | 'startTimeUnixNano'
  | 'endTime' | 'endTimeUnixNano' | 'durationMs' | 'status' | 'statusCode' | 'statusMessage'> {
  /** flow.node.id, flow.node.name, flow.node.type, flow.node.index of a flow node, else null. */
  nodeId: string | null;
  nodeName: string | null;
  nodeType: string | null;
  nodeIndex: number | null;
}

/** The kinds of OTLP metric. */
export type MetricKind = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';

/**
 * What a metric's chart can show: `value` (newest in the bucket: gauges, non-monotonic cumulative
 * sums), `rate` (per second: a monotonic sum's increase, or a distribution's values recorded),
 * `change` (a non-monotonic delta sum's total per bucket), `p95`/`p50` (estimated from histogram
 * buckets; a summary's own) and `avg` (sum / count).
 */
export type MetricMeasure = 'value' | 'rate' | 'change' | 'p95' | 'p50' | 'avg';

/** One metric name of one service (GET /api/metrics). */
export interface MetricInfo {
  serviceName: string;
  name: string;
  type: MetricKind;
  unit: string | null;
  description: string | null;
  temporality: 'delta' | 'cumulative' | null;
  /** Sums only. */
  isMonotonic: boolean | null;
  pointCount: number;
  /** Streams: distinct resource, scope and point attributes. */
  seriesCount: number;
  firstTime: string;
  lastTime: string;
  /** The newest point's value (gauges and sums; one series' when there are several). */
  lastValue: number | null;
  exemplarCount: number;
}

export interface MetricList {
  metrics: MetricInfo[];
}

export interface MetricSeries {
  /** The point attributes of the series. */
  attributes: Record<string, unknown>;
  /** Resource attributes that tell it from another series with the same point attributes ({} mostly). */
  resource: Record<string, unknown>;
  /** Per measure, one value per bucket of `bucketStarts` (null: no data). */
  values: Partial<Record<MetricMeasure, Array<number | null>>>;
}

/** An exemplar: a measurement that points at the span (and trace) that recorded it. */
export interface MetricExemplar {
  traceId: string;
  spanId: string | null;
  time: string;
  timeUnixNano: string;
  value: number | null;
  /** The point attributes of the series it came with. */
  attributes: Record<string, unknown>;
  filteredAttributes: Record<string, unknown>;
}

/** GET /api/metrics/series: one metric over a time range. */
export interface MetricSeriesResult {
  metric: Omit<MetricInfo, 'seriesCount' | 'lastValue' | 'exemplarCount'>;
  from: string;
  to: string;
  bucketSeconds: number;
  /** ISO start of each bucket. */
  bucketStarts: string[];
  /** The measures each series carries, the first the default. */
  measures: MetricMeasure[];
  /** The series with the highest peaks of the first measure, at most `maxSeries`. */
  series: MetricSeries[];
  /** Series with points in the range; more than `series.length` when some were cut. */
  seriesCount: number;
  truncated: boolean;
  /** Exemplars with a trace id in the range: the highest few of each bucket, in time order. */
  exemplars: MetricExemplar[];
  exemplarsTruncated: boolean;
}
