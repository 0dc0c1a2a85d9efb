/**
 * The one way this engine talks to ClickHouse: `@clickhouse/client` over HTTP(S) to a server, or
 * the same client over chDB's in-process engine (`chdb:PATH`, for tests and trying the backend).
 *
 * Invariants (chDB quirks measured here, kept on both paths so the code is one):
 * - No client settings, ever: chDB turns them into session-wide `SET`s (one `readonly = 1` made
 *   every later write fail). Every setting travels in the statement's own `SETTINGS` clause.
 * - After a failed statement the client is retired (chDB leaked rows of a failed query into the
 *   next result) and a new one serves the next statement. Over HTTP the old one is closed once
 *   idle; chDB's are closed only by close(), after chDB's drainPending (a statement given up on
 *   runs on in the engine, and closing a chDB connection under it aborts the engine for the
 *   whole process).
 * - A statement given an aborted signal is not sent, and one whose signal aborts rejects with the
 *   signal's reason.
 * - One chDB engine per process: every connection of the process binds the same data directory
 *   (two Storage objects on one chDB path share the engine; another path is refused by chDB).
 * - Results are JSONEachRow with 64-bit integers quoted (`output_format_json_quote_64bit_integers`),
 *   so nanosecond times arrive exact as strings; user values only ever travel as query parameters.
 */
import { Readable } from 'node:stream';
import { createClient, TupleParam, type ClickHouseClient } from '@clickhouse/client';

/** Where the data is: a server's URL, or a chDB data directory. */
export type ClickHouseTarget =
  | { kind: 'http'; url: string; user?: string; password?: string }
  | { kind: 'chdb'; path: string };

/** `chdb:PATH` (`chdb:` alone: a temporary in-memory engine) or an http(s) URL. */
export function parseClickHouseUrl(url: string, user?: string, password?: string): ClickHouseTarget {
  if (url.startsWith('chdb:')) {
    const path = url.slice('chdb:'.length);
    return { kind: 'chdb', path: path === '' ? ':memory:' : path };
  }
  if (!/^https?:\/\//i.test(url)) throw new Error(`--clickhouse-url must be http(s)://host:port or chdb:PATH, got ${url}`);
  return { kind: 'http', url, user, password };
}

/** The URL without credentials, for logs and Storage.location. */
export function locationOf(target: ClickHouseTarget): string {
  if (target.kind === 'chdb') return `chdb:${target.path}`;
  const u = new URL(target.url);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
}

export type Row = Record<string, unknown>;

/** A list of (trace id, span id) pairs as an Array(Tuple(String, String)) parameter. */
export function pairsParam(pairs: ReadonlyArray<readonly [string, string]>): TupleParam[] {
  return pairs.map(([a, b]) => new TupleParam([a, b]));
}
/** A list of tuples as an Array(Tuple(…)) parameter (64-bit values as bigint). */
export function tuplesParam(tuples: ReadonlyArray<readonly unknown[]>): TupleParam[] {
  return tuples.map((values) => new TupleParam([...values]));
}
export type Params = Record<string, unknown>;
/** Settings of one statement, rendered into its SETTINGS clause. */
export type Settings = Record<string, string | number>;

const READ_SETTINGS: Settings = { output_format_json_quote_64bit_integers: 1 };

/** ` SETTINGS k = v, …` for a statement (names checked, string values quoted). */
export function settingsClause(settings: Settings): string {
  const entries = Object.entries(settings);
  if (entries.length === 0) return '';
  return ' SETTINGS ' + entries.map(([k, v]) => {
    if (!/^[a-z_][a-z0-9_]*$/i.test(k)) throw new Error(`bad setting name ${k}`);
    return `${k} = ${typeof v === 'number' ? String(v) : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`}`;
  }).join(', ');
}

/** chDB's hooks: a connection for @clickhouse/client, and a wait until no statement runs in the engine. */
export interface ChdbEngine {
  connect(path: string): unknown;
  drain(): Promise<void>;
}

interface Lease {
  client: ClickHouseClient;
  inFlight: number;
  retired: boolean;
}

export class ClickHouseConnection {
  private lease: Lease | undefined;
  private closed = false;
  /** Clients retired after a failure (chDB's wait for close()). */
  private readonly retired: Lease[] = [];

  constructor(readonly target: ClickHouseTarget, private readonly chdb?: ChdbEngine) {}

  /** Rows of a SELECT as objects (64-bit integers as strings). */
  async query(sql: string, params: Params = {}, settings: Settings = {}, signal?: AbortSignal): Promise<Row[]> {
    return this.run(async (client) => {
      const result = await client.query({
        query: sql + settingsClause({ ...READ_SETTINGS, ...settings }),
        format: 'JSONEachRow',
        query_params: params,
        abort_signal: signal,
      });
      return (await result.json()) as Row[];
    }, signal);
  }

  /** The raw answer of a statement that names its own FORMAT (a Parquet export), as bytes. */
  async bytes(sql: string, params: Params = {}, signal?: AbortSignal): Promise<Buffer> {
    return this.run(async (client) => {
      const result = await client.exec({ query: sql, query_params: params, abort_signal: signal });
      const chunks: Buffer[] = [];
      for await (const chunk of result.stream) chunks.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks);
    }, signal);
  }

  /** A statement without a result (DDL, DELETE, ALTER). */
  async command(sql: string, params: Params = {}): Promise<void> {
    await this.run((client) => client.command({ query: sql, query_params: params }));
  }

  /**
   * Inserts rows synchronously (`async_insert = 0`): resolved, the rows are in a part on the
   * server (replicated per insert_quorum on a cluster), and visible to every reader.
   * `table` is qualified already (`db`.`name`).
   */
  async insert(table: string, rows: readonly object[], settings: Settings = {}): Promise<void> {
    if (rows.length === 0) return;
    const body = rows.map((r) => JSON.stringify(r, jsonBigint)).join('\n') + '\n';
    await this.run((client) => client.exec({
      query: `INSERT INTO ${table}${settingsClause({ async_insert: 0, input_format_skip_unknown_fields: 0, ...settings })} FORMAT JSONEachRow`,
      values: Readable.from([body]),
    }).then(async (r) => {
      // The answer of an INSERT carries nothing, but it must be read for the request to end.
      for await (const _ of r.stream) void _;
    }));
  }

  /**
   * Inserts rows given as arrays in `columns` order (JSONCompactEachRow), synchronously as insert()
   * does. Each row is written by JSON.stringify without a replacer: 64-bit values must already be
   * decimal strings (insert-rows.ts), which is what keeps this the cheap path on the main thread.
   */
  async insertArrays(table: string, columns: readonly string[], rows: readonly unknown[][], settings: Settings = {}): Promise<void> {
    if (rows.length === 0) return;
    const lines = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) lines[i] = JSON.stringify(rows[i]);
    const body = lines.join('\n') + '\n';
    await this.run((client) => client.exec({
      query: `INSERT INTO ${table} (${columns.join(', ')})${settingsClause({ async_insert: 0, ...settings })} FORMAT JSONCompactEachRow`,
      values: Readable.from([body]),
    }).then(async (r) => {
      for await (const _ of r.stream) void _;
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    const lease = this.lease;
    this.lease = undefined;
    if (lease) this.retired.push(lease);
    // chDB: a statement given up on (aborted) may still run in the engine; closing its session
    // under it would abort the engine for the whole process, so wait until the engine is idle.
    await this.chdb?.drain();
    await Promise.all(this.retired.splice(0).map((l) => l.client.close().catch(() => undefined)));
  }

  private async run<T>(op: (client: ClickHouseClient) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) throw new Error('the ClickHouse connection is closed');
    if (signal?.aborted) throw signal.reason;
    const lease = (this.lease ??= { client: this.newClient(), inFlight: 0, retired: false });
    lease.inFlight += 1;
    try {
      return await op(lease.client);
    } catch (error) {
      // A failed statement may leave the connection in a state that leaks into the next answer.
      if (this.lease === lease) {
        this.lease = undefined;
        this.retired.push(lease);
      }
      lease.retired = true;
      throw signal?.aborted ? signal.reason : error;
    } finally {
      lease.inFlight -= 1;
      // Over HTTP a retired client is closed once idle; chDB's are closed by close() (see there).
      if (lease.retired && lease.inFlight === 0 && !this.chdb) {
        this.retired.splice(this.retired.indexOf(lease), 1);
        void lease.client.close().catch(() => undefined);
      }
    }
  }

  private newClient(): ClickHouseClient {
    const t = this.target;
    if (t.kind === 'http') {
      return createClient({ url: t.url, username: t.user, password: t.password, request_timeout: 300_000 });
    }
    if (!this.chdb) throw new Error('chdb: URLs need the chdb package (a development dependency)');
    return createClient({ connection: this.chdb.connect(t.path) as never });
  }
}

/** JSON.stringify replacer: bigints as strings (JSONEachRow reads "123" into Int64). */
function jsonBigint(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Opens a connection; for chdb: targets, loads chDB's connection hook (a development dependency). */
export async function openConnection(target: ClickHouseTarget): Promise<ClickHouseConnection> {
  if (target.kind === 'http') return new ClickHouseConnection(target);
  let hook: { createChdbConnection: (o: { path: string }) => unknown };
  let engine: { drainPending: () => Promise<void> };
  try {
    hook = (await import('chdb/connection')) as typeof hook;
    engine = (await import('chdb')) as unknown as typeof engine;
  } catch (error) {
    throw new Error(`--clickhouse-url chdb:… runs ClickHouse in this process through the chdb package, which is not installed (${(error as Error).message})`);
  }
  return new ClickHouseConnection(target, { connect: (path) => hook.createChdbConnection({ path }), drain: () => engine.drainPending() });
}
