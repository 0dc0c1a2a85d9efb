/**
 * OTLP/gRPC receiver: TraceService/Export, LogsService/Export and MetricsService/Export with
 * @grpc/grpc-js. The services are defined over raw bytes (the request deserializer is the
 * identity), so a request goes through the very path an OTLP/HTTP protobuf body takes: the
 * ingest decoder (workers/decoder.ts: the generated decoder, validation, rows, in a worker thread
 * or inline) and then the writer.
 *
 * Invariants, as on HTTP: OK is sent only after the writer committed the rows (an
 * acknowledged item is durable); a retried request is stored once (the writer dedupes);
 * rejected items are named in partial_success. grpc-js itself decompresses gzip/deflate and
 * enforces the receive limit after decompression (RESOURCE_EXHAUSTED). A full write queue or a
 * stopping collector answers UNAVAILABLE with a RetryInfo delay. close() refuses new calls
 * and waits for the ones in flight.
 */
import {
  Server, ServerCredentials, ServerInterceptingCall, ResponderBuilder, ServerListenerBuilder,
  type Metadata, type ServerInterceptor, type ServerUnaryCall, type sendUnaryData, type ServiceDefinition,
} from '@grpc/grpc-js';
import { tokenMatches } from '../auth.js';
import { errors, FlowtraceError } from '../errors.js';
import type { Storage } from '../storage/index.js';
import { grpcStatusOf, statusName, type CodedError } from './grpc-status.js';
import { itemCounts, type ConvertResult, type IngestCaps, type OtlpSignal } from './index.js';
import { successBody } from './otlp-response.js';
import type { IngestOutcome } from './otlp-routes.js';
import { inlineDecoder, type IngestDecoder } from './workers/decoder.js';

/** The OTLP specification's recommended receive limit. */
export const DEFAULT_GRPC_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface GrpcReceiverOptions {
  storage: Storage;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Largest request accepted, after decompression (default 64 MiB). */
  maxMessageBytes?: number;
  /** Bearer token required in the `authorization` metadata. */
  ingestToken?: string;
  /** Caps of the inline decoder made when no decoder is given. */
  caps?: Partial<IngestCaps>;
  /** Where bodies are decoded (the ingest workers, workers/decoder.ts); default inline on the main thread. */
  decoder?: IngestDecoder;
  /** True once the collector is stopping: new calls get UNAVAILABLE with a RetryInfo. */
  isStopping?: () => boolean;
  /** Items and latency of each call the receiver answered (as the HTTP routes report them). */
  onResult?: (outcome: IngestOutcome) => void;
  /** The status every call ended with, by name (OK, UNAVAILABLE …; ENDED_BY_TRANSPORT: see below). */
  onStatus?: (signal: OtlpSignal, code: string) => void;
  /** An unexpected failure (answered INTERNAL), for the log. */
  onInternalError?: (error: unknown) => void;
}

export interface GrpcReceiver {
  /** The port it listens on. */
  readonly port: number;
  /** Refuses new calls, waits up to `timeoutMs` for those in flight, then closes. */
  close(timeoutMs?: number): Promise<void>;
}

const SERVICES: ReadonlyArray<readonly [OtlpSignal, string]> = [
  ['traces', 'opentelemetry.proto.collector.trace.v1.TraceService'],
  ['logs', 'opentelemetry.proto.collector.logs.v1.LogsService'],
  ['metrics', 'opentelemetry.proto.collector.metrics.v1.MetricsService'],
];

const identity = (bytes: Buffer): Buffer => bytes;

/** A service with one unary Export method over raw bytes. */
function rawService(name: string): ServiceDefinition {
  return {
    Export: {
      path: `/${name}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

/** The bearer token of the `authorization` metadata, if any. */
function bearerOf(metadata: Metadata): string | undefined {
  const value = metadata.get('authorization')[0];
  if (typeof value !== 'string' || !value.toLowerCase().startsWith('bearer ')) return undefined;
  return value.slice(7).trim();
}

function toCoded(error: unknown): CodedError {
  if (error instanceof FlowtraceError) return error;
  return errors.FT_INTERNAL(error instanceof Error ? error.message : String(error));
}

/**
 * Counts the status every call ends with. A call that ends without passing a status through
 * here was ended by grpc-js before or outside the handler — over the receive limit
 * (RESOURCE_EXHAUSTED), an unknown compression (UNIMPLEMENTED), or cancelled by the client —
 * and is counted as ENDED_BY_TRANSPORT, since grpc-js does not tell interceptors its code.
 */
function countingInterceptor(onStatus: NonNullable<GrpcReceiverOptions['onStatus']>): ServerInterceptor {
  const signals = new Map<string, OtlpSignal>(SERVICES.map(([signal, name]) => [`/${name}/Export`, signal]));
  return (method, call) => {
    const signal = signals.get(method.path);
    if (signal === undefined) return new ServerInterceptingCall(call);
    let counted = false;
    const count = (code: string) => {
      if (counted) return;
      counted = true;
      onStatus(signal, code);
    };
    const responder = new ResponderBuilder()
      .withStart((next) => next(new ServerListenerBuilder().withOnCancel(() => count('ENDED_BY_TRANSPORT')).build()))
      .withSendStatus((status, next) => {
        count(statusName(status.code));
        next(status);
      })
      .build();
    return new ServerInterceptingCall(call, responder);
  };
}

/** Starts the receiver on host:port; rejects when the address cannot be bound. */
export async function startGrpcReceiver(options: GrpcReceiverOptions): Promise<GrpcReceiver> {
  const { storage } = options;
  const decoder = options.decoder ?? inlineDecoder(options.caps);
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes ?? DEFAULT_GRPC_MAX_MESSAGE_BYTES,
    // Each call's message is held whole before the handler runs: bound the calls one connection
    // may have open (exporters send a few at a time; the OTel JS default is 30).
    'grpc.max_concurrent_streams': 100,
    interceptors: options.onStatus ? [countingInterceptor(options.onStatus)] : [],
  });

  const handle = (signal: OtlpSignal) => async (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
    const started = performance.now();
    let result: ConvertResult | undefined;
    try {
      if (options.ingestToken !== undefined && !tokenMatches(options.ingestToken, bearerOf(call.metadata))) {
        callback(grpcStatusOf(errors.FT_UNAUTHORIZED()));
        return;
      }
      if (options.isStopping?.()) throw errors.FT_SHUTTING_DOWN();
      // A full queue refuses before any decoding: under overload, refusals must be cheap. The rows
      // of the bodies still in the ingest workers count too: the writer sees them only later.
      const refusal = storage.writer.refusalFor(1 + decoder.pendingRows());
      if (refusal) throw refusal;
      result = await decoder.decode({ kind: 'otlp', signal, format: 'protobuf', body: call.request }, () => storage.writer.refusalFor(1));
      await storage.writer.write(result.batch);
      const { accepted, rejected } = itemCounts(result);
      options.onResult?.({ signal, transport: 'grpc', accepted, rejected, statusCode: 200, latencyMs: performance.now() - started });
      callback(null, successBody(signal, 'protobuf', { rejected, message: result.errors.join('; ') }) as Buffer);
    } catch (error) {
      const coded = toCoded(error);
      const attempted = result ? itemCounts(result).accepted : 0;
      options.onResult?.({ signal, transport: 'grpc', accepted: 0, rejected: attempted, statusCode: coded.statusCode, latencyMs: performance.now() - started });
      if (coded.code === 'FT_INTERNAL') options.onInternalError?.(error);
      callback(grpcStatusOf(coded));
    }
  };
  for (const [signal, name] of SERVICES) server.addService(rawService(name), { Export: handle(signal) });

  const host = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  let closing: Promise<void> | undefined;
  return {
    port,
    close(timeoutMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, timeoutMs);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return closing;
    },
  };
}
