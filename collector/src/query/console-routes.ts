/**
 * Console lines across a run and beyond spans: every line of one execution in time order
 * (`after` gives only newer ones, so a viewer keeps a running execution's console live by
 * asking again), and the lines that belong to no span (the logs page), newest first.
 */
import type { FastifyInstance } from 'fastify';
import type { LogEntry, LogPage } from '../api/why-wire-types.js';
import { errors } from '../errors.js';
import type { LogRecord, Storage } from '../storage/index.js';
import { parseTime, parseTraceId } from './params.js';
import { errorResponses } from './schemas.js';
import { logToWire } from './to-wire.js';
import { logPageSchema, TRACE_ID } from './why-schemas.js';

const entry = (l: LogRecord): LogEntry => ({ ...logToWire(l), serviceName: l.serviceName });
const HOUR_NS = 3_600_000_000_000n;
const NS = { type: 'string', pattern: '^[0-9]{1,19}$' } as const;

export async function consoleRoutes(app: FastifyInstance, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;

  app.get<{ Params: { traceId: string }; Querystring: { after?: string; limit?: number } }>(
    '/api/executions/:traceId/logs',
    {
      schema: {
        summary: "Every console line of an execution in time order, with the span it came from; `after` (nanoseconds) for lines newer than the last one seen",
        params: { type: 'object', properties: { traceId: TRACE_ID }, required: ['traceId'] },
        querystring: {
          type: 'object',
          properties: { after: NS, limit: { type: 'integer', minimum: 1, maximum: 100_000, default: 10_000 } },
          additionalProperties: false,
        },
        response: { 200: logPageSchema, ...errorResponses },
      },
    },
    async (request): Promise<LogPage> => {
      const traceId = parseTraceId(request.params.traceId);
      const execution = await storage.reader.getExecution(traceId);
      if (!execution) throw errors.FT_TRACE_NOT_FOUND(traceId);
      const after = request.query.after === undefined ? undefined : BigInt(request.query.after);
      const limit = request.query.limit ?? 10_000;
      const all = await storage.reader.logsOfExecution(execution);
      const lines = after === undefined ? all : all.filter((l) => l.timeNs > after);
      return { lines: lines.slice(0, limit).map(entry), truncated: lines.length > limit };
    },
  );

  app.get<{ Querystring: { from?: string; to?: string; severity?: number; q?: string; limit?: number } }>(
    '/api/logs',
    {
      schema: {
        summary: 'Console and log lines that belong to no span, newest first (default: the last hour); filter by minimum severity number and text',
        querystring: {
          type: 'object',
          properties: {
            from: { type: 'string', maxLength: 64 },
            to: { type: 'string', maxLength: 64 },
            severity: { type: 'integer', minimum: 0, maximum: 24 },
            q: { type: 'string', maxLength: 500 },
            limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 500 },
          },
          additionalProperties: false,
        },
        response: { 200: logPageSchema, ...errorResponses },
      },
    },
    async (request): Promise<LogPage> => {
      const q = request.query;
      const toNs = parseTime(q.to, 'to') ?? BigInt(Date.now() + 60_000) * 1_000_000n;
      const fromNs = parseTime(q.from, 'from') ?? toNs - HOUR_NS;
      if (fromNs > toNs) throw errors.FT_BAD_FILTER('from is after to');
      const limit = q.limit ?? 500;
      const rows = await storage.why.loneLogs({ fromNs, toNs, minSeverity: q.severity, text: q.q, limit });
      return { lines: rows.slice(0, limit).map(entry), truncated: rows.length > limit };
    },
  );
}
