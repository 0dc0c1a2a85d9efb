/**
 * POST /v1/traces, /v1/logs and /v1/metrics: OTLP/HTTP with protobuf or JSON bodies, gzip or not. The
 * body cap is measured after decompression (413); other content types get 415; a write
 * queue that is full gets 429 with Retry-After. A 200 is sent only after the rows are
 * committed, so an acknowledged span is durable.
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { otlpExport } from '../api/routes/ingest.js';
import { errors, FlowtraceError } from '../errors.js';
import type { Storage } from '../storage/index.js';
import { itemCounts, type ConvertResult, type IngestCaps, type OtlpFormat, type OtlpSignal } from './index.js';
import { grpcCodeOf, protobufStatusBody, successBody } from './otlp-response.js';
import { inlineDecoder, type IngestDecoder } from './workers/decoder.js';

const gunzipAsync = promisify(gunzip);

export interface IngestRouteOptions {
  storage: Storage;
  /** Largest body accepted, after decompression, in bytes (default 20 MiB). */
  maxBodyBytes?: number;
  /** Caps of the inline decoder made when no decoder is given. */
  caps?: Partial<IngestCaps>;
  /** Where bodies are decoded (the ingest workers, workers/decoder.ts); default inline on the main thread. */
  decoder?: IngestDecoder;
  /** Called per request with what happened, for metrics. */
  onResult?: (result: IngestOutcome) => void;
}

export interface IngestOutcome {
  signal: OtlpSignal;
  /** How it arrived (default 'http'): gRPC requests are counted by gRPC status code apart. */
  transport?: 'http' | 'grpc';
  accepted: number;
  rejected: number;
  statusCode: number;
  latencyMs: number;
}

function formatOf(request: FastifyRequest): OtlpFormat | undefined {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/** The body after its Content-Encoding (gzip or none), capped at maxBytes after decompression (413). */
export async function decompress(request: FastifyRequest, raw: Buffer, maxBytes: number): Promise<Buffer> {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') {
    if (raw.length > maxBytes) throw errors.FT_BODY_TOO_LARGE(`${raw.length} bytes, cap ${maxBytes}`);
    return raw;
  }
  if (encoding !== 'gzip') throw errors.FT_UNSUPPORTED_ENCODING(`got "${encoding.slice(0, 40)}"`);
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw errors.FT_BODY_TOO_LARGE(`more than ${maxBytes} bytes after decompression`);
    }
    throw errors.FT_BAD_ENCODING(`gzip: ${(error as Error).message}`);
  }
}

function sendError(reply: FastifyReply, format: OtlpFormat | undefined, error: { code: string; message: string; statusCode: number; retryAfterSeconds?: number }) {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  reply.code(error.statusCode);
  if (format === 'protobuf') {
    return reply.type('application/x-protobuf').send(protobufStatusBody(grpcCodeOf(error.statusCode), error.message));
  }
  return reply.type('application/json').send({ code: error.code, message: error.message, statusCode: error.statusCode });
}

/** Registers the OTLP/HTTP receiver in its own encapsulated context (its own body parsers). */
export async function otlpRoutes(app: FastifyInstance, opts: IngestRouteOptions): Promise<void> {
  const maxBodyBytes = opts.maxBodyBytes ?? 20 * 1024 * 1024;
  const decoder = opts.decoder ?? inlineDecoder(opts.caps);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) => done(null, body));

  const handle = (signal: OtlpSignal) => async (request: FastifyRequest, reply: FastifyReply) => {
    const started = performance.now();
    const format = formatOf(request);
    let result: ConvertResult | undefined;
    try {
      if (!format) throw errors.FT_UNSUPPORTED_MEDIA_TYPE(`got "${String(request.headers['content-type'] ?? '').slice(0, 60)}"`);
      // A full queue refuses before any decoding: under overload, 429s must be cheap. The rows of
      // the bodies still in the ingest workers count too: the writer sees them only later.
      const refusal = opts.storage.writer.refusalFor(1 + decoder.pendingRows());
      if (refusal) throw refusal;
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const body = await decompress(request, raw, maxBodyBytes);
      result = await decoder.decode({ kind: 'otlp', signal, format, body }, () => opts.storage.writer.refusalFor(1));
      await opts.storage.writer.write(result.batch);
      const { accepted, rejected } = itemCounts(result);
      opts.onResult?.({ signal, accepted, rejected, statusCode: 200, latencyMs: performance.now() - started });
      const body200 = successBody(signal, format, { rejected, message: result.errors.join('; ') });
      return reply.code(200).type(format === 'json' ? 'application/json' : 'application/x-protobuf').send(body200);
    } catch (error) {
      const coded = toCoded(error);
      const attempted = result ? itemCounts(result).accepted : 0;
      opts.onResult?.({ signal, accepted: 0, rejected: attempted, statusCode: coded.statusCode, latencyMs: performance.now() - started });
      if (coded.statusCode >= 500 && coded.code === 'FT_INTERNAL') request.log.error({ err: error }, 'ingest failed');
      return sendError(reply, format, coded);
    }
  };

  app.post('/v1/traces', { bodyLimit: maxBodyBytes, schema: otlpExport('traces') }, handle('traces'));
  app.post('/v1/logs', { bodyLimit: maxBodyBytes, schema: otlpExport('logs') }, handle('logs'));
  app.post('/v1/metrics', { bodyLimit: maxBodyBytes, schema: otlpExport('metrics') }, handle('metrics'));
}

/** Any failure of an ingest request as a coded error (unknown ones are FT_INTERNAL). */
export function toCoded(error: unknown): { code: string; message: string; statusCode: number; retryAfterSeconds?: number } {
  if (error instanceof FlowtraceError) return error;
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { code: e.code, message: String(e.message), statusCode: e.statusCode };
  }
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return errors.FT_BODY_TOO_LARGE();
  return errors.FT_INTERNAL(error instanceof Error ? error.message : String(error));
}
