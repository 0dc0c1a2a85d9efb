/**
 * The ClickHouse side of the test collector's engine switch (test/fixtures/collector.ts): a real
 * collector on ClickHouse through chDB, in this process, on a database of its own that close()
 * drops. chDB runs one engine per process on one data directory (chdb-store.ts's); vitest runs each
 * test file in its own process (pool 'forks'), so every file has its own engine and directory, and
 * the setup file of the ClickHouse run (chdb-cleanup.ts) removes the directory after the file.
 */
import { startServer, type RunningServer, type ServerOptions } from '../../src/server.js';
import { openConnection, parseClickHouseUrl } from '../../src/storage/clickhouse/connection.js';
import { chdbDir, freshDatabase } from './chdb-store.js';

/** startServer with `options` on a fresh chDB database; close() stops the collector, then drops the database. */
export async function startChdbCollector(options: ServerOptions): Promise<RunningServer> {
  const url = `chdb:${chdbDir()}`;
  const database = freshDatabase('api');
  const server = await startServer({ ...options, storage: 'clickhouse', clickhouse: { url, database } });
  let closing: Promise<void> | undefined;
  const close = server.close.bind(server);
  return Object.assign(server, {
    close() {
      closing ??= (async () => {
        await close();
        const conn = await openConnection(parseClickHouseUrl(url));
        await conn.command(`DROP DATABASE IF EXISTS \`${database}\` SYNC`).finally(() => conn.close());
      })();
      return closing;
    },
  });
}
