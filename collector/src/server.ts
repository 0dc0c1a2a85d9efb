/**
 * startServer(): opens storage, builds the app, listens, and wires the live feed to the
 * writer's commits. close() stops cleanly: new OTLP requests get 503, everything already
 * queued is committed and acknowledged, the database is checkpointed and closed.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { errors } from './errors.js';
import { Metrics } from './metrics.js';
import { LiveFeed } from './query/live-feed.js';
import { openStorage, type Storage, type StorageOptions } from './storage/index.js';

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Database file or ':memory:' (default ./data/flowtrace.duckdb). */
  dbPath?: string;
  viewerDir?: string;
  ingestToken?: string;
  queryToken?: string;
  corsOrigins?: string[];
  maxBodyBytes?: number;
  retention?: StorageOptions['retention'];
  maxQueueRows?: number;
  abandonAfterMs?: number;
  sqlTimeoutMs?: number;
  sqlMaxRows?: number;
  memoryLimit?: string;
  logger?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  app: FastifyInstance;
  storage: Storage;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4318;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DB = './data/flowtrace.duckdb';

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const feed = new LiveFeed();
  const metrics = new Metrics();
  const storage = await openStorage({
    path: options.dbPath ?? DEFAULT_DB,
    memoryLimit: options.memoryLimit,
    maxQueueRows: options.maxQueueRows,
    abandonAfterMs: options.abandonAfterMs,
    sqlTimeoutMs: options.sqlTimeoutMs,
    sqlMaxRows: options.sqlMaxRows,
    retention: options.retention,
    onCommit: (notice) => feed.publishCommit(notice),
  });
  let app: FastifyInstance;
  try {
    app = await buildApp({
      storage,
      feed,
      metrics,
      viewerDir: options.viewerDir,
      ingestToken: options.ingestToken,
      queryToken: options.queryToken,
      corsOrigins: options.corsOrigins,
      maxBodyBytes: options.maxBodyBytes,
      logger: options.logger,
    });
  } catch (error) {
    await storage.close();
    throw error;
  }
  let stopping = false;
  app.addHook('onRequest', async (request) => {
    if (stopping && request.url.startsWith('/v1/')) throw errors.FT_SHUTTING_DOWN();
  });
  const host = options.host ?? DEFAULT_HOST;
  await app.listen({ port: options.port ?? DEFAULT_PORT, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_PORT);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    app,
    storage,
    close() {
      closing ??= (async () => {
        stopping = true;
        await storage.writer.close();
        await app.close();
        await storage.close();
      })();
      return closing;
    },
  };
}
