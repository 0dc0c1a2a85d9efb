/**
 * Runs user SQL from the console: one read statement at a time, on connections of its own.
 *
 * Invariants:
 * - What may run is decided from the statement DuckDB parsed (sql-statement-check.ts), before
 *   DuckDB binds, plans or runs it: one SELECT (or EXPLAIN [ANALYZE] of one) naming only
 *   allowed functions and this database's own tables. The database also refuses file, network
 *   and extension access and settings changes (database.ts); DuckDB calls untrusted SQL
 *   unsafe, so both layers stay.
 * - The limits hold from the first byte: the time limit covers waiting for a connection,
 *   parsing, planning (where DuckDB folds constants) and running; the answer comes at the limit
 *   even if DuckDB has not yet stopped, and the connection goes back to the pool only once it
 *   has. While a statement runs, the process's memory is watched and the statement interrupted
 *   past maxMemoryBytes of growth. The answer is cut at maxRows rows and maxBytes bytes.
 * - close() interrupts every running statement and answers it FT_SHUTTING_DOWN.
 */
import { JsonDuckDBValueConverter, type DuckDBConnection, type DuckDBResult } from '@duckdb/node-api';
import { errors, FlowtraceError } from '../errors.js';
import type { ConnectionPool } from './connection-pool.js';
import { checkParsedStatement, type CatalogNames } from './sql-statement-check.js';
import { syntaxErrorMessage } from './sql-syntax-error.js';

export interface SqlConsoleOptions {
  timeoutMs: number;
  maxRows: number;
  /** Cap on the answer's rows as JSON, in bytes (default 64 MiB). */
  maxBytes?: number;
  /** Growth of the process's resident memory past which a statement is interrupted (default 512 MiB). */
  maxMemoryBytes?: number;
}

export interface SqlConsoleResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  truncated: boolean;
  elapsedMs: number;
}

export const DEFAULT_SQL_MAX_BYTES = 64 * 2 ** 20;
const DEFAULT_MAX_MEMORY_BYTES = 512 * 2 ** 20;
/** How often the memory watch looks; DuckDB sees an interrupt between chunks of 2,048 rows. */
const MEMORY_WATCH_MS = 20;
/** How long close() waits for interrupted statements before the database closes anyway. */
const CLOSE_GRACE_MS = 2_000;

/** Words a read statement can start with, to tell a typo in a SELECT from another statement. */
const LEADING_COMMENTS = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/;
/** EXPLAIN and EXPLAIN ANALYZE, with comments around; an option list is not taken. */
const EXPLAIN_PREFIX = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*explain(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)+(analy[sz]e(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)+)?/i;

/** One statement on its way: what stopped it, if anything, and the connection it runs on. */
interface Run {
  stopped?: FlowtraceError;
  connection?: DuckDBConnection;
  stop(error: FlowtraceError): void;
}

export class SqlConsole {
  /** The SQL dialect statements are written in (the contract's SqlConsole.dialect). */
  readonly dialect = 'duckdb' as const;
  private readonly running = new Set<Run>();
  private readonly working = new Set<Promise<unknown>>();
  private catalog?: Promise<CatalogNames>;
  private closed = false;

  constructor(
    private readonly pool: ConnectionPool,
    private readonly options: SqlConsoleOptions,
  ) {}

  /** Runs one read statement; throws FT_SQL_REFUSED / FT_SQL_ERROR / FT_SQL_TIMEOUT / FT_SQL_MEMORY. */
  run(sql: string): Promise<SqlConsoleResult> {
    if (this.closed) return Promise.reject(errors.FT_SHUTTING_DOWN());
    const text = sql.trim();
    if (text === '') return Promise.reject(errors.FT_SQL_REFUSED('the statement is empty'));
    const started = performance.now();
    return new Promise<SqlConsoleResult>((resolve, reject) => {
      const maxMemory = this.options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
      const baseline = process.memoryUsage.rss();
      const run: Run = {
        stop: (error) => {
          if (run.stopped) return;
          run.stopped = error;
          run.connection?.interrupt();
          reject(error);
        },
      };
      const timer = setTimeout(() => run.stop(errors.FT_SQL_TIMEOUT(`limit ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      const watch = setInterval(() => {
        const grown = process.memoryUsage.rss() - baseline;
        if (grown > maxMemory) run.stop(errors.FT_SQL_MEMORY(`the process grew by ${mib(grown)} (limit ${mib(maxMemory)})`));
      }, MEMORY_WATCH_MS);
      this.running.add(run);
      const work = this.pool.use(async (connection) => {
        run.connection = connection;
        if (run.stopped) return undefined;
        return this.runOn(connection, text, run, started);
      });
      this.working.add(work);
      work.then(
        (result) => (run.stopped || !result ? undefined : resolve(result)),
        (error: unknown) => (run.stopped ? undefined : reject(error)),
      ).finally(() => {
        clearTimeout(timer);
        clearInterval(watch);
        this.running.delete(run);
        this.working.delete(work);
      });
    });
  }

  /** Interrupts every running statement (answered FT_SHUTTING_DOWN) and waits a little for DuckDB to stop. */
  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.running) run.stop(errors.FT_SHUTTING_DOWN());
    if (this.working.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.working]),
      new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS))),
    ]);
    clearTimeout(timer);
  }

  private async runOn(connection: DuckDBConnection, text: string, run: Run, started: number): Promise<SqlConsoleResult | undefined> {
    const explain = EXPLAIN_PREFIX.exec(text);
    const inner = explain ? text.slice(explain[0].length) : text;
    await this.check(connection, inner, explain !== null);
    if (run.stopped) return undefined; // an interrupt sent between statements would be lost
    let prepared;
    try {
      prepared = await connection.prepare(text);
    } catch (error) {
      throw errors.FT_SQL_ERROR(messageOf(error));
    }
    try {
      if (run.stopped) return undefined;
      const result = await prepared.stream();
      const { rows, truncated } = await this.readCapped(result, run);
      const columns = result.columnNames().map((name, i) => ({ name, type: result.columnType(i).toString() }));
      return { columns, rows, truncated, elapsedMs: performance.now() - started };
    } catch (error) {
      if (run.stopped) return undefined;
      throw errors.FT_SQL_ERROR(messageOf(error));
    } finally {
      prepared.destroySync();
    }
  }

  /** Parses `sql` with DuckDB's own parser (nothing is bound or run) and checks what it parsed. */
  private async check(connection: DuckDBConnection, sql: string, explained: boolean): Promise<void> {
    let parsed: { error?: boolean; error_type?: string; error_message?: string; statements?: unknown[] };
    try {
      const reader = await connection.runAndReadAll('SELECT json_serialize_sql($sql::VARCHAR)', { sql });
      parsed = JSON.parse(String(reader.getRows()[0][0]));
    } catch (error) {
      throw errors.FT_SQL_ERROR(messageOf(error));
    }
    if (parsed.error) {
      const keyword = leadingKeyword(sql);
      // Text that does not parse is a syntax error, whatever its first word (a typo'd SELECT
      // included): nothing of it can run, and the user needs the place, not a refusal.
      if (parsed.error_type === 'parser') {
        const message = await syntaxErrorMessage(connection, sql, parsed.error_message ?? 'syntax error');
        if (message !== undefined) throw errors.FT_SQL_ERROR(message);
      }
      const what = explained ? 'EXPLAIN runs only over one SELECT' : `only read statements (SELECT, WITH … SELECT, EXPLAIN SELECT …) are allowed, not ${keyword.toUpperCase() || 'this'}`;
      throw errors.FT_SQL_REFUSED(what);
    }
    checkParsedStatement(parsed, await this.catalogNames(connection));
  }

  /** The database's own tables, views and macros, read once (the schema does not change while running). */
  private catalogNames(connection: DuckDBConnection): Promise<CatalogNames> {
    this.catalog ??= (async () => {
      const list = async (sql: string) => (await connection.runAndReadAll(sql)).getRows().map((row) => String(row[0]).toLowerCase());
      const [database] = await list('SELECT current_database()');
      const tables = await list(
        `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
         UNION SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary`,
      );
      const macros = await list(`SELECT DISTINCT function_name FROM duckdb_functions() WHERE database_name = current_database() AND function_type = 'macro'`);
      return { database, tables: new Set(tables), macros: new Set(macros) };
    })();
    this.catalog.catch(() => (this.catalog = undefined));
    return this.catalog;
  }

  /** Reads rows one at a time until the row cap or the byte cap, so a chunk of huge values is not converted whole. */
  private async readCapped(result: DuckDBResult, run: Run): Promise<{ rows: unknown[][]; truncated: boolean }> {
    const maxBytes = this.options.maxBytes ?? DEFAULT_SQL_MAX_BYTES;
    const rows: unknown[][] = [];
    let bytes = 0;
    for (;;) {
      if (run.stopped) return { rows, truncated: true };
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return { rows, truncated: false };
      for (let i = 0; i < chunk.rowCount; i++) {
        if (rows.length >= this.options.maxRows) return { rows, truncated: true };
        const row = chunk.convertRowValues(i, JsonDuckDBValueConverter);
        bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
        if (bytes > maxBytes) return { rows, truncated: true };
        rows.push(row);
      }
    }
  }
}

/** The first word of a statement, after comments. */
function leadingKeyword(sql: string): string {
  const stripped = sql.replace(LEADING_COMMENTS, '');
  if (stripped.startsWith('(')) return '(';
  return (/^[a-z_]+/i.exec(stripped)?.[0] ?? '').toLowerCase();
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
