/**
 * The second layer under the SQL console once exports exist: DuckDB's own file sandbox. The
 * database may write Parquet exports into one directory (storage/export.ts); these statements run
 * on a console connection WITHOUT the console's statement check (as a bypass of it would), and
 * DuckDB must still refuse every file outside that directory, however the path is spelled.
 */
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { prepareExportDirectory, removeExportDirectory } from '../../src/storage/export.js';

let db: Database;
let home: string;
let exportDir: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'ft-export-sandbox-'));
  exportDir = prepareExportDirectory(join(home, 'db.duckdb'));
  db = await openDatabase({ path: join(home, 'db.duckdb'), allowedDirectory: exportDir });
});
afterAll(async () => {
  await db?.close();
  removeExportDirectory(exportDir);
});

const unchecked = (sql: string) => db.console.use((c) => c.run(sql)).then(() => 'ran', (e: Error) => e.message);

describe('DuckDB\'s file sandbox with an export directory', () => {
  it('refuses files outside the export directory, through .., siblings and the database\'s own directory', async () => {
    const outside = [
      `COPY (SELECT 1) TO '${home}/outside.csv'`,
      `COPY (SELECT 1) TO '${exportDir}/../outside.csv'`,
      `COPY (SELECT 1) TO '${exportDir}-sibling/x.csv'`,
      `COPY (SELECT 1) TO '${exportDir}x.csv'`,
      `SELECT * FROM read_text('${exportDir}/../../../etc/hostname')`,
      `SELECT * FROM read_text('/etc/hostname')`,
      `SELECT * FROM glob('${home}/*')`,
      `ATTACH '${home}/other.duckdb' AS o`,
    ];
    for (const sql of outside) expect(await unchecked(sql), sql).toMatch(/Permission Error|disabled by configuration/);
    expect(readdirSync(home).filter((f) => !f.startsWith('db.duckdb'))).toEqual([]);
    expect(existsSync(`${exportDir}-sibling`)).toBe(false);
  });

  it('keeps the configuration locked: the allowed directories cannot be widened', async () => {
    expect(await unchecked(`SET allowed_directories = ['/']`)).toMatch(/locked|lock_configuration/i);
    expect(await unchecked(`SET enable_external_access = true`)).toMatch(/locked|cannot|lock_configuration/i);
  });
});
