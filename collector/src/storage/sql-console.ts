/**
 * Runs user SQL from the console: one read statement at a time (SELECT, or EXPLAIN of one),
 * on connections of its own, interrupted at a time limit, and cut at a row cap. The
 * database refuses file, network and extension access and settings changes as well
 * (see database.ts); DuckDB itself calls untrusted SQL unsafe, so both layers stay.
 */
import type { DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
import { errors } from '../errors.js';
import type { ConnectionPool } from './connection-pool.js';

export interface SqlConsoleOptions {
  timeoutMs: number;
  maxRows: number;
}

export interface SqlConsoleResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  truncated: boolean;
  elapsedMs: number;
}

// DuckDB StatementType values that only read.
const SELECT_STATEMENT = 1;
const EXPLAIN_STATEMENT = 4;

/** Table functions that reach outside the database, refused by name before DuckDB sees them. */
const REFUSED_FUNCTIONS =
  /\b(read_\w+|glob|parquet_\w+|sniff_csv|getenv|duckdb_secrets|query_table|query|iceberg_\w+|delta_scan|sqlite_\w+|postgres_\w+|mysql_\w+)\s*\(/i;

/** Words a read statement can start with; anything else is refused before DuckDB parses it. */
const READ_KEYWORDS = new Set(['select', 'with', 'from', 'values', 'table', 'explain', 'describe', 'show', 'summarize', 'pivot', 'unpivot', '(']);

/** The first word of a statement, after comments. */
function leadingKeyword(sql: string): string {
  const stripped = sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  if (stripped.startsWith('(')) return '(';
  return (/^[a-z_]+/i.exec(stripped)?.[0] ?? '').toLowerCase();
}

export class SqlConsole {
  constructor(
    private readonly pool: ConnectionPool,
    private readonly options: SqlConsoleOptions,
  ) {}

  /** Runs one read statement; throws FT_SQL_REFUSED / FT_SQL_ERROR / FT_SQL_TIMEOUT. */
  async run(sql: string): Promise<SqlConsoleResult> {
    const text = sql.trim();
    if (text === '') throw errors.FT_SQL_REFUSED('the statement is empty');
    const keyword = leadingKeyword(text);
    if (!READ_KEYWORDS.has(keyword)) {
      throw errors.FT_SQL_REFUSED(`only read statements (SELECT, WITH … SELECT, EXPLAIN) are allowed, not ${keyword.toUpperCase() || 'this'}`);
    }
    const refused = REFUSED_FUNCTIONS.exec(text);
    if (refused) throw errors.FT_SQL_REFUSED(`${refused[1]}() reads outside the database and is not allowed`);
    return this.pool.use((connection) => this.runOn(connection, text));
  }

  private async requireReadInside(connection: DuckDBConnection, sql: string): Promise<void> {
    const inner = explainedStatement(sql);
    if (!READ_KEYWORDS.has(leadingKeyword(inner)) || leadingKeyword(inner) === 'explain') {
      throw errors.FT_SQL_REFUSED('EXPLAIN runs only over a read statement');
    }
    const extracted = await connection.extractStatements(inner);
    const innerPrepared = await extracted.prepare(0);
    const innerType = innerPrepared.statementType;
    innerPrepared.destroySync();
    if (innerType !== SELECT_STATEMENT) throw errors.FT_SQL_REFUSED('EXPLAIN runs only over a read statement');
  }

  private async runOn(connection: DuckDBConnection, sql: string): Promise<SqlConsoleResult> {
    const started = performance.now();
    let statements;
    try {
      statements = await connection.extractStatements(sql);
    } catch (error) {
      throw errors.FT_SQL_ERROR(messageOf(error));
    }
    if (statements.count !== 1) {
      throw errors.FT_SQL_REFUSED(`send one statement at a time (got ${statements.count})`);
    }
    let prepared;
    try {
      prepared = await statements.prepare(0);
    } catch (error) {
      throw errors.FT_SQL_ERROR(messageOf(error));
    }
    const type = prepared.statementType;
    if (type !== SELECT_STATEMENT && type !== EXPLAIN_STATEMENT) {
      prepared.destroySync();
      throw errors.FT_SQL_REFUSED('only read statements (SELECT, WITH … SELECT, EXPLAIN) are allowed');
    }
    if (type === EXPLAIN_STATEMENT) {
      // EXPLAIN ANALYZE runs the statement it explains: the inner one must be a read too.
      try {
        await this.requireReadInside(connection, sql);
      } catch (error) {
        prepared.destroySync();
        throw error;
      }
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, this.options.timeoutMs);
    try {
      const result = await prepared.stream();
      const { rows, truncated } = await readCapped(result, this.options.maxRows);
      const columns = result.columnNames().map((name, i) => ({ name, type: result.columnType(i).toString() }));
      return { columns, rows, truncated, elapsedMs: performance.now() - started };
    } catch (error) {
      if (timedOut) throw errors.FT_SQL_TIMEOUT(`limit ${this.options.timeoutMs} ms`);
      throw errors.FT_SQL_ERROR(messageOf(error));
    } finally {
      clearTimeout(timer);
      prepared.destroySync();
    }
  }
}

/** The statement an EXPLAIN explains (after EXPLAIN, ANALYZE and an option list). */
function explainedStatement(sql: string): string {
  return sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*explain\s*(\([^)]*\)\s*)?(analy[sz]e\b)?/i, '');
}

async function readCapped(result: DuckDBResult, maxRows: number): Promise<{ rows: unknown[][]; truncated: boolean }> {
  const rows: unknown[][] = [];
  for await (const chunk of result.yieldRowsJson()) {
    for (const row of chunk) {
      if (rows.length >= maxRows) return { rows, truncated: true };
      rows.push(row as unknown[]);
    }
  }
  return { rows, truncated: false };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
