/**
 * OTLP/HTTP answers in the request's encoding: ExportTrace/Logs/MetricsServiceResponse (with
 * partial_success when something was rejected) for 200, and google.rpc.Status for
 * protobuf errors, as the OTLP specification says.
 */
import protobuf from 'protobufjs';
import { opentelemetry } from './generated/otlp.js';
import type { OtlpFormat, OtlpSignal } from './index.js';

const TraceResponse = opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
const LogsResponse = opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
const MetricsResponse = opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;

// google.rpc.Status, the error body of OTLP/HTTP protobuf answers (not in the OTLP protos).
const RpcStatus = protobuf.Type.fromJSON('Status', {
  fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } },
});

export interface PartialSuccess {
  rejected: number;
  message: string;
}

/** The partial_success counter field of each signal's response. */
const REJECTED_FIELD = { traces: 'rejectedSpans', logs: 'rejectedLogRecords', metrics: 'rejectedDataPoints' } as const;

/** The body of a 200 answer to /v1/traces, /v1/logs or /v1/metrics (and of a gRPC Export). */
export function successBody(signal: OtlpSignal, format: OtlpFormat, partial: PartialSuccess | undefined): Buffer | object {
  const field = REJECTED_FIELD[signal];
  const rejected = partial !== undefined && partial.rejected > 0 ? partial : undefined;
  if (format === 'json') {
    // OTLP/JSON writes int64 fields as decimal text.
    return rejected ? { partialSuccess: { [field]: String(rejected.rejected), errorMessage: rejected.message } } : {};
  }
  const message = rejected ? { partialSuccess: { [field]: rejected.rejected, errorMessage: rejected.message } } : {};
  const bytes = signal === 'traces' ? TraceResponse.encode(message).finish()
    : signal === 'logs' ? LogsResponse.encode(message).finish()
      : MetricsResponse.encode(message).finish();
  return Buffer.from(bytes);
}

/** A google.rpc.Status protobuf body for an error answer. */
export function protobufStatusBody(grpcCode: number, message: string): Buffer {
  return Buffer.from(RpcStatus.encode(RpcStatus.create({ code: grpcCode, message })).finish());
}

/** The gRPC status code that matches an HTTP status (for google.rpc.Status bodies). */
export function grpcCodeOf(httpStatus: number): number {
  if (httpStatus === 400) return 3; // INVALID_ARGUMENT
  if (httpStatus === 401) return 16; // UNAUTHENTICATED
  if (httpStatus === 413) return 8; // RESOURCE_EXHAUSTED
  if (httpStatus === 415) return 3;
  if (httpStatus === 429) return 8;
  if (httpStatus === 503) return 14; // UNAVAILABLE
  return 13; // INTERNAL
}
