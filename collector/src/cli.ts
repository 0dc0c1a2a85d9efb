#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * The `flowtrace` command: `flowtrace start [--port N] [--host H] [--db PATH] …`,
 * `flowtrace compact [--db PATH]` for a stopped collector's database file, and
 * `flowtrace export --out DIR …` for Parquet files of a running one (export-command.ts).
 * Options fall back to FLOWTRACE_* environment variables, then to defaults. `start` prints
 * where it listens and stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_EXPORT_URL, ExportUsageError, runExport } from './export-command.js';
import { DEFAULT_GRPC_MAX_MESSAGE_BYTES } from './ingest/grpc-server.js';
import { defaultIngestWorkers } from './ingest/workers/decoder.js';
import { DEFAULT_DB, DEFAULT_GRPC_PORT, DEFAULT_HOST, DEFAULT_PORT, startServer, type ServerOptions } from './server.js';
import { compactDatabase } from './storage/index.js';
import { parseBytes, parseDuration } from './units.js';

const USAGE = `Usage: flowtrace start [options]
       flowtrace compact [--db PATH]   rewrite a stopped collector's database into a compact file
       flowtrace export --out DIR [--url URL] [--from T] [--to T] [--token T]
                                       download spans, executions, logs and metrics as Parquet files
                                       from a running collector (--url default ${DEFAULT_EXPORT_URL};
                                       T: ISO 8601 or epoch ms; token also FLOWTRACE_QUERY_TOKEN)

  --port N               port (FLOWTRACE_PORT, default ${DEFAULT_PORT})
  --grpc-port N          OTLP/gRPC port, 0 turns it off (FLOWTRACE_GRPC_PORT, default ${DEFAULT_GRPC_PORT})
  --grpc-max-message SIZE  largest OTLP/gRPC request after decompression (FLOWTRACE_GRPC_MAX_MESSAGE, default ${DEFAULT_GRPC_MAX_MESSAGE_BYTES / 2 ** 20}MiB)
  --host H               address to bind (FLOWTRACE_HOST, default ${DEFAULT_HOST})
  --db PATH              DuckDB file or :memory: (FLOWTRACE_DB, default ${DEFAULT_DB})
  --storage ENGINE       duckdb (default) or clickhouse (FLOWTRACE_STORAGE)
  --clickhouse-url URL   http(s)://host:8123, or chdb:PATH for ClickHouse in this process (development
                         and tests; needs the chdb package) (FLOWTRACE_CLICKHOUSE_URL); user and password
                         from CLICKHOUSE_USER and CLICKHOUSE_PASSWORD, the SQL console's read-only user from
                         FLOWTRACE_CLICKHOUSE_CONSOLE_USER and FLOWTRACE_CLICKHOUSE_CONSOLE_PASSWORD
  --clickhouse-database NAME  (FLOWTRACE_CLICKHOUSE_DATABASE, default flowtrace)
  --clickhouse-cluster NAME   create the schema ON CLUSTER, sharded by trace id (FLOWTRACE_CLICKHOUSE_CLUSTER)
  --retention AGE        delete executions (and lines of none) older than AGE, e.g. 7d (FLOWTRACE_RETENTION)
  --max-db-size SIZE     delete the oldest data past SIZE, e.g. 5GB (FLOWTRACE_MAX_DB_SIZE)
  --retention-interval AGE  how often retention looks (FLOWTRACE_RETENTION_INTERVAL, default 30s)
  --ingest-token T       bearer token required on /v1/* (FLOWTRACE_INGEST_TOKEN)
  --query-token T        bearer token required on /api/* and /metrics (FLOWTRACE_QUERY_TOKEN)
  --control-token T      turns control on: the token that cancels and replays runs in services
                         that opt in (FLOWTRACE_CONTROL_TOKEN; separate from the query token)
  --cors-origin O        allow this origin (repeatable; FLOWTRACE_CORS_ORIGINS, comma-separated)
  --max-body SIZE        body cap after decompression (FLOWTRACE_MAX_BODY, default 20MiB)
  --max-queue-rows N     rows waiting for commit before 429 (FLOWTRACE_MAX_QUEUE_ROWS, default 200000)
  --ingest-workers N     threads that decode ingest requests, 0 decodes on the main thread
                         (FLOWTRACE_INGEST_WORKERS, default ${defaultIngestWorkers()} here: one per core beyond the first, at most 4)
  --abandon-after AGE    a silent running execution becomes abandoned (FLOWTRACE_ABANDON_AFTER, default 10m)
  --sql-timeout AGE      SQL console time limit (FLOWTRACE_SQL_TIMEOUT, default 10s)
  --sql-max-rows N       SQL console row cap (FLOWTRACE_SQL_MAX_ROWS, default 10000)
  --sql-max-bytes SIZE   SQL console answer cap in bytes (FLOWTRACE_SQL_MAX_BYTES, default 64MiB)
  --sql-max-memory SIZE  growth of the process past which a console query is interrupted (FLOWTRACE_SQL_MAX_MEMORY, default 512MiB)
  --memory-limit SIZE    DuckDB memory limit, e.g. 2GB (FLOWTRACE_MEMORY_LIMIT)
  --live-buffer-size SIZE  live events kept for reconnecting clients (FLOWTRACE_LIVE_BUFFER_SIZE, default 16MiB)
  --max-live-clients N   open live streams before 503 (FLOWTRACE_MAX_LIVE_CLIENTS, default 100)
  --allowed-hosts NAMES  Host names answered besides loopback, comma-separated; * for any (FLOWTRACE_ALLOWED_HOSTS)
  --request-timeout AGE  time to receive a whole request before 408 (FLOWTRACE_REQUEST_TIMEOUT, default 30s)
  --max-connections-per-client N  open connections one client address may hold (FLOWTRACE_MAX_CONNECTIONS_PER_CLIENT, default 256)
  --log                  log requests (FLOWTRACE_LOG=1)
`;

/** How long a stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`flowtrace: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function optionsFrom(argv: string[], env: NodeJS.ProcessEnv): ServerOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      storage: { type: 'string' },
      'clickhouse-url': { type: 'string' },
      'clickhouse-database': { type: 'string' },
      'clickhouse-cluster': { type: 'string' },
      retention: { type: 'string' },
      'max-db-size': { type: 'string' },
      'retention-interval': { type: 'string' },
      'ingest-token': { type: 'string' },
      'query-token': { type: 'string' },
      'control-token': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'max-body': { type: 'string' },
      'max-queue-rows': { type: 'string' },
      'ingest-workers': { type: 'string' },
      'abandon-after': { type: 'string' },
      'sql-timeout': { type: 'string' },
      'sql-max-rows': { type: 'string' },
      'sql-max-bytes': { type: 'string' },
      'sql-max-memory': { type: 'string' },
      'memory-limit': { type: 'string' },
      'grpc-port': { type: 'string' },
      'grpc-max-message': { type: 'string' },
      'live-buffer-size': { type: 'string' },
      'max-live-clients': { type: 'string' },
      'allowed-hosts': { type: 'string', multiple: true },
      'request-timeout': { type: 'string' },
      'max-connections-per-client': { type: 'string' },
      log: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (positionals[0] !== 'start') fail(positionals[0] ? `unknown command "${positionals[0]}"` : 'missing command');
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? (env[name] || undefined);
  const int = (value: string | undefined, what: string): number | undefined => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) fail(`${what} must be a whole number, got "${value}"`);
    return Number(value);
  };
  const positive = (what: string, value: number | undefined): number | undefined => {
    if (value !== undefined && value <= 0) fail(`${what} must be more than 0`);
    return value;
  };
  const guard = <T>(what: string, parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      return fail(`${what}: ${(error as Error).message}`);
    }
  };
  const retentionAge = pick(values.retention, 'FLOWTRACE_RETENTION');
  const maxDbSize = pick(values['max-db-size'], 'FLOWTRACE_MAX_DB_SIZE');
  const retentionInterval = pick(values['retention-interval'], 'FLOWTRACE_RETENTION_INTERVAL');
  const maxBody = pick(values['max-body'], 'FLOWTRACE_MAX_BODY');
  const abandon = pick(values['abandon-after'], 'FLOWTRACE_ABANDON_AFTER');
  const sqlTimeout = pick(values['sql-timeout'], 'FLOWTRACE_SQL_TIMEOUT');
  const sqlMaxBytes = pick(values['sql-max-bytes'], 'FLOWTRACE_SQL_MAX_BYTES');
  const sqlMaxMemory = pick(values['sql-max-memory'], 'FLOWTRACE_SQL_MAX_MEMORY');
  const requestTimeout = pick(values['request-timeout'], 'FLOWTRACE_REQUEST_TIMEOUT');
  const liveBuffer = pick(values['live-buffer-size'], 'FLOWTRACE_LIVE_BUFFER_SIZE');
  const maxLiveClients = int(pick(values['max-live-clients'], 'FLOWTRACE_MAX_LIVE_CLIENTS'), '--max-live-clients');
  if (maxLiveClients === 0) fail('--max-live-clients must be at least 1');
  const port = int(pick(values.port, 'FLOWTRACE_PORT'), '--port');
  if (port !== undefined && port > 65535) fail('--port must be at most 65535');
  const grpcPort = int(pick(values['grpc-port'], 'FLOWTRACE_GRPC_PORT'), '--grpc-port');
  if (grpcPort !== undefined && grpcPort > 65535) fail('--grpc-port must be at most 65535');
  const grpcMax = pick(values['grpc-max-message'], 'FLOWTRACE_GRPC_MAX_MESSAGE');
  const grpcMaxBytes = grpcMax ? guard('--grpc-max-message', () => parseBytes(grpcMax)) : undefined;
  const storage = pick(values.storage, 'FLOWTRACE_STORAGE');
  if (storage !== undefined && storage !== 'duckdb' && storage !== 'clickhouse') fail(`--storage must be duckdb or clickhouse, got "${storage}"`);
  const clickhouseUrl = pick(values['clickhouse-url'], 'FLOWTRACE_CLICKHOUSE_URL');
  if (storage === 'clickhouse' && clickhouseUrl === undefined) fail('--storage clickhouse needs --clickhouse-url');
  const ingestWorkers = int(pick(values['ingest-workers'], 'FLOWTRACE_INGEST_WORKERS'), '--ingest-workers');
  if (ingestWorkers !== undefined && ingestWorkers > 64) fail('--ingest-workers must be at most 64');
  const cors = values['cors-origin'] ?? env.FLOWTRACE_CORS_ORIGINS?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    port,
    host: pick(values.host, 'FLOWTRACE_HOST'),
    dbPath: pick(values.db, 'FLOWTRACE_DB'),
    storage,
    clickhouse: storage === 'clickhouse' && clickhouseUrl !== undefined
      ? {
          url: clickhouseUrl,
          database: pick(values['clickhouse-database'], 'FLOWTRACE_CLICKHOUSE_DATABASE'),
          cluster: pick(values['clickhouse-cluster'], 'FLOWTRACE_CLICKHOUSE_CLUSTER'),
          user: env.CLICKHOUSE_USER || undefined,
          password: env.CLICKHOUSE_PASSWORD || undefined,
          consoleUser: env.FLOWTRACE_CLICKHOUSE_CONSOLE_USER
            ? { user: env.FLOWTRACE_CLICKHOUSE_CONSOLE_USER, password: env.FLOWTRACE_CLICKHOUSE_CONSOLE_PASSWORD || undefined }
            : undefined,
        }
      : undefined,
    retention:
      retentionAge || maxDbSize
        ? {
            maxAgeMs: retentionAge ? guard('--retention', () => parseDuration(retentionAge)) : undefined,
            maxBytes: maxDbSize ? guard('--max-db-size', () => parseBytes(maxDbSize)) : undefined,
            intervalMs: retentionInterval ? guard('--retention-interval', () => parseDuration(retentionInterval)) : undefined,
          }
        : undefined,
    ingestToken: pick(values['ingest-token'], 'FLOWTRACE_INGEST_TOKEN'),
    queryToken: pick(values['query-token'], 'FLOWTRACE_QUERY_TOKEN'),
    controlToken: pick(values['control-token'], 'FLOWTRACE_CONTROL_TOKEN'),
    corsOrigins: cors,
    maxBodyBytes: maxBody ? guard('--max-body', () => parseBytes(maxBody)) : undefined,
    maxQueueRows: int(pick(values['max-queue-rows'], 'FLOWTRACE_MAX_QUEUE_ROWS'), '--max-queue-rows'),
    ingestWorkers: { workers: ingestWorkers },
    abandonAfterMs: abandon ? guard('--abandon-after', () => parseDuration(abandon)) : undefined,
    sqlTimeoutMs: sqlTimeout ? guard('--sql-timeout', () => parseDuration(sqlTimeout)) : undefined,
    sqlMaxRows: int(pick(values['sql-max-rows'], 'FLOWTRACE_SQL_MAX_ROWS'), '--sql-max-rows'),
    sqlMaxBytes: sqlMaxBytes ? guard('--sql-max-bytes', () => parseBytes(sqlMaxBytes)) : undefined,
    sqlMaxMemoryBytes: sqlMaxMemory ? positive('--sql-max-memory', guard('--sql-max-memory', () => parseBytes(sqlMaxMemory))) : undefined,
    memoryLimit: pick(values['memory-limit'], 'FLOWTRACE_MEMORY_LIMIT'),
    // --grpc-port 0 turns the receiver off (no free-port pick: exporters need a known port).
    grpc: grpcPort === 0 ? false : { port: grpcPort, maxMessageBytes: grpcMaxBytes },
    liveBufferBytes: liveBuffer ? guard('--live-buffer-size', () => parseBytes(liveBuffer)) : undefined,
    maxLiveClients,
    allowedHosts: (values['allowed-hosts'] ?? (env.FLOWTRACE_ALLOWED_HOSTS ? [env.FLOWTRACE_ALLOWED_HOSTS] : undefined))
      ?.flatMap((names) => names.split(',')).map((name) => name.trim()).filter(Boolean),
    requestTimeoutMs: requestTimeout ? positive('--request-timeout', guard('--request-timeout', () => parseDuration(requestTimeout))) : undefined,
    maxConnectionsPerClient: positive('--max-connections-per-client', int(pick(values['max-connections-per-client'], 'FLOWTRACE_MAX_CONNECTIONS_PER_CLIENT'), '--max-connections-per-client')),
    logger: values.log ?? env.FLOWTRACE_LOG === '1',
  };
}

/** `flowtrace compact [--db PATH]`: the database file of a stopped collector, rewritten compact. */
async function compact(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let path: string;
  try {
    const { values } = parseArgs({ args: argv, options: { db: { type: 'string' } } });
    path = values.db ?? (env.FLOWTRACE_DB || DEFAULT_DB);
  } catch (error) {
    fail((error as Error).message);
  }
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const result = await compactDatabase(path);
  process.stdout.write(`flowtrace: compacted ${path}: ${mb(result.bytesBefore)} → ${mb(result.bytesAfter)} in ${result.seconds.toFixed(1)} s\n`);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'compact') return compact(process.argv.slice(3), process.env);
  if (process.argv[2] === 'export') {
    return runExport(process.argv.slice(3), process.env, (line) => process.stdout.write(`${line}\n`)).catch((error: unknown) => {
      if (error instanceof ExportUsageError) fail(error.message);
      throw error;
    });
  }
  let options: ServerOptions;
  try {
    options = optionsFrom(process.argv.slice(2), process.env);
  } catch (error) {
    fail((error as Error).message);
  }
  const server = await startServer(options);
  process.stdout.write(`flowtrace listening on ${server.url} (${whereData(server.storage, options.dbPath ?? DEFAULT_DB)})\n`);
  process.stdout.write(`  viewer   ${server.url}/\n  OTLP     ${server.url}/v1/traces, ${server.url}/v1/logs, ${server.url}/v1/metrics\n`);
  if (server.grpcPort !== undefined) process.stdout.write(`  OTLP/gRPC ${new URL(server.url).hostname}:${server.grpcPort}\n`);
  process.stdout.write(`  API      ${server.url}/api/openapi.json\n`);
  for (const notice of server.storage.notices) process.stderr.write(`flowtrace: note: ${notice}\n`);
  const stop = (signal: string) => {
    process.stdout.write(`flowtrace: ${signal}, committing pending batches and closing the database\n`);
    // Acknowledged batches are durable in the WAL already: a stop that hangs (an engine call that
    // does not return) is ended rather than left to the supervisor's SIGKILL, saying where it hung.
    setTimeout(() => {
      process.stderr.write(`flowtrace: still stopping after ${STOP_DEADLINE_MS / 1000} s (${server.stopPhase}); exiting, committed data is in the write-ahead log\n`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    server.close().then(
      () => {
        process.stdout.write('flowtrace: stopped\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`flowtrace: error while stopping: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`flowtrace: ${(error as Error).message}\n`);
  process.exit(1);
});

/** Where the collector keeps its data, for the banner: the DuckDB file, or the ClickHouse store and database (no credentials). */
function whereData(storage: { engine: string; location: string }, dbPath: string): string {
  if (storage.engine !== 'clickhouse') return `database ${dbPath}`;
  const cut = storage.location.lastIndexOf('#');
  return cut < 0 ? `clickhouse ${storage.location}` : `clickhouse ${storage.location.slice(0, cut)}, database ${storage.location.slice(cut + 1)}`;
}
