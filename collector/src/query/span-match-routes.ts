/**
 * GET /api/executions/:traceId/span-matches: the ids of the spans of one execution whose
 * attribute values hold `q`, and/or that carry every `attr=key=value`. The trace view draws
 * from the outline, which has no attributes; its search and span filters ask here for what
 * they cannot see. 404 for an unknown trace; an empty list when nothing matches.
 */
import { spanMatches } from '../api/routes/executions.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import { errors } from '../errors.js';
import type { Storage } from '../storage/index.js';
import { watchClientGone } from './client-gone.js';
import { parseAttributeFilters, parseTraceId } from './params.js';

export async function spanMatchRoutes(app: TypeBoxApp, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;
  app.get(
    '/api/executions/:traceId/span-matches',
    { schema: spanMatches },
    async (request, reply) => {
      const traceId = parseTraceId(request.params.traceId);
      const attributes = parseAttributeFilters(request.query.attr);
      const text = request.query.q?.trim() ?? '';
      if (text === '' && attributes.length === 0) throw errors.FT_BAD_FILTER('give q, attr or both');
      const execution = await storage.executions.get(traceId);
      if (!execution) throw errors.FT_TRACE_NOT_FOUND(traceId);
      const gone = watchClientGone(reply);
      try {
        return { spanIds: await storage.traces.spanIdsMatching(execution, { text, attributes }, gone.signal) };
      } finally {
        gone.done();
      }
    },
  );
}
