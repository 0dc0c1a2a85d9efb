/**
 * The DuckDB engine of the storage contract: opens the database file (or ':memory:') and
 * builds the contract's Storage on it — the group-commit writer on the one write connection,
 * the read models (executions, traces, statistics, catalog, lone lines) on the pool of read
 * connections, the SQL console and the Parquet exports on pools of their own, retention and
 * deletion as writer jobs between group commits. No raw connection leaves it.
 *
 * `DuckDbStorage` is the same object with its DuckDB-only parts typed (a job on the writer's
 * connection, the read pool's counters, the retention timers): for tests and tools that look
 * at DuckDB itself, through `duckdbOf`. Code above storage sees only the contract's Storage.
 */
import type { Storage } from './contract.js';
import { DuckDbCatalog } from './catalog/catalog.js';
import { ControlLog } from './control-log.js';
import { openDatabase } from './database.js';
import { deleteTraces } from './deleter.js';
import { DuckDbExecutions } from './executions/executions.js';
import { ParquetExporter, prepareExportDirectory, removeExportDirectory } from './export.js';
import { GrafanaReads } from './grafana-reads.js';
import { loneLogs } from './lone-logs.js';
import { MetricReads } from './metric-reads.js';
import { duckDbMetricQuery } from './metric-reads-sql.js';
import { Retention, usedBytes } from './retention.js';
import { SqlConsole } from './sql-console.js';
import { DuckDbStatistics } from './statistics/statistics.js';
import { DuckDbTraces } from './traces/traces.js';
import type { CommitNotice } from './contract.js';
import { GroupCommitWriter } from './writer/group-commit-writer.js';

export interface DuckDbOptions {
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
  /** Called with the error of a retention pass (or size check) that failed; it is counted in retention.stats too. */
  onRetentionError?: (error: unknown) => void;
}

/** A Storage on DuckDB, with its DuckDB-only parts typed. */
export interface DuckDbStorage extends Storage {
  readonly engine: 'duckdb';
  /** The group-commit writer: also `exclusive(job)`, a job on the write connection between commits. */
  readonly writer: GroupCommitWriter;
  /** Also `stop()` (the timers; runOnce still runs a pass) and `lastRun`. */
  readonly retention: Retention;
  readonly sql: SqlConsole;
  readonly exports: ParquetExporter;
  readonly grafana: GrafanaReads;
  readonly metrics: MetricReads;
  readonly controlLog: ControlLog;
  /** Read connections lent out right now, and reads stopped because their caller went away. */
  readonly reads: { readonly busy: number; readonly stopped: number };
}

/** Every DuckDbStorage opened, so that duckdbOf can tell one from another engine's Storage. */
const opened = new WeakSet<Storage>();

/** The DuckDB storage behind a Storage (tests and tools that look at DuckDB itself); throws for another engine. */
export function duckdbOf(storage: Storage): DuckDbStorage {
  if (!opened.has(storage)) throw new Error(`not a DuckDB storage (engine ${storage.engine})`);
  return storage as DuckDbStorage;
}

/** Opens the database and everything built on it. */
export async function openDuckDbStorage(options: DuckDbOptions): Promise<DuckDbStorage> {
  const abandonAfterMs = options.abandonAfterMs ?? 600_000;
  const exportDir = prepareExportDirectory(options.path);
  const db = await openDatabase({
    path: options.path, memoryLimit: options.memoryLimit, abandonAfterMs, allowedDirectory: exportDir,
    checkpointThreshold: options.checkpointThreshold ?? defaultCheckpointThreshold(options.retention?.maxBytes),
  }).catch((error: unknown) => {
    removeExportDirectory(exportDir);
    throw error;
  });
  const writer = new GroupCommitWriter(db.writer, {
    maxQueueRows: options.maxQueueRows,
    maxGroupRows: options.maxGroupRows,
    onCommit: options.onCommit,
    onError: options.onWriteError,
    recentKeys: options.recentKeys,
    recentExecutions: options.recentExecutions,
  });
  await writer.init();
  const retention = new Retention(writer, { ...options.retention, abandonAfterMs, onError: options.onRetentionError }, () => db.readers.use(usedBytes));
  retention.start();
  const sql = new SqlConsole(db.console, {
    timeoutMs: options.sqlTimeoutMs ?? 10_000,
    maxRows: options.sqlMaxRows ?? 10_000,
    maxBytes: options.sqlMaxBytes,
    maxMemoryBytes: options.sqlMaxMemoryBytes,
  });
  const exports = new ParquetExporter(db.exports, exportDir);
  const readers = db.readers;
  const executions = new DuckDbExecutions(readers, abandonAfterMs);
  const storage: DuckDbStorage = {
    engine: 'duckdb',
    location: options.path,
    notices: db.notices,
    writer,
    executions,
    traces: new DuckDbTraces(readers, executions),
    statistics: new DuckDbStatistics(readers, abandonAfterMs),
    catalog: new DuckDbCatalog(readers),
    loneLogs: (q) => loneLogs(readers, q),
    grafana: new GrafanaReads(readers),
    metrics: new MetricReads(duckDbMetricQuery(readers)),
    sql,
    exports,
    retention,
    controlLog: new ControlLog(writer, readers),
    reads: {
      get busy() {
        return readers.busy;
      },
      get stopped() {
        return readers.stopped;
      },
    },
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
  opened.add(storage);
  return storage;
}

/** 256MB, or a quarter of a size cap (at least 4MB) so the WAL stays small next to the cap. */
function defaultCheckpointThreshold(maxBytes: number | undefined): string {
  const mb = maxBytes === undefined ? 256 : Math.max(4, Math.min(256, Math.floor(maxBytes / 4 / 1_048_576)));
  return `${mb}MB`;
}
