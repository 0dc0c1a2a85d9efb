/**
 * Console lines across a run and beyond spans: every line of one execution in time order
 * (`after` gives only newer ones, so a viewer keeps a running execution's console live by
 * asking again), and the lines that belong to no span (the logs page), newest first.
 */
import { executionLogs, loneLogs } from '../api/routes/reads.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import type { LogEntry, LogPage } from '../api/why-wire-types.js';
import { errors } from '../errors.js';
import type { LogRecord, Storage } from '../storage/index.js';
import { parseTime, parseTraceId } from './params.js';
import { logToWire } from './to-wire.js';

const entry = (l: LogRecord): LogEntry => ({ ...logToWire(l), serviceName: l.serviceName });
const HOUR_NS = 3_600_000_000_000n;

export async function consoleRoutes(app: TypeBoxApp, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;

  app.get(
    '/api/executions/:traceId/logs',
    { schema: executionLogs },
    async (request): Promise<LogPage> => {
      const traceId = parseTraceId(request.params.traceId);
      const execution = await storage.executions.get(traceId);
      if (!execution) throw errors.FT_TRACE_NOT_FOUND(traceId);
      const after = request.query.after === undefined ? undefined : BigInt(request.query.after);
      const limit = request.query.limit ?? 10_000;
      const all = await storage.traces.logs(execution);
      const lines = after === undefined ? all : all.filter((l) => l.timeNs > after);
      return { lines: lines.slice(0, limit).map(entry), truncated: lines.length > limit };
    },
  );

  app.get(
    '/api/logs',
    { schema: loneLogs },
    async (request): Promise<LogPage> => {
      const q = request.query;
      const toNs = parseTime(q.to, 'to') ?? BigInt(Date.now() + 60_000) * 1_000_000n;
      const fromNs = parseTime(q.from, 'from') ?? toNs - HOUR_NS;
      if (fromNs > toNs) throw errors.FT_BAD_FILTER('from is after to');
      const limit = q.limit ?? 500;
      const rows = await storage.loneLogs({ fromNs, toNs, minSeverity: q.severity, text: q.q, limit });
      return { lines: rows.slice(0, limit).map(entry), truncated: rows.length > limit };
    },
  );
}
