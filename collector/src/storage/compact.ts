/**
 * Compacting a database file. DuckDB reuses the blocks that deletes and checkpoints free, but
 * never gives them back to the file system, and a file written by many small commits keeps
 * some of them for good; it reclaims space only when a database is copied into a new file.
 * `compactDatabase` does that with the collector stopped: folds the write-ahead log into the
 * file, copies everything (tables, views, macros, the index) with COPY FROM DATABASE into a
 * file beside it, checks every table's row count, and only then renames the copy over the
 * original. A failure at any step leaves the original as it was. The copy is in the current
 * storage format (database.ts STORAGE_VERSION), so compacting also upgrades a file an older
 * flowtrace wrote.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { STORAGE_VERSION } from './database.js';

export interface CompactResult {
  bytesBefore: number;
  bytesAfter: number;
  seconds: number;
}

export class CompactError extends Error {}

const quoted = (path: string): string => `'${path.replace(/'/g, "''")}'`;

async function tableCounts(c: DuckDBConnection, database: string): Promise<Map<string, bigint>> {
  const tables = (await c.runAndReadAll(
    `SELECT table_name FROM duckdb_tables() WHERE database_name = '${database}' ORDER BY table_name`,
  )).getRowsJS().map((r) => String(r[0]));
  const counts = new Map<string, bigint>();
  for (const table of tables) {
    const [[n]] = (await c.runAndReadAll(`SELECT count(*) FROM ${database}.main."${table}"`)).getRowsJS();
    counts.set(table, BigInt(n as bigint));
  }
  return counts;
}

/** Rewrites the database at `path` into a compact file; the collector must not be running on it. */
export async function compactDatabase(path: string): Promise<CompactResult> {
  if (path === ':memory:' || !existsSync(path)) throw new CompactError(`no database file at ${path}`);
  const started = performance.now();
  const bytesBefore = statSync(path).size;
  const copy = `${path}.compacting`;
  rmSync(copy, { force: true });
  rmSync(`${copy}.wal`, { force: true });
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  let copied = false;
  try {
    try {
      await c.run(`ATTACH ${quoted(path)} AS src`);
    } catch (error) {
      const message = (error as Error).message;
      if (/lock/i.test(message)) throw new CompactError(`${path} is in use: stop the collector first (${message.split('\n')[0]})`);
      throw error;
    }
    await c.run('CHECKPOINT src');
    // The copy is written in the current storage format (an older file is upgraded by compacting it).
    await c.run(`ATTACH ${quoted(copy)} AS dst (STORAGE_VERSION '${STORAGE_VERSION}')`);
    await c.run('COPY FROM DATABASE src TO dst');
    await c.run('CHECKPOINT dst');
    const [before, after] = [await tableCounts(c, 'src'), await tableCounts(c, 'dst')];
    for (const [table, n] of before) {
      if (after.get(table) !== n) throw new CompactError(`the copy of ${table} has ${after.get(table) ?? 0} rows, not ${n}; the original is unchanged`);
    }
    await c.run('DETACH dst');
    await c.run('DETACH src');
    if (existsSync(`${path}.wal`) || existsSync(`${copy}.wal`)) {
      throw new CompactError(`a write-ahead log is left beside ${path}; the original is unchanged`);
    }
    copied = true;
  } finally {
    c.closeSync();
    instance.closeSync();
    if (!copied) {
      rmSync(copy, { force: true });
      rmSync(`${copy}.wal`, { force: true });
    }
  }
  renameSync(copy, path);
  return { bytesBefore, bytesAfter: statSync(path).size, seconds: (performance.now() - started) / 1000 };
}
