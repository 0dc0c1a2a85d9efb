/**
 * POST /api/v2/spans: Zipkin v2 JSON, gzip or not, as Jaeger and Tempo take it, stored as OTLP
 * spans are (zipkin-to-otlp.ts). Guarded like /v1: the ingest token (the route is stamped
 * `ingest` though its path is under /api), the body cap after decompression (413), 415 for
 * other content types, 400 with the reasons for bad data, 429/503 with Retry-After when the
 * writer cannot take it. Answers 202, as Zipkin does, once the spans are committed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { zipkinSpans } from '../api/routes/ingest.js';
import { errors } from '../errors.js';
import { itemCounts } from './index.js';
import { decompress, toCoded, type IngestRouteOptions } from './otlp-routes.js';
import { inlineDecoder } from './workers/decoder.js';

const isJson = (request: FastifyRequest): boolean =>
  (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === 'application/json';

/** Registers the Zipkin receiver in its own encapsulated context (its own body parser). */
export async function zipkinRoutes(app: FastifyInstance, opts: IngestRouteOptions): Promise<void> {
  const maxBodyBytes = opts.maxBodyBytes ?? 20 * 1024 * 1024;
  const decoder = opts.decoder ?? inlineDecoder(opts.caps);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) => done(null, body));

  app.post('/api/v2/spans', {
    bodyLimit: maxBodyBytes,
    config: { access: 'ingest' },
    schema: zipkinSpans,
  }, async (request: FastifyRequest, reply: FastifyReply) => {
    const started = performance.now();
    let accepted = 0;
    try {
      if (!isJson(request)) {
        throw errors.FT_UNSUPPORTED_MEDIA_TYPE(`Zipkin spans are taken as application/json, got "${String(request.headers['content-type'] ?? '').slice(0, 60)}"`);
      }
      // A full queue refuses before any decoding: under overload, 429s must be cheap. The rows of
      // the bodies still in the ingest workers count too: the writer sees them only later.
      const refusal = opts.storage.writer.refusalFor(1 + decoder.pendingRows());
      if (refusal) throw refusal;
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      // Zipkin's problems are answered FT_ZIPKIN_INVALID (workers/jobs.ts).
      const body = await decompress(request, raw, maxBodyBytes);
      const result = await decoder.decode({ kind: 'zipkin', body }, () => opts.storage.writer.refusalFor(1));
      accepted = itemCounts(result).accepted;
      await opts.storage.writer.write(result.batch);
      opts.onResult?.({ signal: 'traces', accepted, rejected: 0, statusCode: 202, latencyMs: performance.now() - started });
      return reply.code(202).send();
    } catch (error) {
      const coded = toCoded(error);
      opts.onResult?.({ signal: 'traces', accepted: 0, rejected: accepted, statusCode: coded.statusCode, latencyMs: performance.now() - started });
      if (coded.statusCode >= 500 && coded.code === 'FT_INTERNAL') request.log.error({ err: error }, 'zipkin ingest failed');
      if (coded.retryAfterSeconds !== undefined) reply.header('retry-after', String(coded.retryAfterSeconds));
      return reply.code(coded.statusCode).type('application/json').send({ code: coded.code, message: coded.message, statusCode: coded.statusCode });
    }
  });
}
