/** POST /api/sql: read-only SQL over all history (see storage/sql-console.ts for the limits). */
import { runSql } from '../api/routes/reads.js';
import type { SqlResult } from '../api/sql-types.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import type { Storage } from '../storage/index.js';

export async function sqlRoutes(app: TypeBoxApp, opts: { storage: Storage }): Promise<void> {
  app.post(
    '/api/sql',
    { schema: runSql },
    async (request): Promise<SqlResult> => {
      return opts.storage.sql.run(request.body.sql);
    },
  );
}
