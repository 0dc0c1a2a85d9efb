/**
 * Execution history: the list with filters and cursor paging, one execution with its
 * spans and console lines, its OTLP/JSON exports (spans, log records), and deletion. The trace view's lighter
 * reads (outline, one span) live in trace-view-routes.ts and are registered from here.
 */
import { EXECUTION_STATUSES } from '@flowtrace/instrumentation/conventions';
import {
  deleteExecution, deleteFlowExecutions, executionAsOtlp, executionLogsAsOtlp, getExecution, listExecutions,
} from '../api/routes/executions.js';
import { jsonText } from '../api/schema-kit.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import type { ExecutionDetail } from '../api/wire-types.js';
import { errors } from '../errors.js';
import { durationNsOf, type Storage } from '../storage/index.js';
import { traceToOtlpJson } from './otlp-export.js';
import { logsToOtlpJson } from './otlp-logs-export.js';
import { watchClientGone } from './client-gone.js';
import { decodeCursor, encodeCursor, listParam, parseAttributeFilters, parseTime, parseTraceId } from './params.js';
import { traceBody } from './trace-body.js';
import { executionToWire } from './to-wire.js';
import { traceViewRoutes } from './trace-view-routes.js';
import { spanMatchRoutes } from './span-match-routes.js';

const STATUSES = new Set<string>(EXECUTION_STATUSES);

export async function executionsRoutes(app: TypeBoxApp, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;
  await app.register(traceViewRoutes, { storage });
  await app.register(spanMatchRoutes, { storage });

  app.get(
    '/api/executions',
    { schema: listExecutions },
    async (request, reply) => {
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
      const { executions, hasMore } = await storage.executions.list({
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
        textScope: q.in ?? 'all',
        partial: q.partial === true,
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

  app.get(
    '/api/executions/:traceId',
    { schema: getExecution },
    async (request, reply) => {
      const traceId = parseTraceId(request.params.traceId);
      const found = await storage.executions.get(traceId);
      if (!found) throw errors.FT_TRACE_NOT_FOUND(traceId);
      const body = jsonText<ExecutionDetail>(await traceBody(storage, found));
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.get(
    '/api/executions/:traceId/otlp',
    { schema: executionAsOtlp },
    async (request) => {
      const traceId = parseTraceId(request.params.traceId);
      const trace = await storage.traces.get(traceId);
      if (!trace) throw errors.FT_TRACE_NOT_FOUND(traceId);
      return traceToOtlpJson(trace.spans);
    },
  );

  app.get(
    '/api/executions/:traceId/logs/otlp',
    { schema: executionLogsAsOtlp },
    async (request) => {
      const traceId = parseTraceId(request.params.traceId);
      const execution = await storage.executions.get(traceId);
      if (!execution) throw errors.FT_TRACE_NOT_FOUND(traceId);
      return logsToOtlpJson(await storage.traces.logs(execution));
    },
  );

  app.delete(
    '/api/executions/:traceId',
    { schema: deleteExecution },
    async (request, reply) => {
      const traceId = parseTraceId(request.params.traceId);
      const deleted = await storage.deleteExecutions([traceId]);
      if (deleted === 0) throw errors.FT_TRACE_NOT_FOUND(traceId);
      return reply.code(200).send({ deleted });
    },
  );

  app.delete(
    '/api/flows/:name/executions',
    { schema: deleteFlowExecutions },
    async (request) => {
      const ids = await storage.executions.traceIdsOfFlow(request.params.name);
      if (ids.length === 0) throw errors.FT_FLOW_NOT_FOUND(request.params.name);
      let deleted = 0;
      for (let i = 0; i < ids.length; i += 2000) deleted += await storage.deleteExecutions(ids.slice(i, i + 2000));
      return { deleted };
    },
  );
}
