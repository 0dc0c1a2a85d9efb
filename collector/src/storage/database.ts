/**
 * Opens the DuckDB database and hands out the connections storage uses: one for the
 * writer and a pool for API reads (the SQL console gets a pool of its own; a running
 * statement is interrupted by a second one on the same connection, so each role has its
 * own). No connection leaves storage/.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ConnectionPool } from './connection-pool.js';
import { applySchema } from './schema.js';

/**
 * DuckDB's storage format a new database file is written in: v1.2 is the first that compresses
 * strings with zstd, which the large attributes' column asks for (span-model/large-attributes.ts).
 * DuckDB 1.2 and later open such a file. A file keeps the format it was created in; compact.ts
 * rewrites an older one in this format.
 */
export const STORAGE_VERSION = 'v1.2.0';

export interface Database {
  readonly path: string;
  /** What the operator should know about the file, said at start (an older storage format). */
  readonly notices: readonly string[];
  readonly instance: DuckDBInstance;
  readonly writer: DuckDBConnection;
  /** Connections for API reads. */
  readonly readers: ConnectionPool;
  /** Connections for the SQL console (sql-console.ts). */
  readonly console: ConnectionPool;
  /** Connections for Parquet exports (export.ts), so a long export holds no API read connection. */
  readonly exports: ConnectionPool;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** File path, or ':memory:'. */
  path: string;
  /** DuckDB memory_limit, e.g. '2GB'. */
  memoryLimit?: string;
  /** DuckDB worker threads. */
  threads?: number;
  /** Read connections for the API (default 4). */
  readConnections?: number;
  /** Executions silent for longer than this are abandoned (default 10 minutes). */
  abandonAfterMs?: number;
  /** DuckDB checkpoint_threshold: the WAL size that triggers a checkpoint at a commit. */
  checkpointThreshold?: string;
  /**
   * The one directory DuckDB may read and write besides the database's own files: where Parquet
   * exports are written (export.ts). Without it, no file at all.
   */
  allowedDirectory?: string;
}

/** Opens (creating if needed) the database, applies the schema, and locks down settings. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { path } = options;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const config: Record<string, string> = {};
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.threads) config.threads = String(options.threads);
  if (options.checkpointThreshold) config.checkpoint_threshold = options.checkpointThreshold;
  config.storage_compatibility_version = STORAGE_VERSION;
  const instance = await DuckDBInstance.create(path, config);
  const writer = await instance.connect();
  await applySchema(writer);
  const notices = path === ':memory:' ? [] : await formatNotices(writer, path);
  await writer.run(
    `INSERT INTO flowtrace_meta VALUES ('abandon_after_ms', $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    { v: String(options.abandonAfterMs ?? 600_000) },
  );
  // Defence in depth for the SQL console: no file, network or extension access, and no
  // setting can be changed afterwards (DuckDB blocks these once set; order matters).
  // The console streams its answers. DuckDB counts a streamed chunk's buffer without its string
  // data, so the default buffer (976 KiB) let ~30 chunks of long strings pile up ahead of the
  // reader (3.7 GiB for `SELECT repeat('x', 60000) || i FROM range(100000)`); with 1 KiB it
  // computes one chunk ahead (0.24 GiB). A session setting, so it is set before the lock below.
  const consolePool = await ConnectionPool.create(instance, 2, (c) => c.run(`SET streaming_buffer_size = '1KiB'`));
  // An export's COPY that keeps rows in order buffers the batches that finished early: 1M spans
  // grew the process by ~900 MB; unordered (a session setting, so set before the lock), ~200 MB.
  // Exported files promise no row order.
  const exports = await ConnectionPool.create(instance, 2, (c) => c.run(`SET SESSION preserve_insertion_order = false`));
  await writer.run(`SET autoinstall_known_extensions = false`);
  await writer.run(`SET autoload_known_extensions = false`);
  if (options.allowedDirectory) {
    // The trailing slash keeps a sibling such as "<dir>-x" out; DuckDB resolves ".." first.
    const dir = `${options.allowedDirectory.replace(/\/+$/, '')}/`.replace(/'/g, "''");
    await writer.run(`SET allowed_directories = ['${dir}']`);
  }
  await writer.run(`SET enable_external_access = false`);
  await writer.run(`SET lock_configuration = true`);
  const readers = await ConnectionPool.create(instance, options.readConnections ?? 4);
  let closed = false;
  return {
    path,
    notices,
    instance,
    writer,
    readers,
    console: consolePool,
    exports,
    async close() {
      if (closed) return;
      closed = true;
      // Reads first (interrupted, waited for): a checkpoint or a close under a running statement
      // waits for it, blocking the process. A statement that will not stop keeps the database
      // open: what was committed is in the WAL, which the next open replays.
      const drained = (await Promise.all([readers.close(), consolePool.close(), exports.close()])).every(Boolean);
      if (!drained) return;
      if (path !== ':memory:') {
        try {
          await writer.run('CHECKPOINT');
        } catch {
          // A failed checkpoint leaves the WAL, which DuckDB replays on the next open.
        }
      }
      writer.closeSync();
      instance.closeSync();
    },
  };
}

/** `[major, minor]` of a storage version such as 'v1.2.0' or 'v1.0.0+'. */
function majorMinor(version: string): [number, number] {
  const [major, minor] = version.replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10));
  return [major || 0, minor || 0];
}

/** A notice when the file is in a storage format older than STORAGE_VERSION (an older flowtrace wrote it). */
async function formatNotices(c: DuckDBConnection, path: string): Promise<string[]> {
  const [[tags]] = (await c.runAndReadAll('SELECT tags FROM duckdb_databases() WHERE database_name = current_database()')).getRowsJS();
  const version = (tags as Array<{ key: string; value: string }>).find((t) => t.key === 'storage_version')?.value;
  if (version === undefined) return [];
  const [have, want] = [majorMinor(version), majorMinor(STORAGE_VERSION)];
  if (have[0] > want[0] || (have[0] === want[0] && have[1] >= want[1])) return [];
  return [
    `${path} is in DuckDB's storage format ${version}, written by an older flowtrace: payloads are stored uncompressed in it. `
    + `Stop the collector and run \`flowtrace compact --db ${path}\` once to rewrite it in format ${STORAGE_VERSION} (payloads compressed with zstd).`,
  ];
}
