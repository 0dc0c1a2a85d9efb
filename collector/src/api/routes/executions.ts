/**
 * Contracts of the execution history routes (query/executions-routes.ts, trace-view-routes.ts,
 * span-match-routes.ts): what each takes (params, query string) and answers, errors included.
 * A route registers its contract as its `schema`: Fastify validates and serialises with it,
 * @fastify/swagger publishes it, and the TypeBox type provider types the handler from it.
 */
import { EXECUTION_STATUSES } from '@flowtrace/instrumentation/conventions';
import Type from 'typebox';
import { errorAnswers } from '../api-error.js';
import { OtlpLogsExport, OtlpTraceExport } from '../otlp-types.js';
import { Prerendered, SpanId, StringEnum, TraceId } from '../schema-kit.js';
import { ExecutionDetail, ExecutionList, SpanDetail, SpanMatchList, TraceOutline } from '../wire-types.js';

export const TraceParams = Type.Object({ traceId: TraceId });
export const FlowNameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 500 }) });
/** Both time bounds: ISO 8601 or epoch milliseconds, inclusive. */
export const Time = Type.String({ maxLength: 64, description: 'ISO 8601 or epoch milliseconds' });

const stringOrList = (description: string) => Type.Union([
  Type.String({ maxLength: 1000 }),
  Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 50 }),
], { description });

export const Deleted = Type.Object({ deleted: Type.Integer({ description: 'Executions deleted' }) });

export const listExecutions = {
  summary: 'Executions, newest (or longest) first, filtered and paged by cursor; a flow value ending in * matches by prefix',
  querystring: Type.Object({
    flow: Type.Optional(stringOrList('flow.name (repeat for any of several); a value ending in * matches by prefix')),
    service: Type.Optional(stringOrList('service.name')),
    status: Type.Optional(stringOrList(`One or more of ${EXECUTION_STATUSES.join(', ')}`)),
    user: Type.Optional(stringOrList('enduser.id')),
    trigger: Type.Optional(stringOrList('flow.trigger.type')),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    minDurationMs: Type.Optional(Type.Number({ minimum: 0 })),
    maxDurationMs: Type.Optional(Type.Number({ minimum: 0 })),
    attr: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 20, description: 'key=value; repeat for several (all must hold)' })),
    q: Type.Optional(Type.String({ maxLength: 500, description: 'Text in names, attribute values and console lines' })),
    in: Type.Optional(StringEnum(['all', 'errors'], {
      default: 'all',
      description: 'Where q is looked for. all: everywhere (names, attribute values with payloads, console lines). errors: only the execution\'s own fields (trace id, flow name, its error message) and its error texts (status messages of failed spans, exception messages, error-level console lines, each up to 2,000 characters): an execution found so failed or logged an error holding q. No span payload is read, so it answers in milliseconds where a search of all history reads every payload; it combines with every other filter and pages by cursor as usual.',
    })),
    partial: Type.Optional(Type.Boolean({
      default: false,
      description: 'With q: a page may hold fewer than limit executions and still give a nextCursor, once it holds every match down to the oldest execution found by its own fields or its error texts (status, exception and error-level console messages): a failed run is found by its error without waiting for older history to be searched, which the next page does. The executions and their order over all pages are the same.',
    })),
    sort: Type.Optional(StringEnum(['start', 'duration'], { default: 'start', description: 'start: newest first; duration: longest first' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the page before' })),
  }, { additionalProperties: false }),
  response: { 200: ExecutionList, ...errorAnswers(400, 401) },
};

export const getExecution = {
  summary: 'One execution with all its spans and console lines',
  params: TraceParams,
  response: { 200: Prerendered(ExecutionDetail), ...errorAnswers(400, 401, 404) },
};

export const executionAsOtlp = {
  summary: 'The execution as an OTLP/JSON ExportTraceServiceRequest (finished spans), which POST /v1/traces takes back',
  params: TraceParams,
  response: { 200: OtlpTraceExport, ...errorAnswers(400, 401, 404) },
};

export const executionLogsAsOtlp = {
  summary: "The execution's log records as an OTLP/JSON ExportLogsServiceRequest, which POST /v1/logs takes back",
  params: TraceParams,
  response: { 200: OtlpLogsExport, ...errorAnswers(400, 401, 404) },
};

export const deleteExecution = {
  summary: 'Deletes one execution',
  params: TraceParams,
  response: { 200: Deleted, ...errorAnswers(400, 401, 404) },
};

export const deleteFlowExecutions = {
  summary: "Clears a flow's history",
  params: FlowNameParams,
  response: { 200: Deleted, ...errorAnswers(400, 401, 404) },
};

export const traceOutline = {
  summary: 'What the waterfall of one execution draws: per span a compact tuple of ids, name, service, kind, status, node and times',
  params: TraceParams,
  response: { 200: Prerendered(TraceOutline), ...errorAnswers(400, 401, 404) },
};

export const spanDetail = {
  summary: 'One span of an execution with its attributes, payloads, events, links and console lines',
  params: Type.Object({ traceId: TraceId, spanId: SpanId }),
  response: { 200: Prerendered(SpanDetail), ...errorAnswers(400, 401, 404) },
};

export const spanMatches = {
  summary: 'Ids of the spans of one execution whose attribute values contain q (case-insensitive) and that carry every attr=key=value',
  params: TraceParams,
  querystring: Type.Object({
    q: Type.Optional(Type.String({ maxLength: 1000 })),
    attr: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 20 })),
  }, { additionalProperties: false }),
  response: { 200: SpanMatchList, ...errorAnswers(400, 401, 404) },
};
