/**
 * The engine switch's ClickHouse side: the storage options every engine takes (abandon time,
 * retention, SQL limits, the change feed's callback …) plus which ClickHouse to use, mapped onto
 * openClickHouseStorage. storage/index.ts calls it when the options say `engine: 'clickhouse'`.
 */
import type { Storage } from '../contract.js';
import type { DuckDbOptions } from '../duckdb-storage.js';
import { clickHouseSqlConsole } from './sql-console-factory.js';
import { openClickHouseStorage } from './storage.js';

/** Which ClickHouse: `--clickhouse-url`, `--clickhouse-database`, `--clickhouse-cluster`; user and password from the environment. */
export interface ClickHouseSelection {
  /** `http(s)://host:8123`, or `chdb:PATH` for chDB in this process (development and tests). */
  url: string;
  database?: string;
  cluster?: string;
  user?: string;
  password?: string;
  /** A read-only user the SQL console runs as (deploy/clickhouse: the console user). */
  consoleUser?: { user: string; password?: string };
}

/** The engine-neutral part of the storage options (DuckDB's file options are ignored here). */
type SharedOptions = Pick<DuckDbOptions,
  'maxQueueRows' | 'maxGroupRows' | 'abandonAfterMs' | 'sqlTimeoutMs' | 'sqlMaxRows' | 'sqlMaxBytes' | 'sqlMaxMemoryBytes' | 'retention' | 'onCommit'
  | 'onWriteError' | 'onRetentionError'>;

export function openClickHouseFromOptions(options: SharedOptions & { clickhouse?: ClickHouseSelection }): Promise<Storage> {
  const selection = options.clickhouse;
  if (!selection) return Promise.reject(new Error('the ClickHouse storage needs a URL (--clickhouse-url)'));
  return openClickHouseStorage({
    url: selection.url,
    database: selection.database,
    cluster: selection.cluster,
    user: selection.user,
    password: selection.password,
    maxQueueRows: options.maxQueueRows,
    maxGroupRows: options.maxGroupRows,
    abandonAfterMs: options.abandonAfterMs,
    sqlTimeoutMs: options.sqlTimeoutMs,
    sqlMaxRows: options.sqlMaxRows,
    sqlMaxBytes: options.sqlMaxBytes,
    sqlConsole: clickHouseSqlConsole({ consoleUser: selection.consoleUser, maxMemoryBytes: options.sqlMaxMemoryBytes }),
    retention: options.retention,
    onCommit: options.onCommit,
    onWriteError: options.onWriteError,
    onRetentionError: options.onRetentionError,
  });
}
