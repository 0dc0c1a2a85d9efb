/**
 * The ingest module's public surface: OTLP request body → a validated batch of logical spans,
 * log lines and metric points (storage's IngestBatch). Pure: no Fastify, no DuckDB. The route
 * picks the format from the content type, calls ingestTraces/ingestLogs, answers 200 (with
 * partial_success when something was rejected) or the coded error's status (errors.ts
 * FT_OTLP_UNDECODABLE, FT_OTLP_INVALID).
 */
import type { ConvertResult } from './convert-common.js';
import { decodeLogsRequestJson, decodeTraceRequestJson } from './decode-json.js';
import { decodeMetricsRequestJson } from './decode-json-metrics.js';
import { decodeLogsRequestProtobuf, decodeMetricsRequestProtobuf, decodeTraceRequestProtobuf } from './decode-protobuf.js';
import type { IngestCaps } from './ingest-caps.js';
import { errors } from '../errors.js';
import { convertLogsRequest } from './convert-logs.js';
import { convertMetricsRequest } from './metrics-to-rows.js';
import { convertTraceRequest } from './convert-spans.js';

export { DEFAULT_INGEST_CAPS, ATTR_TRUNCATED, resolveCaps, type IngestCaps } from './ingest-caps.js';
export { MAX_ERRORS, UNKNOWN_SERVICE, type ConvertResult } from './convert-common.js';
export { convertTraceRequest } from './convert-spans.js';
export { convertLogsRequest } from './convert-logs.js';
export { decodeTraceRequestJson, decodeLogsRequestJson } from './decode-json.js';
export { decodeTraceRequestProtobuf, decodeLogsRequestProtobuf } from './decode-protobuf.js';
export type { TraceRequest, LogsRequest } from '../otlp/shapes.js';
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
    throw errors.FT_OTLP_INVALID(`every ${what} was rejected: ${result.errors.join('; ')}`);
  }
  return result;
}

/**
 * Decodes and converts a /v1/traces body. Throws FT_OTLP_UNDECODABLE / FT_OTLP_INVALID (400)
 * when the body is undecodable or nothing in it is valid; otherwise returns the spans and the
 * rejected ones with reasons.
 */
export function ingestTraces(body: Uint8Array, format: OtlpFormat, caps?: Partial<IngestCaps>): ConvertResult {
  const request = format === 'protobuf' ? decodeTraceRequestProtobuf(body) : decodeTraceRequestJson(body);
  return requireSomethingValid(convertTraceRequest(request, caps), 'span');
}

/**
 * Decodes and converts a /v1/logs body (start marks → running spans, other records → log lines).
 * Throws FT_OTLP_UNDECODABLE / FT_OTLP_INVALID (400) when the body is undecodable or nothing in it is valid.
 */
export function ingestLogs(body: Uint8Array, format: OtlpFormat, caps?: Partial<IngestCaps>): ConvertResult {
  const request = format === 'protobuf' ? decodeLogsRequestProtobuf(body) : decodeLogsRequestJson(body);
  return requireSomethingValid(convertLogsRequest(request, caps), 'log record');
}

/**
 * Decodes and converts a /v1/metrics body to one row per data point. Throws FT_OTLP_UNDECODABLE /
 * FT_OTLP_INVALID (400) when the body is undecodable or nothing in it is valid.
 */
export function ingestMetrics(body: Uint8Array, format: OtlpFormat, caps?: Partial<IngestCaps>): ConvertResult {
  const request = format === 'protobuf' ? decodeMetricsRequestProtobuf(body) : decodeMetricsRequestJson(body);
  return requireSomethingValid(convertMetricsRequest(request, caps), 'data point');
}

/**
 * The one path from an OTLP request body to a batch, for every signal and both transports
 * (OTLP/HTTP routes and the OTLP/gRPC server): decode, validate, convert.
 */
export function ingestOtlp(signal: OtlpSignal, body: Uint8Array, format: OtlpFormat, caps?: Partial<IngestCaps>): ConvertResult {
  if (signal === 'traces') return ingestTraces(body, format, caps);
  if (signal === 'logs') return ingestLogs(body, format, caps);
  return ingestMetrics(body, format, caps);
}
