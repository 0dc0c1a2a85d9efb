/**
 * The reads a trace view makes: the outline of a trace (what its waterfall draws, small
 * enough to open 100,000 spans at once) and one span in full with its console lines, asked
 * for when the span is chosen. Both answer JSON text rendered by DuckDB, sent as it is.
 */
import { spanDetail, traceOutline } from '../api/routes/executions.js';
import { jsonText } from '../api/schema-kit.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import type { OUTLINE_FIELD_NAMES, SpanDetail, TraceOutline } from '../api/wire-types.js';
import { errors } from '../errors.js';
import { OUTLINE_CODES, OUTLINE_FIELDS, type Storage } from '../storage/index.js';
import { parseTraceId } from './params.js';
import { executionDetailToWire, logToWire } from './to-wire.js';

/** The outline's `fields` and `codes`, checked against the wire type: storage renders the tuples by these, in the API's order. */
const FIELDS_JSON = JSON.stringify(OUTLINE_FIELDS satisfies Readonly<typeof OUTLINE_FIELD_NAMES>);
const CODES_JSON = JSON.stringify(OUTLINE_CODES satisfies { [K in keyof TraceOutline['codes']]: Readonly<TraceOutline['codes'][K]> });

export async function traceViewRoutes(app: TypeBoxApp, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;

  app.get(
    '/api/executions/:traceId/outline',
    { schema: traceOutline },
    async (request, reply) => {
      const traceId = parseTraceId(request.params.traceId);
      const outline = await storage.traces.outline(traceId);
      if (!outline) throw errors.FT_TRACE_NOT_FOUND(traceId);
      const execution = executionDetailToWire(outline.execution, outline.spanCount, outline.orphanCount);
      const body = jsonText<TraceOutline>(
        `{"execution":${JSON.stringify(execution)},"baseTimeUnixNano":"${outline.baseNs}","fields":${FIELDS_JSON},"codes":${CODES_JSON},` +
        `"spans":[${outline.spansJson}]}`);
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.get(
    '/api/executions/:traceId/spans/:spanId',
    { schema: spanDetail },
    async (request, reply) => {
      const traceId = parseTraceId(request.params.traceId);
      const spanId = request.params.spanId.toLowerCase();
      const execution = await storage.executions.get(traceId);
      if (!execution) throw errors.FT_TRACE_NOT_FOUND(traceId);
      const found = await storage.traces.span(execution, spanId);
      if (!found) throw errors.FT_SPAN_NOT_FOUND(`${spanId} in ${traceId}`);
      const body = jsonText<SpanDetail>(`{"span":${found.spanJson},"logs":${JSON.stringify(found.logs.map(logToWire))}}`);
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
}
