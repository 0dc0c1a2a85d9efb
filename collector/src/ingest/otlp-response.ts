/**
 * OTLP/HTTP answers in the request's encoding: ExportTrace/LogsServiceResponse (with
 * partial_success when something was rejected) for 200, and google.rpc.Status for
 * protobuf errors, as the OTLP specification says.
 */
import protobuf from 'protobufjs';
import { opentelemetry } from './generated/otlp.js';
import type { OtlpFormat } from './index.js';

const TraceResponse = opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
const LogsResponse = opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;

// google.rpc.Status, the error body of OTLP/HTTP protobuf answers (not in the OTLP protos).
const RpcStatus = protobuf.Type.fromJSON('Status', {
  fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } },
});

export interface PartialSuccess {
  rejected: number;
  message: string;
}

/** The body of a 200 answer to /v1/traces or /v1/logs. */
export function successBody(signal: 'traces' | 'logs', format: OtlpFormat, partial: PartialSuccess | undefined): Buffer | object {
  const partialSuccess =
    partial && partial.rejected > 0
      ? signal === 'traces'
        ? { rejectedSpans: partial.rejected, errorMessage: partial.message }
        : { rejectedLogRecords: partial.rejected, errorMessage: partial.message }
      : undefined;
  if (format === 'json') {
    if (!partialSuccess) return {};
    return {
      partialSuccess:
        signal === 'traces'
          ? { rejectedSpans: String(partial!.rejected), errorMessage: partial!.message }
          : { rejectedLogRecords: String(partial!.rejected), errorMessage: partial!.message },
    };
  }
  const message = partialSuccess ? { partialSuccess } : {};
  const bytes = signal === 'traces' ? TraceResponse.encode(message).finish() : LogsResponse.encode(message).finish();
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
