/**
 * Applies the schema files in `schema/order.txt` to a database and checks its version:
 * a fresh database gets every file, an older one the files it lacks, and one written by a
 * newer flowtrace is refused rather than misread.
 */
import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';

const schemaDir = new URL('./schema/', import.meta.url);

/** The schema files in the order they apply. */
export function schemaFiles(): string[] {
  return readFileSync(new URL('order.txt', schemaDir), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The version this build writes: the number of schema files. */
export function currentSchemaVersion(): number {
  return schemaFiles().length;
}

export class SchemaVersionError extends Error {}

/**
 * Files that must run before an earlier file when both are pending. 009 reads every span's
 * attributes as JSON, which the lone surrogate escapes older ingest wrote break (the upgrade
 * failed and the collector refused to start); 010 repairs them, so it runs first. 014 adds
 * columns to span_data and log_data, whose rows 010 updates: DuckDB refuses to commit a
 * transaction that alters a table after updating it ("another transaction has altered this
 * table"), so 014 runs before 010 (it reads nothing the files from 009 on write). The version
 * still counts files, and a repair over a database without such rows changes nothing.
 * Applied in this order: a file moved before one that is itself moved goes in front of it.
 */
const RUNS_BEFORE: Readonly<Record<string, string>> = {
  '010_well_formed_json.sql': '009_attribute_values.sql',
  '014_otlp_fidelity.sql': '010_well_formed_json.sql',
};

/** The pending files in the order they run: the order file's, with each repair moved before its reader. */
export function applicationOrder(pending: string[]): string[] {
  const order = pending.filter((file) => !(Object.hasOwn(RUNS_BEFORE, file) && pending.includes(RUNS_BEFORE[file])));
  for (const [repair, reader] of Object.entries(RUNS_BEFORE)) {
    if (order.includes(reader) && pending.includes(repair)) order.splice(order.indexOf(reader), 0, repair);
  }
  return order;
}

/** Brings the database up to the current schema; throws SchemaVersionError on a newer one. */
export async function applySchema(connection: DuckDBConnection): Promise<number> {
  const files = schemaFiles();
  const version = await storedVersion(connection);
  if (version > files.length) {
    throw new SchemaVersionError(
      `database schema version ${version} is newer than this flowtrace (${files.length}); upgrade flowtrace`,
    );
  }
  if (version === files.length) return version;
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const file of applicationOrder(files.slice(version))) {
      await connection.run(readFileSync(new URL(file, schemaDir), 'utf8'));
    }
    await connection.run(
      `INSERT INTO flowtrace_meta VALUES ('schema_version', $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      { v: String(files.length) },
    );
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
  return files.length;
}

async function storedVersion(connection: DuckDBConnection): Promise<number> {
  const exists = await connection.runAndReadAll(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'flowtrace_meta'`,
  );
  if (Number(exists.getRowObjectsJS()[0]?.n ?? 0) === 0) return 0;
  const rows = await connection.runAndReadAll(`SELECT value FROM flowtrace_meta WHERE key = 'schema_version'`);
  const value = rows.getRowObjectsJS()[0]?.value;
  return value === undefined ? 0 : Number(value);
}
