/**
 * storage: the only part of flowtrace that touches DuckDB. It offers a writer (group
 * commit, idempotent), a reader (not-found is undefined), the SQL console, Parquet exports,
 * deletion and retention — never a raw connection.
 */
import { ControlLog } from './control-log.js';
import { openDatabase } from './database.js';
import { deleteTraces } from './deleter.js';
import { ParquetExporter, prepareExportDirectory, removeExportDirectory } from './export.js';
import { Reader } from './reader.js';
import { Retention, usedBytes } from './retention.js';
import { SqlConsole } from './sql-console.js';
import { SpanWriter, type CommitNotice } from './writer.js';
import { GrafanaReads } from './grafana-reads.js';
import { MetricReads } from './metric-reads.js';
import { WhyReads } from './why-reads.js';

export type { ExecutionFilter, ExecutionCursor, ExecutionSort } from './execution-list-sql.js';
export { buildExecutionListQuery, durationNsOf, flowOfExecution } from './execution-list-sql.js';
export type { ExecutionRecord, LogRecord, SpanRecord } from './records.js';
export { severityOf } from './records.js';
export type { NodeStatsRow, StatsRow, TimeRange, TraceJson, TraceRecord } from './reader.js';
export type { IngestBatch, LogRow, SpanRow, HotSpanFields } from './rows.js';
export { METRIC_TYPE, type MetricRow, type MetricType } from './metric-rows.js';
export { LARGE_ATTRIBUTE_CHARS, mergedAttributes } from './rows.js';
export { BODY_TYPE, type OtlpOriginFields } from './rows.js';
export { BYTES_TYPE, DOUBLE_TYPE, type TypeTree, type ValueTypes } from './value-types.js';
export { severityTextOf } from './severity.js';
export { withMovedAttributes } from './moved-attributes.js';
export type { CommitNotice, WriterStats } from './writer.js';
export type { SqlConsoleResult } from './sql-console.js';
export type { ControlLog, ControlLogEntry } from './control-log.js';
export { EXPORT_KINDS, type ExportKind, type ExportRange, type ParquetExport, type ParquetExporter } from './export.js';
export type { RetentionRun, RetentionStats } from './retention.js';
export { currentSchemaVersion, SchemaVersionError } from './schema.js';
export { compactDatabase, CompactError, type CompactResult } from './compact.js';
export type { Reader, SpanWriter, SqlConsole, Retention, GrafanaReads };
export type { MetricReads };
export type { WhyReads };
export type { FlowTimeRecord, LoneLogQuery, NodeTimeRow } from './why-reads.js';
export type {
  ExemplarRecord, MetricListRecord, MetricMeasure, MetricSeriesRecord, MetricShapeRecord, SeriesRecord, SeriesRequest,
} from './metric-reads.js';
export { TEMPORALITY } from './metric-reads.js';
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
  /** The reads of the viewer's Metrics page: metric names per service, one metric's series and exemplars. */
  readonly metrics: MetricReads;
  /** The reads of the "why" views beyond the trace outline: a flow's time per node over a range, lines with no span. */
  readonly why: WhyReads;
  readonly sql: SqlConsole;
  /** Parquet files of the console's views (spans, executions, logs, metrics) over a time range. */
  readonly exports: ParquetExporter;
  readonly retention: Retention;
  /** One row per answered control request (cancel, replay): the audit the SQL console reads. */
  readonly controlLog: ControlLog;
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
  const exportDir = prepareExportDirectory(options.path);
  const db = await openDatabase({
    path: options.path, memoryLimit: options.memoryLimit, abandonAfterMs, allowedDirectory: exportDir,
    checkpointThreshold: options.checkpointThreshold ?? defaultCheckpointThreshold(options.retention?.maxBytes),
  }).catch((error: unknown) => {
    removeExportDirectory(exportDir);
    throw error;
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
  const exports = new ParquetExporter(db.exports, exportDir);
  return {
    path: options.path,
    writer,
    reader: new Reader(db.readers, abandonAfterMs),
    grafana: new GrafanaReads(db.readers),
    metrics: new MetricReads(db.readers),
    why: new WhyReads(db.readers),
    sql,
    exports,
    retention,
    controlLog: new ControlLog(writer, db.readers),
    deleteExecutions: (traceIds) => writer.exclusive((c) => deleteTraces(c, traceIds)),
    async close() {
      await retention.close();
      // Console statements first: interrupted, answered, and given a moment to let go of DuckDB.
      await sql.close();
      await exports.close();
      await writer.close();
      await db.close();
      removeExportDirectory(exportDir);
    },
  };
}

/** 256MB, or a quarter of a size cap (at least 4MB) so the WAL stays small next to the cap. */
function defaultCheckpointThreshold(maxBytes: number | undefined): string {
  const mb = maxBytes === undefined ? 256 : Math.max(4, Math.min(256, Math.floor(maxBytes / 4 / 1_048_576)));
  return `${mb}MB`;
}
