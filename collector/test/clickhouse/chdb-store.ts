/**
 * Opening ClickHouse stores on chDB for tests: one chDB engine per process (chDB binds one data
 * directory), one database per store, so every case starts empty. A store that is not durable
 * drops its database when it closes. Reopening takes a store's location (`chdb:PATH#db`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClickHouseStorage, type ClickHouseOptions, type ClickHouseStorage } from '../../src/storage/clickhouse/storage.js';
import { openConnection } from '../../src/storage/clickhouse/connection.js';

let dir: string | undefined;
let n = 0;

/** This process's chDB data directory (made on first use). */
export function chdbDir(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'ft-chdb-'));
  return dir;
}

/** Removes the data directory (after every store of the process is closed). */
export function removeChdbDir(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** A fresh database name for this process. */
export function freshDatabase(prefix = 'ft'): string {
  return `${prefix}_${process.pid}_${n++}`;
}

export type ChdbStoreOptions = Omit<ClickHouseOptions, 'url' | 'database'> & { durable?: boolean; reopen?: string; database?: string };

/** Opens a ClickHouse store on this process's chDB engine: a fresh database, or the one `reopen` names. */
export async function openChdbStore(options: ChdbStoreOptions = {}): Promise<ClickHouseStorage> {
  const [url, database] = options.reopen !== undefined ? options.reopen.split('#') : [`chdb:${chdbDir()}`, options.database ?? freshDatabase()];
  const storage = await openClickHouseStorage({ changeFeedPollMs: 50, ...options, url, database });
  if (options.durable || options.reopen !== undefined || options.database !== undefined) return storage;
  const close = storage.close.bind(storage);
  return Object.assign(storage, {
    async close() {
      await close();
      const conn = await openConnection(storage.target);
      await conn.command(`DROP DATABASE IF EXISTS \`${database}\` SYNC`).finally(() => conn.close());
    },
  });
}
