/**
 * OTLP protobuf request bodies → decoded messages, with the code generated from the official
 * .proto files (generated/otlp.ts): the generated message objects are the decoded OTLP shapes
 * of otlp/shapes.ts as they are. Any decoding failure (truncated input, bad wire types,
 * nesting too deep for the stack) becomes the coded 400 error.
 */
import { opentelemetry } from './generated/otlp.js';
import { errors } from '../errors.js';
import type { LogsRequest, TraceRequest } from '../otlp/shapes.js';
import type { MetricsRequestIn } from './otlp-metrics-model.js';

const TraceMessage = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const LogsMessage = opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
const MetricsMessage = opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

function reason(err: unknown): string {
  return err instanceof RangeError && /call stack/i.test(err.message) ? 'nesting too deep'
    : err instanceof Error ? err.message : String(err);
}

/** Decodes a protobuf ExportTraceServiceRequest; throws FT_OTLP_UNDECODABLE when it is not one. */
export function decodeTraceRequestProtobuf(body: Uint8Array): TraceRequest {
  try {
    return TraceMessage.decode(body) as unknown as TraceRequest;
  } catch (err) {
    throw errors.FT_OTLP_UNDECODABLE(`body is not a protobuf ExportTraceServiceRequest: ${reason(err)}`);
  }
}

/** Decodes a protobuf ExportLogsServiceRequest; throws FT_OTLP_UNDECODABLE when it is not one. */
export function decodeLogsRequestProtobuf(body: Uint8Array): LogsRequest {
  try {
    return LogsMessage.decode(body) as unknown as LogsRequest;
  } catch (err) {
    throw errors.FT_OTLP_UNDECODABLE(`body is not a protobuf ExportLogsServiceRequest: ${reason(err)}`);
  }
}

/** Decodes a protobuf ExportMetricsServiceRequest; throws FT_OTLP_UNDECODABLE when it is not one. */
export function decodeMetricsRequestProtobuf(body: Uint8Array): MetricsRequestIn {
  try {
    return MetricsMessage.decode(body) as MetricsRequestIn;
  } catch (err) {
    throw errors.FT_OTLP_UNDECODABLE(`body is not a protobuf ExportMetricsServiceRequest: ${reason(err)}`);
  }
}
