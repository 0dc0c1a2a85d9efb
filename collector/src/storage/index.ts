/**
 * storage: the only part of flowtrace that touches DuckDB. It offers a writer (group
 * commit, idempotent), a reader (not-found is undefined), the SQL console, deletion and
 * retention — never a raw connection.
 */
import { openDatabase } from './database.js';
import { deleteExecutions } from './deleter.js';
import { Reader } from './reader.js';
import { Retention } from './retention.js';
import { SqlConsole } from './sql-console.js';
import { SpanWriter, type CommitNotice } from './writer.js';
import { ConnectionPool } from './connection-pool.js';

export type { ExecutionFilter, ExecutionCursor } from './execution-list-sql.js';
export { buildExecutionListQuery } from './execution-list-sql.js';
export type { ExecutionRecord, LogRecord, SpanRecord } from './records.js';
export type { NodeStatsRow, StatsRow, TimeRange, TraceJson, TraceRecord } from './reader.js';
export type { IngestBatch, LogRow, SpanRow, HotSpanFields } from './rows.js';
export { LARGE_ATTRIBUTE_CHARS, mergedAttributes } from './rows.js';
export { withMovedAttributes } from './moved-attributes.js';
export type { CommitNotice, WriterStats } from './writer.js';
export type { SqlConsoleResult } from './sql-console.js';
export type { RetentionRun } from './retention.js';
export { currentSchemaVersion, SchemaVersionError } from './schema.js';
export { compactDatabase, CompactError, type CompactResult } from './compact.js';
export type { Reader, SpanWriter, SqlConsole, Retention };

export interface StorageOptions {
  /** Database file, or ':memory:'. */
  path: string;
  memoryLimit?: string;
  /**
   * DuckDB checkpoint_threshold, the WAL size at which a commit checkpoints. Default 256MB, or a
   * quarter of the retention size cap (at least 4MB) when there is one. DuckDB's own default
   * (16MB) made commits checkpoint every few thousand payload spans, each time rewriting the
   * table's last, unfinished row group: ingest through the writer ran 55–75 % faster with 256MB
   * or 1GB than with 16MB (BENCHMARKS.md).
   */
  checkpointThreshold?: string;
  maxQueueRows?: number;
  maxGroupRows?: number;
  /** Span keys the writer remembers to skip duplicate lookups of new spans. */
  recentKeys?: number;
  /** Execution rows the writer remembers to skip their lookup. */
  recentExecutions?: number;
  abandonAfterMs?: number;
  sqlTimeoutMs?: number;
  sqlMaxRows?: number;
  retention?: { maxAgeMs?: number; maxBytes?: number; intervalMs?: number };
  onCommit?: (notice: CommitNotice) => void;
  onWriteError?: (error: unknown) => void;
}

export interface Storage {
  readonly path: string;
  readonly writer: SpanWriter;
  readonly reader: Reader;
  readonly sql: SqlConsole;
  readonly retention: Retention;
  /** Deletes executions by trace id (between group commits); returns how many existed. */
  deleteExecutions(traceIds: string[]): Promise<number>;
  /** Commits what is queued, then closes the database (checkpointing a file). */
  close(): Promise<void>;
}

/** Opens the database and everything built on it. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  const abandonAfterMs = options.abandonAfterMs ?? 600_000;
  const db = await openDatabase({
    path: options.path, memoryLimit: options.memoryLimit, abandonAfterMs,
    checkpointThreshold: options.checkpointThreshold ?? defaultCheckpointThreshold(options.retention?.maxBytes),
  });
  const writer = new SpanWriter(db.writer, {
    maxQueueRows: options.maxQueueRows,
    maxGroupRows: options.maxGroupRows,
    onCommit: options.onCommit,
    onError: options.onWriteError,
    recentKeys: options.recentKeys,
    recentExecutions: options.recentExecutions,
  });
  await writer.init();
  const consolePool = await ConnectionPool.create(db.instance, 2);
  const retention = new Retention(writer, { ...options.retention, abandonAfterMs });
  retention.start();
  return {
    path: options.path,
    writer,
    reader: new Reader(db.readers, abandonAfterMs),
    sql: new SqlConsole(consolePool, {
      timeoutMs: options.sqlTimeoutMs ?? 10_000,
      maxRows: options.sqlMaxRows ?? 10_000,
    }),
    retention,
    deleteExecutions: (traceIds) => writer.exclusive((c) => deleteExecutions(c, traceIds)),
    async close() {
      retention.stop();
      await writer.close();
      consolePool.closeAll();
      await db.close();
    },
  };
}

/** 256MB, or a quarter of a size cap (at least 4MB) so the WAL stays small next to the cap. */
function defaultCheckpointThreshold(maxBytes: number | undefined): string {
  const mb = maxBytes === undefined ? 256 : Math.max(4, Math.min(256, Math.floor(maxBytes / 4 / 1_048_576)));
  return `${mb}MB`;
}
