/**
 * Plugs the ClickHouse SQL console into the ClickHouse Storage (sql-console-boundary.ts): the
 * clients it runs on and the views it offers.
 *
 * Clients: one per statement, never the storage's own.
 * - On a server: `@clickhouse/client` as the console's user when one is given (a read-only user,
 *   deploy/clickhouse/console-user.sql), else as the storage's user; the database is the
 *   connection's default, so unqualified names mean flowtrace's tables. No client settings and no
 *   response compression: a readonly = 1 user may change no setting but those its profile lets
 *   it (the statement's own SETTINGS).
 * - On chDB: a new connection on the same data directory (chDB runs statements of one
 *   connection one at a time), pointed at the database with USE, which holds for that
 *   connection only.
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { ClickHouseTarget } from './connection.js';
import type { SqlConsoleFactory } from './sql-console-boundary.js';
import { ClickHouseSqlConsole } from './sql-console.js';
import { ident } from './sql-console-text.js';
import { VIEW_KINDS } from './views-sql.js';

/** A read-only user for the console (FLOWTRACE_CLICKHOUSE_CONSOLE_USER / _PASSWORD). */
export interface ConsoleUser {
  user: string;
  password?: string;
}

export interface ClickHouseSqlConsoleSetup {
  consoleUser?: ConsoleUser;
  /** ClickHouse's max_memory_usage for one console statement (default 512 MiB). */
  maxMemoryBytes?: number;
}

/** The factory the ClickHouse Storage calls with its context. */
export function clickHouseSqlConsole(setup: ClickHouseSqlConsoleSetup = {}): SqlConsoleFactory {
  return (context) => new ClickHouseSqlConsole({
    connect: consoleConnector(context.target, context.tables.db, context.timeoutMs, setup.consoleUser),
    timeoutMs: context.timeoutMs,
    maxRows: context.maxRows,
    maxBytes: context.maxBytes,
    maxMemoryBytes: setup.maxMemoryBytes,
    views: Object.fromEntries(VIEW_KINDS.map((kind) => [kind, context.viewSql(kind)])),
    viewParams: () => ({ abandon_after_ns: context.abandonAfterNs() }),
  });
}

/** Makes a new client for one console statement, on `database`. */
export function consoleConnector(
  target: ClickHouseTarget,
  database: string,
  timeoutMs: number,
  consoleUser?: ConsoleUser,
): () => Promise<ClickHouseClient> {
  if (target.kind === 'http') {
    return () => Promise.resolve(createClient({
      url: target.url,
      username: consoleUser?.user ?? target.user,
      password: consoleUser ? consoleUser.password : target.password,
      database,
      compression: { request: false, response: false },
      request_timeout: Math.max(30_000, timeoutMs + 5_000),
    }));
  }
  let chdb: Promise<{ createChdbConnection: (options: { path: string }) => unknown }> | undefined;
  return async () => {
    chdb ??= import('chdb/connection') as never;
    const { createChdbConnection } = await chdb;
    const client = createClient({ connection: createChdbConnection({ path: target.path }) as never });
    try {
      await client.command({ query: `USE ${ident(database)}` });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
    return client;
  };
}
