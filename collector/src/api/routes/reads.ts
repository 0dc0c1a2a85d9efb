/**
 * Contracts of the other reads: console lines (query/console-routes.ts), the catalog
 * (query/catalog-routes.ts), the SQL console (query/sql-routes.ts), the Parquet exports
 * (query/export-routes.ts) and the live stream (query/live-routes.ts).
 */
import Type from 'typebox';
import { errorAnswers } from '../api-error.js';
import { AttributeKeyList, ServiceList } from '../catalog-types.js';
import { Binary, MediaType, TraceId } from '../schema-kit.js';
import { SqlRequest, SqlResult } from '../sql-types.js';
import { LogPage } from '../why-wire-types.js';
import { LiveEvent } from '../wire-types.js';
import { Time, TraceParams } from './executions.js';

export const executionLogs = {
  summary: 'Every console line of an execution in time order, with the span it came from; `after` (nanoseconds) for lines newer than the last one seen',
  params: TraceParams,
  querystring: Type.Object({
    after: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'Nanoseconds since the epoch' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 })),
  }, { additionalProperties: false }),
  response: { 200: LogPage, ...errorAnswers(400, 401, 404) },
};

export const loneLogs = {
  summary: 'Console and log lines that belong to no span, newest first (default: the last hour); filter by minimum severity number and text',
  querystring: Type.Object({
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    severity: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 })),
    q: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 500 })),
  }, { additionalProperties: false }),
  response: { 200: LogPage, ...errorAnswers(400, 401) },
};

export const listServices = {
  summary: 'Services that sent spans',
  response: { 200: ServiceList, ...errorAnswers(401) },
};

export const listAttributeKeys = {
  summary: 'Attribute keys of recent spans with frequent values',
  response: { 200: AttributeKeyList, ...errorAnswers(401) },
};

export const runSql = {
  summary: 'Runs one read-only SQL statement over spans, executions and logs',
  body: SqlRequest,
  response: { 200: SqlResult, ...errorAnswers(400, 401) },
};

export const PARQUET_MEDIA_TYPE = 'application/vnd.apache.parquet';
/** Response header with the number of rows in the file (the CLI prints it). */
export const ROWS_HEADER = 'x-flowtrace-rows';

export const exportParquet = (kind: string) => ({
  summary: `The ${kind} view as one Parquet file (columns as the SQL console shows them; times to the microsecond, exact nanoseconds in the *_ns columns)`,
  querystring: Type.Object({ from: Type.Optional(Time), to: Type.Optional(Time) }, { additionalProperties: false }),
  response: {
    200: {
      ...MediaType(PARQUET_MEDIA_TYPE, Binary(`The ${kind} view as Parquet`), 'The file, as an attachment'),
      headers: { [ROWS_HEADER]: { type: 'integer', description: 'Rows in the file' } },
    },
    ...errorAnswers(400, 401, 503),
  },
});

export const liveStream = {
  summary: 'Server-Sent Events: execution.started/completed/failed, span.started/completed/failed, and log (streams of one traceId only)',
  querystring: Type.Object({
    traceId: Type.Optional(TraceId),
    since: Type.Optional(Type.Integer({ minimum: 0, description: 'The last seq seen (or send Last-Event-ID)' })),
    access_token: Type.Optional(Type.String({ maxLength: 500, description: 'The query token, for clients that cannot send headers (EventSource)' })),
  }, { additionalProperties: false }),
  response: {
    200: MediaType('text/event-stream', LiveEvent, 'A stream that stays open: per event `id:` (its seq), `event:` (its type) and `data:` (this JSON); `resync` when events were missed'),
    ...errorAnswers(400, 401, 503),
  },
};
