/**
 * OTLP protobuf request bodies → decoded messages, with the code generated from the official
 * .proto files (generated/otlp.ts). Any decoding failure (truncated input, bad wire types,
 * nesting too deep for the stack) becomes the coded 400 error.
 */
import { opentelemetry } from './generated/otlp.js';
import { undecodableError } from './ingest-errors.js';
import type { LogsRequestIn, TraceRequestIn } from './otlp-model.js';
import type { MetricsRequestIn } from './otlp-metrics-model.js';

const TraceRequest = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const LogsRequest = opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
const MetricsRequest = opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

function reason(err: unknown): string {
  return err instanceof RangeError && /call stack/i.test(err.message) ? 'nesting too deep'
    : err instanceof Error ? err.message : String(err);
}

/** Decodes a protobuf ExportTraceServiceRequest; throws FT_OTLP_UNDECODABLE when it is not one. */
export function decodeTraceRequestProtobuf(body: Uint8Array): TraceRequestIn {
  try {
    return TraceRequest.decode(body) as TraceRequestIn;
  } catch (err) {
    throw undecodableError(`body is not a protobuf ExportTraceServiceRequest: ${reason(err)}`, err);
  }
}

/** Decodes a protobuf ExportLogsServiceRequest; throws FT_OTLP_UNDECODABLE when it is not one. */
export function decodeLogsRequestProtobuf(body: Uint8Array): LogsRequestIn {
  try {
    return LogsRequest.decode(body) as LogsRequestIn;
  } catch (err) {
    throw undecodableError(`body is not a protobuf ExportLogsServiceRequest: ${reason(err)}`, err);
  }
}

/** Decodes a protobuf ExportMetricsServiceRequest; throws FT_OTLP_UNDECODABLE when it is not one. */
export function decodeMetricsRequestProtobuf(body: Uint8Array): MetricsRequestIn {
  try {
    return MetricsRequest.decode(body) as MetricsRequestIn;
  } catch (err) {
    throw undecodableError(`body is not a protobuf ExportMetricsServiceRequest: ${reason(err)}`, err);
  }
}
