/**
 * GET /api/executions/:traceId/span-matches: the ids of the spans of one execution whose
 * attribute values hold `q`, and/or that carry every `attr=key=value`. The trace view draws
 * from the outline, which has no attributes; its search and span filters ask here for what
 * they cannot see. 404 for an unknown trace; an empty list when nothing matches.
 */
import type { FastifyInstance } from 'fastify';
import type { SpanMatchList } from '../api/wire-types.js';
import { errors } from '../errors.js';
import type { Storage } from '../storage/index.js';
import { watchClientGone } from './client-gone.js';
import { parseAttributeFilters, parseTraceId } from './params.js';
import { errorResponses } from './schemas.js';

export async function spanMatchRoutes(app: FastifyInstance, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;
  app.get<{ Params: { traceId: string }; Querystring: { q?: string; attr?: string[] } }>(
    '/api/executions/:traceId/span-matches',
    {
      schema: {
        summary: 'Ids of the spans of one execution whose attribute values contain q (case-insensitive) and that carry every attr=key=value',
        params: { type: 'object', properties: { traceId: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' } }, required: ['traceId'] },
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', maxLength: 1000 },
            attr: { type: 'array', items: { type: 'string', maxLength: 1000 }, maxItems: 20 },
          },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { spanIds: { type: 'array', items: { type: 'string' } } }, required: ['spanIds'] },
          ...errorResponses,
        },
      },
    },
    async (request, reply): Promise<SpanMatchList> => {
      const traceId = parseTraceId(request.params.traceId);
      const attributes = parseAttributeFilters(request.query.attr);
      const text = request.query.q?.trim() ?? '';
      if (text === '' && attributes.length === 0) throw errors.FT_BAD_FILTER('give q, attr or both');
      const execution = await storage.reader.getExecution(traceId);
      if (!execution) throw errors.FT_TRACE_NOT_FOUND(traceId);
      const gone = watchClientGone(reply);
      try {
        return { spanIds: await storage.reader.spanIdsMatching(execution, { text, attributes }, gone.signal) };
      } finally {
        gone.done();
      }
    },
  );
}
