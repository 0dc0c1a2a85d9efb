/**
 * The gRPC answers of the OTLP/gRPC receiver, from the same coded errors the HTTP routes
 * answer with, as the OTLP specification asks: INVALID_ARGUMENT for bad data (not retryable),
 * UNAUTHENTICATED, RESOURCE_EXHAUSTED past the receive limit, and UNAVAILABLE with a
 * google.rpc.RetryInfo delay (trailing metadata `grpc-status-details-bin`, a serialized
 * google.rpc.Status whose details hold the RetryInfo) when the write queue is full or the
 * collector is stopping, so exporters back off for that long and retry.
 */
import { Metadata, status as Status, type StatusObject } from '@grpc/grpc-js';
import protobuf from 'protobufjs';

// google.rpc.Status, google.protobuf.Any, google.rpc.RetryInfo and google.protobuf.Duration:
// the four messages of the googleapis / protobuf definitions this needs, field for field.
const root = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
            Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            RetryInfo: { fields: { retry_delay: { type: 'google.protobuf.Duration', id: 1 } } },
          },
        },
      },
    },
  },
});
const RpcStatus = root.lookupType('google.rpc.Status');
const RetryInfo = root.lookupType('google.rpc.RetryInfo');

/** The type URL of a RetryInfo inside google.protobuf.Any. */
export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/** The trailing metadata key that carries a serialized google.rpc.Status. */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

/** A coded error as the HTTP side has it (FlowtraceError, or a plain coded object). */
export interface CodedError {
  code: string;
  message: string;
  statusCode: number;
  retryAfterSeconds?: number;
}

/** Trailing metadata with a google.rpc.Status (code, message) holding a RetryInfo of `seconds`. */
export function retryInfoMetadata(code: Status, message: string, seconds: number): Metadata {
  const retry = RetryInfo.encode(RetryInfo.create({ retry_delay: { seconds: Math.floor(seconds), nanos: Math.round((seconds % 1) * 1e9) } })).finish();
  const details = RpcStatus.encode(RpcStatus.create({
    code, message, details: [{ type_url: RETRY_INFO_TYPE_URL, value: retry }],
  })).finish();
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(details));
  return metadata;
}

/** The gRPC status an error answers with (the HTTP status of the coded error decides). */
export function grpcStatusOf(error: CodedError): Partial<StatusObject> & { code: Status } {
  const details = `${error.code}: ${error.message}`;
  switch (error.statusCode) {
    case 400:
      return { code: Status.INVALID_ARGUMENT, details };
    case 401:
      return { code: Status.UNAUTHENTICATED, details };
    case 413:
      return { code: Status.RESOURCE_EXHAUSTED, details };
    case 415:
      return { code: Status.UNIMPLEMENTED, details };
    case 429:
    case 503: {
      const seconds = error.retryAfterSeconds ?? 1;
      return { code: Status.UNAVAILABLE, details, metadata: retryInfoMetadata(Status.UNAVAILABLE, details, seconds) };
    }
    default:
      return { code: Status.INTERNAL, details };
  }
}

/** The name of a gRPC status code (OK, INVALID_ARGUMENT …), for metrics. */
export function statusName(code: number): string {
  return Status[code] ?? String(code);
}
