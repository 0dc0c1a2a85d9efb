/**
 * The reads a trace view makes: the outline of a trace (what its waterfall draws, small
 * enough to open 100,000 spans at once) and one span in full with its console lines, asked
 * for when the span is chosen. Both answer JSON text rendered by DuckDB, sent as it is.
 */
import type { FastifyInstance } from 'fastify';
import type { OutlineField, TraceOutline } from '../api/wire-types.js';
import { errors } from '../errors.js';
import type { Storage } from '../storage/index.js';
import { OUTLINE_CODES, OUTLINE_FIELDS } from '../storage/trace-outline-sql.js';
import { parseTraceId } from './params.js';
import { errorResponses, spanDetailSchema, traceOutlineSchema } from './schemas.js';
import { executionDetailToWire, logToWire } from './to-wire.js';

const TRACE_ID = { type: 'string', pattern: '^[0-9a-fA-F]{32}$' };
const SPAN_ID = { type: 'string', pattern: '^[0-9a-fA-F]{16}$' };

/** The outline's `fields` and `codes`, checked against the wire type (storage renders the tuples by these). */
const FIELDS_JSON = JSON.stringify(OUTLINE_FIELDS satisfies readonly OutlineField[]);
const CODES_JSON = JSON.stringify(OUTLINE_CODES satisfies { [K in keyof TraceOutline['codes']]: Readonly<TraceOutline['codes'][K]> });

export async function traceViewRoutes(app: FastifyInstance, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;

  app.get<{ Params: { traceId: string } }>(
    '/api/executions/:traceId/outline',
    {
      schema: {
        summary: 'What the waterfall of one execution draws: per span a compact tuple of ids, name, service, kind, status, node and times',
        params: { type: 'object', properties: { traceId: TRACE_ID }, required: ['traceId'] },
        response: { 200: traceOutlineSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const traceId = parseTraceId(request.params.traceId);
      const outline = await storage.reader.getTraceOutline(traceId);
      if (!outline) throw errors.FT_TRACE_NOT_FOUND(traceId);
      const execution = executionDetailToWire(outline.execution, outline.spanCount, outline.orphanCount);
      const body =
        `{"execution":${JSON.stringify(execution)},"baseTimeUnixNano":"${outline.baseNs}","fields":${FIELDS_JSON},"codes":${CODES_JSON},` +
        `"spans":[${outline.spansJson}]}`;
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.get<{ Params: { traceId: string; spanId: string } }>(
    '/api/executions/:traceId/spans/:spanId',
    {
      schema: {
        summary: 'One span of an execution with its attributes, payloads, events, links and console lines',
        params: { type: 'object', properties: { traceId: TRACE_ID, spanId: SPAN_ID }, required: ['traceId', 'spanId'] },
        response: { 200: spanDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const traceId = parseTraceId(request.params.traceId);
      const spanId = request.params.spanId.toLowerCase();
      const execution = await storage.reader.getExecution(traceId);
      if (!execution) throw errors.FT_TRACE_NOT_FOUND(traceId);
      const found = await storage.reader.getSpanJson(execution, spanId);
      if (!found) throw errors.FT_SPAN_NOT_FOUND(`${spanId} in ${traceId}`);
      const body = `{"span":${found.spanJson},"logs":${JSON.stringify(found.logs.map(logToWire))}}`;
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
}
