/**
 * storage: the only part of flowtrace that touches DuckDB. It offers a writer (group
 * commit, idempotent), a reader (not-found is undefined), the SQL console, deletion and
 * retention — never a raw connection.
 */
import { openDatabase } from './database.js';
import { deleteTraces } from './deleter.js';
import { Reader } from './reader.js';
import { Retention, usedBytes } from './retention.js';
import { SqlConsole } from './sql-console.js';
import { SpanWriter, type CommitNotice } from './writer.js';
import { GrafanaReads } from './grafana-reads.js';

export type { ExecutionFilter, ExecutionCursor } from './execution-list-sql.js';
export { buildExecutionListQuery, flowOfExecution } from './execution-list-sql.js';
export type { ExecutionRecord, LogRecord, SpanRecord } from './records.js';
export type { NodeStatsRow, StatsRow, TimeRange, TraceJson, TraceRecord } from './reader.js';
export type { IngestBatch, LogRow, SpanRow, HotSpanFields } from './rows.js';
export { METRIC_TYPE, type MetricRow, type MetricType } from './metric-rows.js';
export { LARGE_ATTRIBUTE_CHARS, mergedAttributes } from './rows.js';
export { withMovedAttributes } from './moved-attributes.js';
export type { CommitNotice, WriterStats } from './writer.js';
export type { SqlConsoleResult } from './sql-console.js';
export type { RetentionRun, RetentionStats } from './retention.js';
export { currentSchemaVersion, SchemaVersionError } from './schema.js';
export { compactDatabase, CompactError, type CompactResult } from './compact.js';
export type { Reader, SpanWriter, SqlConsole, Retention, GrafanaReads };
export type {
  AttributeScope, CompareOp, Dependency, SearchHit, SearchSpan, SpanCondition, SpanField, SpanIntrinsic, SpanSearch, SpanValue, TypedValue,
} from './grafana-reads.js';

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
  /** SQL console answer cap in bytes (default 64 MiB). */
  sqlMaxBytes?: number;
  /** Growth of the process's memory past which a console statement is interrupted. */
  sqlMaxMemoryBytes?: number;
  retention?: { maxAgeMs?: number; maxBytes?: number; intervalMs?: number };
  onCommit?: (notice: CommitNotice) => void;
  onWriteError?: (error: unknown) => void;
  /** Called with the error of a retention pass that failed (it is counted in retention.stats too). */
  onRetentionError?: (error: unknown) => void;
}

export interface Storage {
  readonly path: string;
  readonly writer: SpanWriter;
  readonly reader: Reader;
  /** The reads of Grafana's Jaeger and Tempo data sources (search, dependencies, suggestions). */
  readonly grafana: GrafanaReads;
  readonly sql: SqlConsole;
  readonly retention: Retention;
  /**
   * Deletes everything stored under these trace ids, in every table (between group commits);
   * returns how many had an execution or console lines.
   */
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
  const consolePool = db.console;
  const retention = new Retention(writer, { ...options.retention, abandonAfterMs, onError: options.onRetentionError }, () => db.readers.use(usedBytes));
  retention.start();
  const sql = new SqlConsole(consolePool, {
    timeoutMs: options.sqlTimeoutMs ?? 10_000,
    maxRows: options.sqlMaxRows ?? 10_000,
    maxBytes: options.sqlMaxBytes,
    maxMemoryBytes: options.sqlMaxMemoryBytes,
  });
  return {
    path: options.path,
    writer,
    reader: new Reader(db.readers, abandonAfterMs),
    grafana: new GrafanaReads(db.readers),
    sql,
    retention,
    deleteExecutions: (traceIds) => writer.exclusive((c) => deleteTraces(c, traceIds)),
    async close() {
      retention.stop();
      // Console statements first: interrupted, answered, and given a moment to let go of DuckDB.
      await sql.close();
      await writer.close();
      await db.close();
    },
  };
}

/** 256MB, or a quarter of a size cap (at least 4MB) so the WAL stays small next to the cap. */
function defaultCheckpointThreshold(maxBytes: number | undefined): string {
  const mb = maxBytes === undefined ? 256 : Math.max(4, Math.min(256, Math.floor(maxBytes / 4 / 1_048_576)));
  return `${mb}MB`;
}
