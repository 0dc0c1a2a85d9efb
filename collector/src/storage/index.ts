/**
 * storage: the only part of flowtrace that touches a database, and this is its front module —
 * nothing outside collector/src/storage imports any other file of it (a dependency-cruiser
 * rule). `openStorage` returns the contract's `Storage` (contract.ts): a writer (group commit,
 * idempotent), the read models (executions, traces, statistics, catalog; not-found is
 * undefined), the SQL console, Parquet exports, deletion and retention — never a raw connection.
 *
 * Where each concept lives (DuckDB, the default engine):
 *   contract.ts                  the interface every engine keeps
 *   duckdb-storage.ts            opens DuckDB and builds the Storage on it
 *   batch-queue.ts               the writer every engine uses: group commit, bounded, failed groups retried in halves
 *   writer/                      DuckDB's commit: group-commit-writer.ts (the queue on one connection) and
 *                                commit.ts (one commit, as named steps)
 *   span-model/                  the one span model: logical span (span.ts), rows (rows.ts), encode.ts,
 *                                decode.ts, the attribute SQL generated from the same rules (attribute-sql.ts)
 *   executions/                  the execution list and search, and the SQL of an execution row
 *   traces/                      a whole trace, its outline, one span, matching spans, its lines
 *   statistics/                  flow and node statistics, a flow's time per node
 *   catalog/                     services and attribute keys
 *   lone-logs.ts                 lines outside any span
 *   retention.ts, deleter.ts     what is deleted, by age, size or request
 *   clickhouse/                  the ClickHouse engine (many collectors): clickhouse/storage.ts opens it
 */
import { openDuckDbStorage, type DuckDbOptions } from './duckdb-storage.js';
import type { Storage, StorageEngine } from './contract.js';
import { openClickHouseFromOptions, type ClickHouseSelection } from './clickhouse/open.js';

export type {
  AttributeKeyRecord, BatchWriter, CatalogReads, ChangedExecution, CommitNotice, ControlLogStore, ExecutionPage, ExecutionReads,
  ExportStore, FlowTimeRecord, GrafanaStore, LoneLogQuery, MetricStore, NodeStatsRow, NodeTimeRow, RetentionControl, RetentionRun,
  RetentionStats, ServiceRecord, SpanJson, SqlConsole, SqlResult, StatisticsReads, StatsRow, Storage, StorageEngine, TimeRange,
  TraceJson, TraceOutlineJson, TraceReads, TraceRecord, WriterStats,
} from './contract.js';
export type { ExecutionFilter, ExecutionCursor, ExecutionSort } from './executions/execution-list-sql.js';
export { durationNsOf, flowOfExecution } from './executions/execution-sql.js';
export type { SpanMatch } from './traces/span-match-sql.js';
export { OUTLINE_CODES, OUTLINE_FIELDS } from './traces/trace-outline-sql.js';
export type { ExecutionRecord } from './records.js';
export { severityOf, type LogRecord, type SpanRecord } from './span-model/decode.js';
export { isoOfNs, spanStatusOf } from './span-model/span-status.js';
export type { AttributeList, BodyType, FlowFields, IngestBatch, IngestLog, IngestSpan } from './span-model/span.js';
export { METRIC_TYPE, type MetricRow, type MetricType } from './metric-rows.js';
export { BODY_TYPE, type OtlpOriginFields } from './span-model/span.js';
export { severityTextOf } from './severity.js';
export type { SqlConsoleResult } from './sql-console.js';
export type { ControlLogEntry } from './control-log.js';
export type { ClickHouseSelection } from './clickhouse/open.js';
export { EXPORT_KINDS, type ExportKind, type ExportRange, type ParquetExport } from './export.js';
export { currentSchemaVersion, SchemaVersionError } from './schema.js';
export { compactDatabase, CompactError, type CompactResult } from './compact.js';
export type {
  ExemplarRecord, MetricListRecord, MetricMeasure, MetricSeriesRecord, MetricShapeRecord, SeriesRecord, SeriesRequest,
} from './metric-reads.js';
export { TEMPORALITY } from './metric-reads.js';
export type {
  AttributeScope, CompareOp, Dependency, SearchHit, SearchSpan, SpanCondition, SpanField, SpanIntrinsic, SpanSearch, SpanValue, TypedValue,
} from './grafana-reads.js';

/**
 * What openStorage needs: the engine's options (DuckDB's, the default engine); with
 * `engine: 'clickhouse'`, `clickhouse` says which ClickHouse and the file options are ignored.
 */
export type StorageOptions = DuckDbOptions & { engine?: StorageEngine; clickhouse?: ClickHouseSelection };

/** Opens the storage: the database and everything built on it, as the contract's Storage. */
export function openStorage(options: StorageOptions): Promise<Storage> {
  if (options.engine === 'clickhouse') return openClickHouseFromOptions(options);
  return openDuckDbStorage(options);
}
