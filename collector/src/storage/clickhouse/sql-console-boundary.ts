/**
 * The boundary between the ClickHouse Storage (CLICKHOUSE) and its SQL console (CH-EDGE: the
 * dialect check, the read-only user, the limits in the statement's text): what the storage gives
 * the console to build on, and the factory it calls (sql-console-factory.ts makes the default).
 */
import type { SqlConsole } from '../contract.js';
import type { ClickHouseConnection, ClickHouseTarget } from './connection.js';
import type { Tables } from './tables.js';
import type { ViewKind } from './views-sql.js';

export interface SqlConsoleContext {
  /** The storage's connection (its client settings are never touched: limits go in the SQL text). */
  conn: ClickHouseConnection;
  /** Where the data is (a console may open its own connection, e.g. as a read-only user). */
  target: ClickHouseTarget;
  tables: Tables;
  /** The readable views' SELECT texts (spans, executions, logs, metrics), as the export writes them. */
  viewSql: (kind: ViewKind) => string;
  /** The {abandon_after_ns:Int64} parameter the executions view needs. */
  abandonAfterNs: () => string;
  timeoutMs: number;
  maxRows: number;
  maxBytes: number;
}

export type SqlConsoleFactory = (context: SqlConsoleContext) => SqlConsole;
