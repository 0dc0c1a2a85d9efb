/**
 * One ingest job: a request body (decompressed, under the body cap) and what it claims to be —
 * an OTLP signal in protobuf or JSON, or a Zipkin v2 JSON list — to the ConvertResult the writer
 * stores. The same function runs on the main thread (inline) and in the workers, so a body gets
 * the same answer, the same coded errors and the same partial success, wherever it is decoded.
 */
import { errors, FlowtraceError } from '../../errors.js';
import type { ConvertResult } from '../convert-common.js';
import { ingestOtlp, type OtlpFormat, type OtlpSignal } from '../index.js';
import type { IngestCaps } from '../ingest-caps.js';
import { ingestZipkin } from '../zipkin-to-otlp.js';

export type IngestJob =
  | { kind: 'otlp'; signal: OtlpSignal; format: OtlpFormat; body: Uint8Array }
  | { kind: 'zipkin'; body: Uint8Array };

/**
 * Decodes, validates and converts one job. Throws what the routes answer with: FT_OTLP_UNDECODABLE,
 * FT_OTLP_INVALID, FT_ZIPKIN_INVALID (400); anything else is a fault of the collector.
 */
export function runJob(job: IngestJob, caps: Partial<IngestCaps> | undefined): ConvertResult {
  if (job.kind === 'otlp') return ingestOtlp(job.signal, job.body, job.format, caps);
  const result = ingestZipkin(job.body, caps);
  if ('problems' in result) throw errors.FT_ZIPKIN_INVALID(result.problems.join('; '));
  return result;
}

/** A failure as it crosses threads: a coded error keeps its code, status, message and delay. */
export type WireError =
  | { code: string; statusCode: number; message: string; retryAfterSeconds?: number }
  | { internal: string };

export function errorToWire(error: unknown): WireError {
  if (error instanceof FlowtraceError) {
    return { code: error.code, statusCode: error.statusCode, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  }
  return { internal: error instanceof Error ? error.message : String(error) };
}

/** The error again: a FlowtraceError as thrown, or a plain Error the routes answer as FT_INTERNAL. */
export function errorFromWire(wire: WireError): Error {
  if ('internal' in wire) return new Error(wire.internal);
  return new FlowtraceError(wire.code, wire.statusCode, wire.message, wire.retryAfterSeconds);
}
