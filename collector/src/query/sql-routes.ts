/** POST /api/sql: read-only SQL over all history (see storage/sql-console.ts for the limits). */
import type { FastifyInstance } from 'fastify';
import type { SqlResult } from '../api/wire-types.js';
import type { Storage } from '../storage/index.js';
import { errorResponses } from './schemas.js';

export async function sqlRoutes(app: FastifyInstance, opts: { storage: Storage }): Promise<void> {
  app.post<{ Body: { sql: string } }>(
    '/api/sql',
    {
      schema: {
        summary: 'Runs one read-only SQL statement over spans, executions and logs',
        body: {
          type: 'object',
          properties: { sql: { type: 'string', minLength: 1, maxLength: 100_000 } },
          required: ['sql'],
          additionalProperties: false,
        },
        response: errorResponses,
      },
    },
    async (request): Promise<SqlResult> => {
      return opts.storage.sql.run(request.body.sql);
    },
  );
}
