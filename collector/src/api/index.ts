/**
 * Public wire types of the collector's HTTP API (type-only; the viewer imports these). Each is
 * the Static type of the schema the routes validate, serialise and document with (see the
 * modules below and api/routes/ for each route's contract).
 */
export type { ApiError } from './api-error.js';
export type {
  ExecutionDetail,
  ExecutionList,
  ExecutionStatus,
  ExecutionSummary,
  LiveEvent,
  LiveEventType,
  LiveLog,
  LiveSpan,
  LogLine,
  NodeStatus,
  OutlineCodes,
  OutlineField,
  OutlineSpan,
  Span,
  SpanDetail,
  SpanEvent,
  SpanKindName,
  SpanLink,
  SpanMatchList,
  StatusCodeName,
  TraceOutline,
} from './wire-types.js';
export { LIVE_EVENT_TYPES } from './wire-types.js';
export type { FlowList, FlowStats, FlowStatsBucket, FlowStatsSeries, NodeStats } from './flow-types.js';
export type { AttributeKeyInfo, AttributeKeyList, ServiceInfo, ServiceList } from './catalog-types.js';
export type { SqlColumn, SqlRequest, SqlResult } from './sql-types.js';
export type {
  MetricExemplar, MetricInfo, MetricKind, MetricList, MetricMeasure, MetricSeries, MetricSeriesResult,
} from './metric-types.js';
export type {
  CancelRequest, ControlFlow, ControlResult, ControlStatus, IncompleteField, ReplayInput, ReplayRequest,
} from './control-types.js';
export type {
  CompareDetail, ComparedValue, CompareMatch, CompareRow, CompareSide, CriticalPath, CriticalSegment, ExecutionComparison,
  FlameFrame, FlowTime, LogEntry, LogPage, NodeTime, TimeGroup, TraceStats,
} from './why-wire-types.js';
