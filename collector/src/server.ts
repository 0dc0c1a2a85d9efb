/**
 * startServer(): opens storage, builds the app, listens, and wires the live feed to the
 * writer's commits; runs the OTLP/gRPC receiver beside the HTTP port. close() stops cleanly: new
 * OTLP requests get 503 (gRPC: UNAVAILABLE), everything already queued is committed and
 * acknowledged, the gRPC server finishes its calls, the database is checkpointed and closed.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { accessOfRequest } from './auth.js';
import { capConnectionsPerClient, DEFAULT_MAX_CONNECTIONS_PER_CLIENT } from './connection-cap.js';
import { hostPolicy } from './host-check.js';
import { errors } from './errors.js';
import { watchGrpcOnHttpPort } from './grpc-on-http-port.js';
import { startGrpcReceiver, type GrpcReceiver } from './ingest/grpc-server.js';
import { IngestDecoder, type IngestWorkerOptions } from './ingest/workers/decoder.js';
import type { IngestPoolStats } from './ingest/workers/ingest-pool.js';
import { Metrics } from './metrics.js';
import { LiveFeed } from './query/live-feed.js';
import { openStorage, type ClickHouseSelection, type Storage, type StorageOptions } from './storage/index.js';

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Database file or ':memory:' (default ./data/flowtrace.duckdb). */
  dbPath?: string;
  /** The storage engine: 'duckdb' (default, dbPath) or 'clickhouse' (`clickhouse` says which). */
  storage?: 'duckdb' | 'clickhouse';
  clickhouse?: ClickHouseSelection;
  viewerDir?: string;
  ingestToken?: string;
  queryToken?: string;
  /** Token of the control routes (cancel, replay of runs); control is off without it. */
  controlToken?: string;
  /** How long a control request waits for the service's answer (default 10 s). */
  controlAnswerTimeoutMs?: number;
  corsOrigins?: string[];
  maxBodyBytes?: number;
  retention?: StorageOptions['retention'];
  maxQueueRows?: number;
  abandonAfterMs?: number;
  sqlTimeoutMs?: number;
  sqlMaxRows?: number;
  sqlMaxBytes?: number;
  sqlMaxMemoryBytes?: number;
  memoryLimit?: string;
  /** Host names answered besides loopback ('*': any); see host-check.ts. */
  allowedHosts?: string[];
  /** Time to receive a whole request before 408. */
  requestTimeoutMs?: number;
  /** Connections one client address may hold open. */
  maxConnectionsPerClient?: number;
  /** Bytes of events the live feed keeps for clients that reconnect (default 16 MiB). */
  liveBufferBytes?: number;
  /** Open live streams at most (default 100); past it GET /api/live answers 503. */
  maxLiveClients?: number;
  /**
   * The OTLP/gRPC receiver on the same host (default port 4317; port 0 picks a free one), with
   * its receive limit after decompression (default 64 MiB); false turns it off.
   */
  grpc?: { port?: number; maxMessageBytes?: number } | false;
  /**
   * The worker threads that decode ingest bodies (ingest/workers/): `workers` (0: decode on the
   * main thread; default from the cores) and, for tests, the pool's bounds, timeouts and hooks.
   */
  ingestWorkers?: IngestWorkerOptions;
  logger?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  app: FastifyInstance;
  storage: Storage;
  /** The OTLP/gRPC port, when the receiver runs. */
  grpcPort?: number;
  close(): Promise<void>;
  /** What close() is doing (for a stop that takes too long): 'running' before it is called. */
  readonly stopPhase: string;
  /** The ingest workers' figures (undefined when bodies are decoded on the main thread). */
  readonly ingestPoolStats: IngestPoolStats | undefined;
}

export const DEFAULT_PORT = 4318;
export const DEFAULT_GRPC_PORT = 4317;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DB = './data/flowtrace.duckdb';

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const feed = new LiveFeed({ maxBytes: options.liveBufferBytes, maxClients: options.maxLiveClients });
  const metrics = new Metrics();
  const storage = await openStorage({
    path: options.dbPath ?? DEFAULT_DB,
    engine: options.storage,
    clickhouse: options.clickhouse,
    memoryLimit: options.memoryLimit,
    maxQueueRows: options.maxQueueRows,
    abandonAfterMs: options.abandonAfterMs,
    sqlTimeoutMs: options.sqlTimeoutMs,
    sqlMaxRows: options.sqlMaxRows,
    sqlMaxBytes: options.sqlMaxBytes,
    sqlMaxMemoryBytes: options.sqlMaxMemoryBytes,
    retention: options.retention,
    onCommit: (notice) => feed.publishCommit(notice),
    // Retention runs in the background: a failed pass is printed whether or not requests are logged.
    onRetentionError: (error) => process.stderr.write(`flowtrace: retention pass failed: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  metrics.watchRetention(storage.retention.stats);
  const host = options.host ?? DEFAULT_HOST;
  const ingestDecoder = new IngestDecoder(undefined, {
    ...options.ingestWorkers,
    onWorkerFailure: options.ingestWorkers?.onWorkerFailure ?? ((error) => process.stderr.write(`flowtrace: ${error.message}\n`)),
  });
  let app: FastifyInstance;
  try {
    app = await buildApp({
      ingestDecoder,
      hostPolicy: hostPolicy(host, options.allowedHosts),
      requestTimeoutMs: options.requestTimeoutMs,
      storage,
      feed,
      metrics,
      viewerDir: options.viewerDir,
      ingestToken: options.ingestToken,
      queryToken: options.queryToken,
      controlToken: options.controlToken,
      controlAnswerTimeoutMs: options.controlAnswerTimeoutMs,
      corsOrigins: options.corsOrigins,
      maxBodyBytes: options.maxBodyBytes,
      logger: options.logger,
    });
  } catch (error) {
    await ingestDecoder.close();
    await storage.close();
    throw error;
  }
  let stopping = false;
  app.addHook('onRequest', async (request) => {
    if (stopping && accessOfRequest(request) === 'ingest') throw errors.FT_SHUTTING_DOWN();
  });
  capConnectionsPerClient(app.server, options.maxConnectionsPerClient ?? DEFAULT_MAX_CONNECTIONS_PER_CLIENT, () => metrics.recordRefusedConnection());
  const grpcOptions = options.grpc === false ? undefined : { port: options.grpc?.port ?? DEFAULT_GRPC_PORT, maxMessageBytes: options.grpc?.maxMessageBytes };
  const warn = (message: string) => (options.logger ? app.log.warn(message) : process.stderr.write(`${message}\n`));
  let grpc: GrpcReceiver | undefined;
  watchGrpcOnHttpPort(app.server, { grpcPort: () => grpc?.port, onDetected: () => metrics.recordGrpcOnHttpPort(), warn });
  await app.listen({ port: options.port ?? DEFAULT_PORT, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_PORT);
  if (grpcOptions) {
    try {
      grpc = await startGrpcReceiver({
        storage, host, port: grpcOptions.port, maxMessageBytes: grpcOptions.maxMessageBytes, ingestToken: options.ingestToken, decoder: ingestDecoder,
        isStopping: () => stopping,
        onResult: (outcome) => metrics.recordIngest(outcome),
        onStatus: (signal, code) => metrics.recordGrpcStatus(signal, code),
        onInternalError: (error) => app.log.error({ err: error }, 'OTLP/gRPC ingest failed'),
      });
    } catch (error) {
      const message = `OTLP/gRPC receiver could not listen on ${host}:${grpcOptions.port}: ${(error as Error).message}`;
      // A port asked for must be had; the default one may be another collector's (a second
      // flowtrace, tests side by side): then OTLP/HTTP still runs and the warning says why gRPC does not.
      if (options.grpc && options.grpc.port !== undefined) {
        await app.close();
        await ingestDecoder.close();
        await storage.close();
        throw new Error(message, { cause: error });
      }
      warn(`flowtrace: ${message}; running without OTLP/gRPC (set --grpc-port, or 0 to turn it off)`);
    }
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  let stopPhase = 'running';
  return {
    url: `http://${urlHost}:${port}`,
    port,
    app,
    storage,
    grpcPort: grpc?.port,
    get stopPhase() {
      return stopPhase;
    },
    get ingestPoolStats() {
      return ingestDecoder.poolStats;
    },
    close() {
      closing ??= (async () => {
        stopping = true;
        // A console query in flight would hold app.close() up to its time limit: interrupt it first.
        stopPhase = 'interrupting SQL console queries';
        await storage.sql.close();
        // So is a Parquet export being written (a download already streaming finishes).
        stopPhase = 'interrupting Parquet exports';
        await storage.exports.close();
        // Bodies in the ingest workers are decoded and handed to the writer before it closes.
        stopPhase = 'decoding ingest requests in flight';
        await ingestDecoder.close();
        stopPhase = 'committing queued batches';
        await storage.writer.close();
        // Calls in flight were answered when the writer finished; new ones got UNAVAILABLE.
        stopPhase = 'finishing OTLP/gRPC calls';
        await grpc?.close();
        stopPhase = 'closing HTTP connections';
        await app.close();
        stopPhase = 'checkpointing and closing the database';
        await storage.close();
        stopPhase = 'stopped';
      })();
      return closing;
    },
  };
}
