/**
 * The ingest module's public surface: OTLP request body → validated rows. Pure: no Fastify,
 * no DuckDB. The route picks the format from the content type, calls ingestTraces/ingestLogs,
 * answers 200 (with partial_success when something was rejected) or the IngestError's status.
 */
import type { ConvertResult } from './convert-common.js';
import { decodeLogsRequestJson, decodeTraceRequestJson } from './decode-json.js';
import { decodeMetricsRequestJson } from './decode-json-metrics.js';
import { decodeLogsRequestProtobuf, decodeMetricsRequestProtobuf, decodeTraceRequestProtobuf } from './decode-protobuf.js';
import type { IngestCaps } from './ingest-caps.js';
import { invalidError } from './ingest-errors.js';
import { convertLogsRequest } from './logs-to-rows.js';
import { convertMetricsRequest } from './metrics-to-rows.js';
import { convertTraceRequest } from './spans-to-rows.js';

export { DEFAULT_INGEST_CAPS, ATTR_TRUNCATED, resolveCaps, type IngestCaps } from './ingest-caps.js';
export { IngestError, isIngestError, INGEST_ERROR_STATUS, type IngestErrorCode } from './ingest-errors.js';
export { MAX_ERRORS, UNKNOWN_SERVICE, type ConvertResult } from './convert-common.js';
export { convertTraceRequest } from './spans-to-rows.js';
export { convertLogsRequest, severityTextOf } from './logs-to-rows.js';
export { decodeTraceRequestJson, decodeLogsRequestJson } from './decode-json.js';
export { decodeTraceRequestProtobuf, decodeLogsRequestProtobuf } from './decode-protobuf.js';
export type { TraceRequestIn, LogsRequestIn } from './otlp-model.js';
export { convertMetricsRequest } from './metrics-to-rows.js';
export { decodeMetricsRequestJson } from './decode-json-metrics.js';
export { decodeMetricsRequestProtobuf } from './decode-protobuf.js';
export type { MetricsRequestIn } from './otlp-metrics-model.js';

/** The two OTLP/HTTP encodings. */
export type OtlpFormat = 'protobuf' | 'json';

/** The OTLP signals the collector takes, over HTTP (/v1/<signal>) and gRPC (<Signal>Service/Export). */
export type OtlpSignal = 'traces' | 'logs' | 'metrics';

/** Items a conversion kept (spans, start marks, log records, data points) and rejected. */
export function itemCounts(result: ConvertResult): { accepted: number; rejected: number } {
  const b = result.batch;
  return {
    accepted: b.spans.length + b.starts.length + b.logs.length + (b.metrics?.length ?? 0),
    rejected: result.rejectedSpans + result.rejectedLogRecords + (result.rejectedDataPoints ?? 0),
  };
}

/** Throws FT_OTLP_INVALID when a request had items and every one of them was rejected. */
function requireSomethingValid(result: ConvertResult, what: string): ConvertResult {
  const { accepted: kept, rejected } = itemCounts(result);
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

/**
 * Decodes and converts a /v1/metrics body to one row per data point. Throws IngestError (400)
 * when the body is undecodable or nothing in it is valid.
 */
export function ingestMetrics(body: Uint8Array, format: OtlpFormat, caps?: Partial<IngestCaps>): ConvertResult {
  const request = format === 'protobuf' ? decodeMetricsRequestProtobuf(body) : decodeMetricsRequestJson(body);
  return requireSomethingValid(convertMetricsRequest(request, caps), 'data point');
}

/**
 * The one path from an OTLP request body to rows, for every signal and both transports
 * (OTLP/HTTP routes and the OTLP/gRPC server): decode, validate, convert.
 */
export function ingestOtlp(signal: OtlpSignal, body: Uint8Array, format: OtlpFormat, caps?: Partial<IngestCaps>): ConvertResult {
  if (signal === 'traces') return ingestTraces(body, format, caps);
  if (signal === 'logs') return ingestLogs(body, format, caps);
  return ingestMetrics(body, format, caps);
}
