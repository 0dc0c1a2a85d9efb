/**
 * GET /api/export/{spans,executions,logs,metrics}.parquet?from&to: one view of the SQL console
 * as a Parquet file over a time range (storage/export.ts writes it), streamed as an attachment.
 * from/to parse as /api/executions' do (ISO 8601 or epoch ms, inclusive, on the view's start or
 * time column). A client that leaves before the file is written interrupts its COPY.
 */
import { exportParquet, PARQUET_MEDIA_TYPE, ROWS_HEADER } from '../api/routes/reads.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import { errors } from '../errors.js';
import { EXPORT_KINDS, type ExportKind, type Storage } from '../storage/index.js';
import { parseTime } from './params.js';

export { PARQUET_MEDIA_TYPE, ROWS_HEADER };

/** A bound of the range for a file name: ISO 8601 without colons (not allowed on Windows). */
function label(ns: bigint | undefined, open: string): string {
  return ns === undefined ? open : new Date(Number(ns / 1_000_000n)).toISOString().replace(/:/g, '-');
}

export async function exportRoutes(app: TypeBoxApp, opts: { storage: Storage }): Promise<void> {
  for (const kind of EXPORT_KINDS) registerExport(app, opts.storage, kind);
}

function registerExport(app: TypeBoxApp, storage: Storage, kind: ExportKind): void {
  app.get(
    `/api/export/${kind}.parquet`,
    {
      // A HEAD would run the whole COPY to answer nothing.
      exposeHeadRoute: false,
      schema: exportParquet(kind),
    },
    async (request, reply) => {
      const fromNs = parseTime(request.query.from, 'from');
      const toNs = parseTime(request.query.to, 'to');
      if (fromNs !== undefined && toNs !== undefined && fromNs > toNs) throw errors.FT_BAD_FILTER('from is after to');
      const left = new AbortController();
      const onClose = () => left.abort();
      reply.raw.once('close', onClose);
      let file;
      try {
        file = await storage.exports.export(kind, { fromNs, toNs }, left.signal);
      } finally {
        reply.raw.off('close', onClose);
      }
      if (left.signal.aborted) {
        file.stream.destroy();
        return reply;
      }
      const name = `flowtrace-${kind}_${label(fromNs, 'start')}_${label(toNs, 'end')}.parquet`;
      return reply
        .type(PARQUET_MEDIA_TYPE)
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('content-length', String(file.bytes))
        .header(ROWS_HEADER, String(file.rows))
        .header('cache-control', 'no-store')
        .send(file.stream);
    },
  );
}
