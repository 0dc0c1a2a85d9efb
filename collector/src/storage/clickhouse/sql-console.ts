/**
 * The SQL console on ClickHouse: one read-only statement in ClickHouse's dialect, with the same
 * promises as the DuckDB console (storage/sql-console.ts).
 *
 * A statement goes through, on a client of its own (chDB: its own connection, so a slow
 * statement does not queue ingest behind it; a server: the console's read-only user):
 * 1. `formatQuery(text)` with the text as a query parameter: ClickHouse parses it (one
 *    statement, else refused) and gives it back canonical — what runs from here on is that text.
 * 2. The check of what ClickHouse parsed (`EXPLAIN AST`, sql-console-check.ts) against the
 *    allowlists and this database's catalog; EXPLAIN and DESCRIBE are taken apart first
 *    (sql-console-text.ts) and their SELECT checked the same way.
 * 3. The run, with the limits in the statement's own SETTINGS (readonly = 1, the time left of
 *    the limit, the memory cap; LIMIT cap + 1 for the rows), the console's views (spans,
 *    executions, logs, metrics) defined in front of it as CTEs.
 * Invariants: the time limit counts from the call, and the answer comes at the limit even if the
 * engine has not stopped yet (the engine's own max_execution_time stops it); the rows are cut at
 * maxRows and maxBytes of JSON; a client is closed only after its statements have ended (closing
 * a chDB connection under a running statement would abort the engine); close() answers running
 * statements FT_SHUTTING_DOWN.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ClickHouseClient } from '@clickhouse/client';
import { errors, type FlowtraceError } from '../../errors.js';
import type { SqlConsole, SqlResult } from '../contract.js';
import { ALLOWED_SYSTEM_TABLES } from './sql-console-allowed.js';
import { checkSelect, parseAst, type ConsoleCatalog } from './sql-console-check.js';
import { CODES, codeOf, consoleError, messageOf } from './sql-console-errors.js';
import {
  cteNames, describeToRun, explainToRun, EXPLAIN_KINDS, leadingKeyword, selectToRun, splitDescribe, splitExplain, tokens,
  unparsedWriteKeyword, type ConsoleLimits, type ViewDefinitions,
} from './sql-console-text.js';

export interface ClickHouseSqlConsoleOptions {
  /** A new client for one statement (sql-console-factory.ts). */
  connect: () => Promise<ClickHouseClient>;
  timeoutMs: number;
  maxRows: number;
  /** Cap on the answer's rows as JSON, in bytes (default 64 MiB). */
  maxBytes?: number;
  /** ClickHouse's max_memory_usage for one statement (default 512 MiB). */
  maxMemoryBytes?: number;
  /** Views offered by name, as SELECT texts (storage/clickhouse/views-sql.ts). */
  views?: Readonly<Record<string, string>>;
  /** The query parameters the views take. */
  viewParams?: () => Record<string, string>;
}

const DEFAULT_MAX_BYTES = 64 * 2 ** 20;
const DEFAULT_MAX_MEMORY = 512 * 2 ** 20;
/** How long close() waits for running statements before it returns anyway. */
const CLOSE_GRACE_MS = 2_000;
const OUTPUT_OPTIONS = 'FORMAT and INTO OUTFILE are not allowed (the console chooses the format and where the answer goes)';
const refuse = (why: string) => errors.FT_SQL_REFUSED(why);

interface Run {
  stopped?: FlowtraceError;
  stop(error: FlowtraceError): void;
}

type Plan = (limits: ConsoleLimits) => { sql: string; usesViews: boolean };

export class ClickHouseSqlConsole implements SqlConsole {
  readonly dialect = 'clickhouse' as const;
  private readonly running = new Set<Run>();
  private readonly working = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly options: ClickHouseSqlConsoleOptions) {}

  run(sql: string): Promise<SqlResult> {
    if (this.closed) return Promise.reject(errors.FT_SHUTTING_DOWN());
    const text = sql.trim();
    if (text === '') return Promise.reject(refuse('the statement is empty'));
    const started = performance.now();
    return new Promise<SqlResult>((resolve, reject) => {
      const run: Run = {
        stop: (error) => {
          if (run.stopped) return;
          run.stopped = error;
          reject(error);
        },
      };
      const timer = setTimeout(() => run.stop(errors.FT_SQL_TIMEOUT(`limit ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      this.running.add(run);
      const work = this.execute(text, started, run);
      this.working.add(work);
      work.then(
        (result) => (run.stopped || !result ? undefined : resolve(result)),
        (error: unknown) => (run.stopped ? undefined : reject(consoleError(error))),
      ).finally(() => {
        clearTimeout(timer);
        this.running.delete(run);
        this.working.delete(work);
      });
    });
  }

  /** Answers running statements FT_SHUTTING_DOWN and waits a little for them to end. */
  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.running) run.stop(errors.FT_SHUTTING_DOWN());
    if (this.working.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.working]), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
  }

  private async execute(text: string, started: number, run: Run): Promise<SqlResult | undefined> {
    const client = await this.options.connect();
    try {
      const formatted = await this.format(client, text);
      if (run.stopped) return undefined;
      const plan = await this.plan(client, formatted);
      if (run.stopped) return undefined;
      const limits: ConsoleLimits = {
        remainingMs: this.options.timeoutMs - (performance.now() - started),
        maxRows: this.options.maxRows,
        maxMemoryBytes: this.options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY,
      };
      return await this.fetch(client, plan(limits), run, started);
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  /** The statement as ClickHouse formats it: parsed, one statement, canonical. */
  private async format(client: ClickHouseClient, text: string): Promise<string> {
    try {
      // implicit_select = 0: chDB (clickhouse-local) reads `DELETE FROM t` as `SELECT DELETE FROM t`
      // by default, a server does not; parsed as written, it is refused as the write it is.
      const result = await client.query({
        query: 'SELECT formatQuery({sql:String}) AS f SETTINGS implicit_select = 0', query_params: { sql: text }, format: 'JSONEachRow',
      });
      const [row] = await result.json<{ f: string }>();
      return row.f;
    } catch (error) {
      if (/Multi-statements are not allowed/.test(messageOf(error))) throw refuse('send one statement at a time');
      const write = codeOf(error) === CODES.SYNTAX_ERROR ? unparsedWriteKeyword(text) : undefined;
      if (write !== undefined) throw refuse(`only read statements (SELECT, WITH … SELECT, EXPLAIN …, DESCRIBE …) are allowed, not ${write}`);
      throw consoleError(error);
    }
  }

  /** What kind of statement it is, checked, as a function of the limits left when it is sent. */
  private async plan(client: ClickHouseClient, formatted: string): Promise<Plan> {
    const keyword = leadingKeyword(formatted);
    if (keyword === 'SELECT' || keyword === 'WITH') {
      const views = await this.checked(client, formatted);
      return (limits) => ({ sql: selectToRun(formatted, limits, views), usesViews: views.length > 0 });
    }
    if (keyword === 'EXPLAIN') {
      const parts = splitExplain(formatted);
      if (!parts || !['SELECT', 'WITH'].includes(leadingKeyword(parts.inner))) {
        throw refuse(`EXPLAIN runs over one SELECT: EXPLAIN [${EXPLAIN_KINDS.join(' | ')}] [option = number, …] SELECT …`);
      }
      const views = await this.checked(client, parts.inner);
      return (limits) => ({ sql: explainToRun(parts.header, parts.inner, limits, views), usesViews: views.length > 0 });
    }
    if (keyword === 'DESCRIBE') return this.describe(client, formatted);
    if (keyword === 'SHOW') {
      throw refuse('SHOW is not supported; list tables with SELECT DISTINCT table FROM system.columns WHERE database = currentDatabase()');
    }
    throw refuse(`only read statements (SELECT, WITH … SELECT, EXPLAIN …, DESCRIBE …) are allowed, not ${keyword || 'this'}`);
  }

  /** Checks a formatted SELECT against what ClickHouse parsed; returns the views it reads. */
  private async checked(client: ClickHouseClient, formatted: string): Promise<ViewDefinitions> {
    const ctes = cteNames(formatted);
    const root = parseAst(await this.parsedRows(client, formatted));
    // The parse request's own `FORMAT Native` is the root's last child; anything else beside the
    // statement is an INTO OUTFILE.
    const own = root.children.pop();
    if (own?.type !== 'Identifier' || own.text !== 'Native') throw refuse('the parsed statement could not be read back');
    if (root.children.length !== 1) throw refuse(OUTPUT_OPTIONS);
    const used = checkSelect(root, ctes, await this.catalog(client));
    return [...used].map((name) => [name, this.views()[name]] as const);
  }

  /**
   * The rows of `EXPLAIN AST` (parses, runs nothing). The first FORMAT goes to the statement,
   * the second to EXPLAIN's own answer; a statement with a FORMAT of its own fails to parse.
   */
  private async parsedRows(client: ClickHouseClient, formatted: string): Promise<string[]> {
    let text: string;
    try {
      const result = await client.exec({ query: `EXPLAIN AST\n${formatted}\nFORMAT Native\nFORMAT JSONCompactEachRow` });
      text = await readAll(result.stream);
    } catch (error) {
      if (codeOf(error) === CODES.SYNTAX_ERROR) throw refuse(OUTPUT_OPTIONS);
      throw consoleError(error);
    }
    return text.split('\n').filter((line) => line !== '').map((line) => String(parseLine(line)[0]));
  }

  private async describe(client: ClickHouseClient, formatted: string): Promise<Plan> {
    tokens(formatted);
    const target = splitDescribe(formatted);
    if (!target) throw refuse('DESCRIBE takes one table or view: DESCRIBE TABLE spans');
    const view = target.database === undefined ? this.views()[target.table] : undefined;
    if (view !== undefined) return (limits) => ({ sql: describeToRun({ view }, limits), usesViews: true });
    const catalog = await this.catalog(client);
    const database = target.database ?? catalog.database;
    const allowed = database === 'system' ? ALLOWED_SYSTEM_TABLES.has(target.table) : database === catalog.database && catalog.tables.has(target.table);
    if (!allowed) throw refuse(`${database}.${target.table} is not a table of this database (views: ${Object.keys(this.views()).join(', ')})`);
    return (limits) => ({ sql: describeToRun({ database, table: target.table }, limits), usesViews: false });
  }

  /** This database (the client's current one) and its tables, read for every statement. */
  private async catalog(client: ClickHouseClient): Promise<ConsoleCatalog> {
    const result = await client.query({
      query: 'SELECT currentDatabase() AS db, groupArray(name) AS tables FROM system.tables WHERE database = currentDatabase()',
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ db: string; tables: string[] }>();
    return { database: row.db, tables: new Set(row.tables), views: new Set(Object.keys(this.views())) };
  }

  private views(): Readonly<Record<string, string>> {
    return this.options.views ?? {};
  }

  /** Runs the checked statement and reads its rows up to the caps. */
  private async fetch(client: ClickHouseClient, plan: ReturnType<Plan>, run: Run, started: number): Promise<SqlResult | undefined> {
    const result = await client.exec({
      query: `${plan.sql}\nFORMAT JSONCompactEachRowWithNamesAndTypes`,
      query_params: plan.usesViews ? this.options.viewParams?.() : undefined,
    });
    const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
    const decoder = new StringDecoder('utf8');
    const header: unknown[][] = [];
    const rows: unknown[][] = [];
    let pending = '';
    let bytes = 0;
    let truncated = false;
    read: for await (const chunk of result.stream as AsyncIterable<Buffer | string>) {
      if (run.stopped) return undefined;
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      let start = 0;
      for (let end = pending.indexOf('\n'); end >= 0; start = end + 1, end = pending.indexOf('\n', start)) {
        if (end === start) continue;
        const value = parseLine(pending.slice(start, end));
        if (header.length < 2) {
          header.push(value);
          continue;
        }
        const size = Buffer.byteLength(JSON.stringify(value)) + 1;
        if (rows.length >= this.options.maxRows || bytes + size > maxBytes) {
          truncated = true;
          break read;
        }
        bytes += size;
        rows.push(value);
      }
      pending = pending.slice(start);
    }
    const [names = [], types = []] = header;
    const columns = names.map((name, i) => ({ name: String(name), type: String(types[i]) }));
    return { columns, rows, truncated, elapsedMs: performance.now() - started };
  }
}

/**
 * One row of a JSONCompact answer. Anything else is an exception the server wrote mid-answer:
 * plain text (`Code: 159. DB::Exception: …`) or, with http_write_exception_in_output_format,
 * `{"exception": "…"}`.
 */
function parseLine(line: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw consoleError(new Error(line));
  }
  if (Array.isArray(value)) return value;
  const exception = (value as { exception?: unknown } | null)?.exception;
  throw consoleError(new Error(typeof exception === 'string' ? exception : line));
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : decoder.write(chunk);
  return text + decoder.end();
}
