/**
 * Parquet exports of the views the SQL console shows (spans, executions, logs, metrics): DuckDB
 * COPYs one view over a time range into a file of the export directory, and the caller streams it.
 *
 * Invariants:
 * - The export directory is the one place the database may touch on disk besides its own files
 *   (database.ts allows it before it locks the configuration; the console's statement check
 *   refuses COPY and every file function, so the console cannot reach it). File names are made
 *   here, never taken from a request.
 * - A file is unlinked as soon as it is opened for reading: a finished, aborted or failed
 *   download leaves nothing; a crash mid-COPY leaves a file that the next open removes.
 * - The COPY runs inside DuckDB and rows never cross into JavaScript. (A second DuckDB instance
 *   fed chunk by chunk from this one was measured: node-api frees a chunk's memory only when V8
 *   collects its wrapper, so 600 MB streamed grew the process by 600 MB.) Its connections do not
 *   keep rows in order (database.ts), which bounds what the COPY buffers; files have no row order.
 * - One export per kind at a time (FT_EXPORT_BUSY, 503, otherwise), on a pool of connections of
 *   its own: an export neither waits for nor holds up ingest (the writer's connection) or the API.
 * - close() interrupts exports in flight; they answer FT_SHUTTING_DOWN.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { DuckDBConnection } from '@duckdb/node-api';
import { errors } from '../errors.js';
import type { ConnectionPool } from './connection-pool.js';
import { exportColumnSql, quoteIdentifier, viewColumn } from './export-columns.js';

export const EXPORT_KINDS = ['spans', 'executions', 'logs', 'metrics'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** The column a range selects on, per view (the same time the API's from/to mean). */
const TIME_COLUMN: Record<ExportKind, string> = { spans: 'start_ns', executions: 'start_ns', logs: 'time_ns', metrics: 'time_ns' };
/**
 * A Parquet row group's cap in rows and bytes: DuckDB buffers one per writing thread (its default,
 * 122,880 rows, doubled the peak memory of a 1M-span export; the byte cap holds for payload spans).
 */
const ROW_GROUP = 'ROW_GROUP_SIZE 32768, ROW_GROUP_SIZE_BYTES \'32MB\'';
/** Names of the files this module writes, so that cleaning the directory touches nothing else. */
const FILE_NAME = /^(spans|executions|logs|metrics)-[0-9a-f-]{36}\.parquet$/;
const CLOSE_GRACE_MS = 2_000;

/** Inclusive bounds in nanoseconds since the epoch; either may be absent. */
export interface ExportRange {
  fromNs?: bigint;
  toNs?: bigint;
}

export interface ParquetExport {
  rows: number;
  bytes: number;
  /** The file's bytes; the file is already unlinked and goes when the stream closes. */
  stream: Readable;
}

/**
 * The export directory for a database: beside its file (same disk, not a RAM-backed /tmp), or a
 * private temporary one for ':memory:'. Created owner-only; exports a crash left are removed.
 */
export function prepareExportDirectory(dbPath: string): string {
  if (dbPath === ':memory:') return mkdtempSync(join(tmpdir(), 'flowtrace-exports-'));
  const dir = `${dbPath}.exports`;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(dir)) if (FILE_NAME.test(name)) rmSync(join(dir, name), { force: true });
  return dir;
}

/** Removes the export directory when nothing but this module's files were in it. */
export function removeExportDirectory(dir: string): void {
  try {
    for (const name of readdirSync(dir)) if (FILE_NAME.test(name)) rmSync(join(dir, name), { force: true });
    rmdirSync(dir);
  } catch {
    // Someone else's file in it, or already gone: leave it.
  }
}

interface Running {
  connection?: DuckDBConnection;
  stopped: boolean;
  done: Promise<unknown>;
}

export class ParquetExporter {
  private readonly running = new Map<ExportKind, Running>();
  private closed = false;

  constructor(
    private readonly pool: ConnectionPool,
    /** Where files are written (allowed to DuckDB at open). */
    readonly directory: string,
  ) {}

  /**
   * Writes `kind` within `range` to a Parquet file and opens it for reading. Throws FT_EXPORT_BUSY
   * when an export of this kind runs, FT_SHUTTING_DOWN once closing; `signal` (the client went
   * away) interrupts the COPY.
   */
  export(kind: ExportKind, range: ExportRange, signal?: AbortSignal): Promise<ParquetExport> {
    if (this.closed) return Promise.reject(errors.FT_SHUTTING_DOWN());
    if (this.running.has(kind)) return Promise.reject(errors.FT_EXPORT_BUSY(`${kind} is being exported`));
    const run: Running = { stopped: signal?.aborted === true, done: Promise.resolve() };
    this.running.set(kind, run);
    const stop = () => {
      run.stopped = true;
      run.connection?.interrupt();
    };
    signal?.addEventListener('abort', stop, { once: true });
    const work = this.pool.use(async (connection) => {
      if (run.stopped || this.closed) throw errors.FT_SHUTTING_DOWN();
      run.connection = connection;
      try {
        return await this.write(connection, kind, range);
      } finally {
        run.connection = undefined; // back in the pool: no later stop may interrupt its next user
      }
    });
    run.done = work.catch(() => undefined);
    return work.then(
      (file) => file,
      (error: unknown) => {
        throw this.closed ? errors.FT_SHUTTING_DOWN() : error;
      },
    ).finally(() => {
      signal?.removeEventListener('abort', stop);
      this.running.delete(kind);
    });
  }

  /** Interrupts every export in flight and waits a little for DuckDB to stop them. */
  async close(): Promise<void> {
    this.closed = true;
    const runs = [...this.running.values()];
    for (const run of runs) {
      run.stopped = true;
      run.connection?.interrupt();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(runs.map((r) => r.done)),
      new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS))),
    ]);
    clearTimeout(timer);
  }

  private async write(connection: DuckDBConnection, kind: ExportKind, range: ExportRange): Promise<ParquetExport> {
    const path = join(this.directory, `${kind}-${randomUUID()}.parquet`);
    try {
      const { sql, params } = await this.copySql(connection, kind, range, path);
      const counted = await connection.runAndReadAll(sql, params);
      const rows = Number(counted.getRows()[0]?.[0] ?? 0);
      const handle = await open(path, 'r');
      await rm(path);
      const { size } = await handle.stat();
      return { rows, bytes: size, stream: handle.createReadStream() };
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /** The COPY statement for a view: its columns in portable types, the range as parameters. */
  private async copySql(connection: DuckDBConnection, kind: ExportKind, range: ExportRange, path: string) {
    const view = quoteIdentifier(kind);
    const described = await connection.prepare(`SELECT * FROM ${view}`);
    let columns: string[];
    try {
      columns = Array.from({ length: described.columnCount }, (_, i) => exportColumnSql(viewColumn(described.columnName(i), described.columnType(i))));
    } finally {
      described.destroySync();
    }
    const time = quoteIdentifier(TIME_COLUMN[kind]);
    const where: string[] = [];
    const params: Record<string, bigint> = {};
    if (range.fromNs !== undefined) {
      where.push(`${time} >= $from_ns`);
      params.from_ns = range.fromNs;
    }
    if (range.toNs !== undefined) {
      where.push(`${time} <= $to_ns`);
      params.to_ns = range.toNs;
    }
    const select = `SELECT ${columns.join(', ')} FROM ${view}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    const target = `'${path.replace(/'/g, "''")}'`;
    return { sql: `COPY (${select}) TO ${target} (FORMAT parquet, COMPRESSION zstd, ${ROW_GROUP})`, params };
  }
}
