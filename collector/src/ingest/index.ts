/**
 * The ingest module's public surface: OTLP request body → validated rows. Pure: no Fastify,
 * no DuckDB. The route picks the format from the content type, calls ingestTraces/ingestLogs,
 * answers 200 (with partial_success when something was rejected) or the IngestError's status.
 */
import type { ConvertResult } from './convert-common.js';
import { decodeLogsRequestJson, decodeTraceRequestJson } from './decode-json.js';
import { decodeLogsRequestProtobuf, decodeTraceRequestProtobuf } from './decode-protobuf.js';
import type { IngestCaps } from './ingest-caps.js';
import { invalidError } from './ingest-errors.js';
import { convertLogsRequest } from './logs-to-rows.js';
import { convertTraceRequest } from './spans-to-rows.js';

export { DEFAULT_INGEST_CAPS, ATTR_TRUNCATED, resolveCaps, type IngestCaps } from './ingest-caps.js';
export { IngestError, isIngestError, INGEST_ERROR_STATUS, type IngestErrorCode } from './ingest-errors.js';
export { MAX_ERRORS, UNKNOWN_SERVICE, type ConvertResult } from './convert-common.js';
export { convertTraceRequest } from './spans-to-rows.js';
export { convertLogsRequest, severityTextOf } from './logs-to-rows.js';
export { decodeTraceRequestJson, decodeLogsRequestJson } from './decode-json.js';
export { decodeTraceRequestProtobuf, decodeLogsRequestProtobuf } from './decode-protobuf.js';
export type { TraceRequestIn, LogsRequestIn } from './otlp-model.js';

/** The two OTLP/HTTP encodings. */
export type OtlpFormat = 'protobuf' | 'json';

/** Throws FT_OTLP_INVALID when a request had items and every one of them was rejected. */
function requireSomethingValid(result: ConvertResult, what: string): ConvertResult {
  const kept = result.batch.spans.length + result.batch.starts.length + result.batch.logs.length;
  const rejected = result.rejectedSpans + result.rejectedLogRecords;
  if (kept === 0 && rejected > 0) {
    throw invalidError(`every ${what} was rejected: ${result.errors.join('; ')}`);
  }
  return result;
}

/**
 * Decodes and converts a /v1/traces body. Throws IngestError (400) when the body is undecodable
 * or nothing in it is valid; otherwise returns the rows and the rejected spans with reasons.
 */
export function ingestTraces(body: Uint8Array, format: OtlpFormat, caps?: Partial<IngestCaps>): ConvertResult {
  const request = format === 'protobuf' ? decodeTraceRequestProtobuf(body) : decodeTraceRequestJson(body);
  return requireSomethingValid(convertTraceRequest(request, caps), 'span');
}

/**
 * Decodes and converts a /v1/logs body (start marks → running spans, other records → log rows).
 * Throws IngestError (400) when the body is undecodable or nothing in it is valid.
 */
export function ingestLogs(body: Uint8Array, format: OtlpFormat, caps?: Partial<IngestCaps>): ConvertResult {
  const request = format === 'protobuf' ? decodeLogsRequestProtobuf(body) : decodeLogsRequestJson(body);
  return requireSomethingValid(convertLogsRequest(request, caps), 'log record');
}
