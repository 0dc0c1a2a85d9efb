/**
 * Wire types of the execution history: an execution, its spans and console lines, the outline a
 * waterfall draws, and the live events. Each is a TypeBox schema (what Fastify validates and
 * serialises with, what the OpenAPI description shows) and, under the same name, its
 * TypeScript type (Static); the viewer imports the types only. Times are ISO 8601 strings
 * (millisecond precision) plus, where a waterfall needs more, nanoseconds since the epoch as
 * decimal strings.
 */
import {
  EXECUTION_STATUSES, NODE_STATUSES, SPAN_KIND_NAMES, STATUS_CODE_NAMES,
  type ExecutionStatus, type NodeStatus, type SpanKindName, type StatusCodeName,
} from '@flowtrace/instrumentation/conventions';
import Type, { type Static, type TSchema } from 'typebox';
import { Attributes, IsoTime, named, Nullable, StringEnum, TupleOf, UnixNano } from './schema-kit.js';

export type { ExecutionStatus, NodeStatus, SpanKindName, StatusCodeName };
export { SPAN_KIND_NAMES, STATUS_CODE_NAMES };

const NullableString = (description?: string) => Nullable(Type.String(description ? { description } : {}));

/** One execution (trace) in a list. */
export const ExecutionSummary = Type.Object({
  traceId: Type.String(),
  flowName: Type.String({ description: 'flow.name; for traces from plain OTel SDKs, `service: root span name`' }),
  flowId: NullableString(),
  flowVersion: NullableString(),
  executionKind: NullableString('flow.execution.kind of the root span, null for plain OTel traces'),
  serviceName: Type.String(),
  status: StringEnum(EXECUTION_STATUSES),
  startTime: IsoTime(),
  startTimeUnixNano: UnixNano(),
  endTime: NullableString('null while running'),
  durationMs: Type.Number({ description: 'Of the finished root span; while running, the time so far; once abandoned, until the trace fell silent' }),
  spanCount: Type.Integer(),
  errorCount: Type.Integer(),
  triggerType: NullableString(),
  userId: NullableString(),
  errorNodeId: NullableString('flow.error.node_id of the root span'),
  errorMessage: NullableString("The root span's status message or first exception message"),
  hasRoot: Type.Boolean({ description: 'true once the root span (finished) has arrived' }),
  continuesRemoteTrace: Type.Boolean({
    description: 'The root has a parent that is not in the trace: the execution continues a trace from elsewhere (a gateway, a browser, '
      + 'a service that sends its spans somewhere else). Not a broken trace: its status and duration are its own.',
  }),
  remoteParentSpanId: NullableString("The root's parent span id when continuesRemoteTrace, else null"),
  lastSeenAt: Type.String({ description: 'Time the collector last received anything for this trace' }),
});
export type ExecutionSummary = Static<typeof ExecutionSummary>;
export const ExecutionSummaryComponent = named('ExecutionSummary', ExecutionSummary);

export const ExecutionList = Type.Object({
  executions: Type.Array(ExecutionSummaryComponent.ref),
  nextCursor: NullableString('Opaque; pass as `cursor` to get the next (older) page. null on the last page.'),
});
export type ExecutionList = Static<typeof ExecutionList>;

export const SpanEvent = Type.Object({ name: Type.String(), time: IsoTime(), timeUnixNano: UnixNano(), attributes: Attributes });
export type SpanEvent = Static<typeof SpanEvent>;

export const SpanLink = Type.Object({ traceId: Type.String(), spanId: Type.String(), traceState: NullableString(), attributes: Attributes });
export type SpanLink = Static<typeof SpanLink>;

/** What a span's times and status look like in a full span, a live span and an outline alike. */
const spanHead = {
  traceId: Type.String(),
  spanId: Type.String(),
  parentSpanId: NullableString('null for a root'),
  name: Type.String(),
  serviceName: Type.String(),
  kind: StringEnum(SPAN_KIND_NAMES),
  startTime: IsoTime(),
  startTimeUnixNano: UnixNano(),
  endTime: NullableString('null while the span is running (known only from its start mark)'),
  endTimeUnixNano: NullableString(),
  durationMs: Nullable(Type.Number()),
  status: StringEnum(NODE_STATUSES, { description: 'flow.node.status / flow.execution.status win over the OTel status' }),
  statusCode: StringEnum(STATUS_CODE_NAMES, { description: 'OTel status code' }),
  statusMessage: NullableString(),
};

/** A span as GET /api/executions/:traceId and GET …/spans/:spanId answer it. */
export const Span = Type.Object({
  ...spanHead,
  attributes: Attributes,
  resourceAttributes: Attributes,
  scopeName: NullableString(),
  scopeVersion: NullableString(),
  traceState: NullableString(),
  events: Type.Array(SpanEvent),
  links: Type.Array(SpanLink),
  droppedAttributesCount: Type.Integer(),
  droppedEventsCount: Type.Integer(),
  droppedLinksCount: Type.Integer(),
});
export type Span = Static<typeof Span>;

export const LogLine = Type.Object({
  traceId: Type.String(),
  spanId: NullableString(),
  time: IsoTime(),
  timeUnixNano: UnixNano(),
  severity: Type.String({ description: 'OTel severity text (INFO, WARN, …) or derived from the number' }),
  severityNumber: Type.Integer(),
  body: Type.String(),
  attributes: Attributes,
});
export type LogLine = Static<typeof LogLine>;

/** The execution of a trace answer: the summary, and whether the trace is complete. */
const ExecutionOfTrace = Type.Intersect([
  ExecutionSummaryComponent.ref,
  Type.Object({
    complete: Type.Boolean({ description: 'Root present and every span\'s parent present' }),
    orphanCount: Type.Integer({ description: 'Spans whose parent is not in the trace (excluding the root)' }),
  }),
]);

/** GET /api/executions/:traceId. */
export const ExecutionDetail = Type.Object({ execution: ExecutionOfTrace, spans: Type.Array(Span), logs: Type.Array(LogLine) });
export type ExecutionDetail = Static<typeof ExecutionDetail>;

/** GET /api/executions/:traceId/spans/:spanId: one span as in the full trace, and its console lines. */
export const SpanDetail = Type.Object({ span: Span, logs: Type.Array(LogLine) });
export type SpanDetail = Static<typeof SpanDetail>;

/** GET /api/executions/:traceId/span-matches: spans whose attribute values hold `q` and/or that carry every `attr`. */
export const SpanMatchList = Type.Object({ spanIds: Type.Array(Type.String()) });
export type SpanMatchList = Static<typeof SpanMatchList>;

/**
 * The positions of an outline span (a JSON array), each with its name and type: kind, status and
 * statusCode are indexes into the outline's `codes`; startUs is microseconds after the base,
 * durationUs null while the span runs.
 */
const OUTLINE_POSITIONS = [
  ['spanId', Type.String()],
  ['parentSpanId', NullableString('null for a root; may name a span that is not in the trace (an orphan\'s parent)')],
  ['name', Type.String()],
  ['serviceName', Type.String()],
  ['kind', Type.Integer({ description: 'Index into codes.kind (OTel\'s SpanKind number)' })],
  ['status', Type.Integer({ description: 'Index into codes.status' })],
  ['statusCode', Type.Integer({ description: 'Index into codes.statusCode (OTel\'s status code number)' })],
  ['statusMessage', NullableString()],
  ['nodeId', NullableString('flow.node.id of a flow node, else null')],
  ['nodeName', NullableString()],
  ['nodeType', NullableString()],
  ['nodeIndex', Nullable(Type.Integer())],
  ['startUs', Type.Integer({ description: 'Microseconds after the base: the start\'s epoch microsecond minus the base\'s' })],
  ['durationUs', Nullable(Type.Integer({ description: 'From the start\'s epoch microsecond to the end\'s; null while the span runs' }))],
] as const;

type Positions = readonly (readonly [string, TSchema])[];
type NamesOf<P extends Positions> = { -readonly [I in keyof P]: P[I] extends readonly [infer N, TSchema] ? N : never };
type ValuesOf<P extends Positions> = { -readonly [I in keyof P]: P[I] extends readonly [string, infer S extends TSchema] ? Static<S> : never };

/** The fields of an outline tuple, in the order `fields` lists them. */
export const OUTLINE_FIELD_NAMES = OUTLINE_POSITIONS.map(([name]) => name) as NamesOf<typeof OUTLINE_POSITIONS>;
export type OutlineField = (typeof OUTLINE_FIELD_NAMES)[number];
/** One span of an outline: a JSON array in the order of OUTLINE_FIELD_NAMES. */
export type OutlineSpan = ValuesOf<typeof OUTLINE_POSITIONS>;

/** The lists that coded outline fields index into. */
export const OutlineCodes = Type.Object({
  kind: Type.Array(StringEnum(SPAN_KIND_NAMES), { description: "In OTel's order: an index is OTel's SpanKind number" }),
  status: Type.Array(StringEnum(NODE_STATUSES)),
  statusCode: Type.Array(StringEnum(STATUS_CODE_NAMES), { description: "In OTel's order: an index is OTel's status code number" }),
}, { description: 'For each coded field, the texts its indexes stand for' });
export type OutlineCodes = Static<typeof OutlineCodes>;

/**
 * GET /api/executions/:traceId/outline: what a waterfall draws, without attributes, events,
 * links or console lines (GET /api/executions/:traceId/spans/:spanId has those, per span).
 * Compact for huge traces: a tuple per span, enumerations as small numbers, times in whole
 * microseconds (exact nanoseconds are in the span's details).
 */
export const TraceOutline = Type.Object({
  execution: ExecutionOfTrace,
  baseTimeUnixNano: UnixNano({
    description: 'Nanoseconds since the epoch of the earliest start; times count from its microsecond (the value cut to microseconds)',
  }),
  fields: Type.Array(StringEnum(OUTLINE_FIELD_NAMES), { description: 'The meaning of each position of a span tuple; read positions from here, new fields may be appended' }),
  codes: OutlineCodes,
  spans: Type.Array(TupleOf<OutlineSpan>(`A span: ${OUTLINE_POSITIONS.map(([name, schema]) => `${name}${'description' in schema ? ` (${String(schema.description)})` : ''}`).join(', ')}`), { description: 'In start order' }),
}, {
  description: 'What a waterfall draws: per span one array whose positions `fields` names, in start order. kind, status and statusCode '
    + 'are indexes into the lists of `codes`; startUs is whole microseconds after baseTimeUnixNano (both cut to microseconds), '
    + 'durationUs null while the span runs.',
});
export type TraceOutline = Static<typeof TraceOutline>;

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

/**
 * A console or log line as a live event carries it: no attributes, the body cut to
 * LIVE_LOG_BODY_CHARS characters (`truncated` says so; GET …/spans/:spanId has it whole).
 */
export const LiveLog = Type.Object({
  time: LogLine.properties.time,
  timeUnixNano: LogLine.properties.timeUnixNano,
  severity: LogLine.properties.severity,
  severityNumber: LogLine.properties.severityNumber,
  body: LogLine.properties.body,
  truncated: Type.Boolean(),
});
export type LiveLog = Static<typeof LiveLog>;

/**
 * A span as a live event carries it: what the waterfall and the lists draw (as an outline span
 * has), never attributes, events or links — GET /api/executions/:traceId/spans/:spanId has
 * those. Texts longer than 1,024 characters are cut (the outline has them whole).
 */
export const LiveSpan = Type.Object({
  ...spanHead,
  nodeId: NullableString('flow.node.id of a flow node, else null'),
  nodeName: NullableString(),
  nodeType: NullableString(),
  nodeIndex: Nullable(Type.Integer()),
});
export type LiveSpan = Static<typeof LiveSpan>;

/** One event of GET /api/live (Server-Sent Events; `id:` is `seq`, `event:` is `type`, `data:` is this JSON). */
export const LiveEvent = Type.Object({
  seq: Type.Integer({ description: 'Monotonic sequence number; pass the last one seen as `since` or Last-Event-ID to catch up' }),
  type: StringEnum(LIVE_EVENT_TYPES),
  traceId: Type.String(),
  spanId: NullableString(),
  execution: Type.Optional(ExecutionSummaryComponent.ref),
  span: Type.Optional(LiveSpan),
  log: Type.Optional(LiveLog),
}, { description: 'execution for execution.* events, span for span.* events, log for log events (streams of one traceId only)' });
export type LiveEvent = Static<typeof LiveEvent>;
