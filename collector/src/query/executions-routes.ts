/**
 * Execution history: the list with filters and cursor paging, one execution with its
 * spans and console lines, its OTLP/JSON exports (spans, log records), and deletion. The trace view's lighter
 * reads (outline, one span) live in trace-view-routes.ts and are registered from here.
 */
import type { FastifyInstance } from 'fastify';
import type { ExecutionList } from '../api/wire-types.js';
import { errors } from '../errors.js';
import { durationNsOf, type Storage } from '../storage/index.js';
import { traceToOtlpJson } from './otlp-export.js';
import { logsToOtlpJson } from './otlp-logs-export.js';
import { watchClientGone } from './client-gone.js';
import { decodeCursor, encodeCursor, listParam, parseAttributeFilters, parseTime, parseTraceId } from './params.js';
import { errorResponses } from './schemas.js';
import { traceBody } from './trace-body.js';
import { executionToWire } from './to-wire.js';
import { traceViewRoutes } from './trace-view-routes.js';
import { spanMatchRoutes } from './span-match-routes.js';

interface ListQuery {
  flow?: string | string[];
  service?: string | string[];
  status?: string | string[];
  user?: string | string[];
  trigger?: string | string[];
  from?: string;
  to?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  attr?: string[];
  q?: string;
  sort?: 'start' | 'duration';
  limit?: number;
  cursor?: string;
}

const stringOrList = { anyOf: [{ type: 'string', maxLength: 1000 }, { type: 'array', items: { type: 'string', maxLength: 1000 }, maxItems: 50 }] };
const traceParams = {
  type: 'object',
  properties: { traceId: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' } },
  required: ['traceId'],
};
const STATUSES = new Set(['running', 'success', 'error', 'cancelled', 'timed_out', 'abandoned']);

export async function executionsRoutes(app: FastifyInstance, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;
  await app.register(traceViewRoutes, { storage });
  await app.register(spanMatchRoutes, { storage });

  app.get<{ Querystring: ListQuery }>(
    '/api/executions',
    {
      schema: {
        summary: 'Executions, newest (or longest) first, filtered and paged by cursor; a flow value ending in * matches by prefix',
        querystring: {
          type: 'object',
          properties: {
            flow: stringOrList,
            service: stringOrList,
            status: stringOrList,
            user: stringOrList,
            trigger: stringOrList,
            from: { type: 'string', maxLength: 64 },
            to: { type: 'string', maxLength: 64 },
            minDurationMs: { type: 'number', minimum: 0 },
            maxDurationMs: { type: 'number', minimum: 0 },
            attr: { type: 'array', items: { type: 'string', maxLength: 2000 }, maxItems: 20 },
            q: { type: 'string', maxLength: 500 },
            sort: { type: 'string', enum: ['start', 'duration'], default: 'start', description: 'start: newest first; duration: longest first' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
            cursor: { type: 'string', maxLength: 200 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { executions: { type: 'array', items: { $ref: 'ExecutionSummary#' } }, nextCursor: { type: ['string', 'null'] } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply): Promise<ExecutionList> => {
      const q = request.query;
      const sort = q.sort ?? 'start';
      const status = listParam(q.status);
      const bad = status?.find((s) => !STATUSES.has(s));
      if (bad) throw errors.FT_BAD_FILTER(`unknown status "${bad.slice(0, 40)}"`);
      // JSON schema lets Infinity through its number checks (ajv coerces "1e400"), so check here.
      const limit = q.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw errors.FT_BAD_REQUEST('limit must be a whole number from 1 to 1000');
      for (const [name, value] of [['minDurationMs', q.minDurationMs], ['maxDurationMs', q.maxDurationMs]] as const) {
        if (value !== undefined && !Number.isFinite(value)) throw errors.FT_BAD_FILTER(`${name} must be a finite number of milliseconds`);
      }
      const fromNs = parseTime(q.from, 'from');
      const toNs = parseTime(q.to, 'to');
      if (fromNs !== undefined && toNs !== undefined && fromNs > toNs) throw errors.FT_BAD_FILTER('from is after to');
      // A search the client gave up on (a new filter, a closed tab) must not keep its connection.
      const gone = watchClientGone(reply);
      const { executions, hasMore } = await storage.reader.listExecutions({
        flow: listParam(q.flow),
        service: listParam(q.service),
        status,
        user: listParam(q.user),
        trigger: listParam(q.trigger),
        fromNs,
        toNs,
        minDurationMs: q.minDurationMs,
        maxDurationMs: q.maxDurationMs,
        attributes: parseAttributeFilters(q.attr),
        text: q.q,
        sort,
        cursor: decodeCursor(q.cursor, sort),
        limit,
      }, gone.signal).finally(gone.done);
      const last = executions[executions.length - 1];
      // A cursor of the duration order carries the last row's duration (params.ts encodeCursor).
      const durationNs = last && sort === 'duration' ? { durationNs: durationNsOf(last) } : {};
      return {
        executions: executions.map(executionToWire),
        nextCursor: hasMore && last ? encodeCursor({ startNs: last.startNs, traceId: last.traceId, ...durationNs }) : null,
      };
    },
  );

  app.get<{ Params: { traceId: string } }>(
    '/api/executions/:traceId',
    { schema: { summary: 'One execution with all its spans and console lines', params: traceParams, response: errorResponses } },
    async (request, reply) => {
      const traceId = parseTraceId(request.params.traceId);
      const found = await storage.reader.getExecution(traceId);
      if (!found) throw errors.FT_TRACE_NOT_FOUND(traceId);
      const body = await traceBody(storage, found);
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.get<{ Params: { traceId: string } }>(
    '/api/executions/:traceId/otlp',
    {
      schema: {
        summary: 'The execution as an OTLP/JSON ExportTraceServiceRequest (finished spans), which POST /v1/traces takes back',
        params: traceParams, response: errorResponses,
      },
    },
    async (request) => {
      const traceId = parseTraceId(request.params.traceId);
      const trace = await storage.reader.getTrace(traceId);
      if (!trace) throw errors.FT_TRACE_NOT_FOUND(traceId);
      return traceToOtlpJson(trace.spans);
    },
  );

  app.get<{ Params: { traceId: string } }>(
    '/api/executions/:traceId/logs/otlp',
    {
      schema: {
        summary: "The execution's log records as an OTLP/JSON ExportLogsServiceRequest, which POST /v1/logs takes back",
        params: traceParams, response: errorResponses,
      },
    },
    async (request) => {
      const traceId = parseTraceId(request.params.traceId);
      const execution = await storage.reader.getExecution(traceId);
      if (!execution) throw errors.FT_TRACE_NOT_FOUND(traceId);
      return logsToOtlpJson(await storage.reader.logsOfExecution(execution));
    },
  );

  app.delete<{ Params: { traceId: string } }>(
    '/api/executions/:traceId',
    { schema: { summary: 'Deletes one execution', params: traceParams, response: errorResponses } },
    async (request, reply) => {
      const traceId = parseTraceId(request.params.traceId);
      const deleted = await storage.deleteExecutions([traceId]);
      if (deleted === 0) throw errors.FT_TRACE_NOT_FOUND(traceId);
      return reply.code(200).send({ deleted });
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/flows/:name/executions',
    { schema: { summary: "Clears a flow's history", params: { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 500 } } }, response: errorResponses } },
    async (request) => {
      const ids = await storage.reader.traceIdsOfFlow(request.params.name);
      if (ids.length === 0) throw errors.FT_FLOW_NOT_FOUND(request.params.name);
      let deleted = 0;
      for (let i = 0; i < ids.length; i += 2000) deleted += await storage.deleteExecutions(ids.slice(i, i + 2000));
      return { deleted };
    },
  );
}
