/**
 * Brings a database to the current schema (schema/README.md): a fresh one is created from the
 * current state and stamped with the current version; an older one runs the migrations past
 * its version, one transaction per version; then, at every start, every view and macro is
 * dropped and the current state's are created again. A database newer than this flowtrace, or
 * older than any flowtrace wrote, is refused rather than misread.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { currentSchemaVersion, currentState, oldestUpgradableVersion, pendingMigrations } from './schema-files.js';

export { currentSchemaVersion } from './schema-files.js';

export class SchemaVersionError extends Error {}

/** Brings the database up to the current schema and returns its version; throws SchemaVersionError on one it cannot read. */
export async function applySchema(connection: DuckDBConnection): Promise<number> {
  const current = currentSchemaVersion();
  const version = await storedVersion(connection);
  if (version !== undefined && version > current) {
    throw new SchemaVersionError(
      `database schema version ${version} is newer than this flowtrace (${current}); upgrade flowtrace`,
    );
  }
  if (version !== undefined && version < oldestUpgradableVersion()) {
    throw new SchemaVersionError(
      `database schema version ${version} was never written by a flowtrace (the oldest is ${oldestUpgradableVersion()}); it cannot be upgraded`,
    );
  }
  if (version === undefined) {
    await inTransaction(connection, async () => {
      for (const entry of currentState()) {
        if (entry.kind === 'table' || entry.kind === 'index') await runAll(connection, entry.statements);
      }
      await stamp(connection, current);
    });
  } else {
    for (const group of pendingMigrations(version)) {
      // One transaction per version: DuckDB refuses to commit a transaction that alters a table
      // after updating it, and a later version may alter what an earlier one repaired.
      await inTransaction(connection, async () => {
        for (const step of group.steps) await connection.run(step.sql);
        await stamp(connection, group.version);
      });
    }
  }
  await inTransaction(connection, () => recreateViewsAndMacros(connection));
  return current;
}

/** Drops every view and macro of the database, then creates those of the current state. */
async function recreateViewsAndMacros(connection: DuckDBConnection): Promise<void> {
  const views = await connection.runAndReadAll(
    `SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary
       AND database_name = current_database() AND schema_name = 'main'`,
  );
  for (const [name] of views.getRowsJS()) await connection.run(`DROP VIEW IF EXISTS ${quoteIdentifier(String(name))}`);
  const macros = await connection.runAndReadAll(
    `SELECT DISTINCT function_name, function_type FROM duckdb_functions()
     WHERE function_type IN ('macro', 'table_macro') AND NOT internal
       AND database_name = current_database() AND schema_name = 'main'`,
  );
  for (const [name, type] of macros.getRowsJS()) {
    await connection.run(`DROP MACRO ${type === 'table_macro' ? 'TABLE ' : ''}IF EXISTS ${quoteIdentifier(String(name))}`);
  }
  for (const entry of currentState()) {
    if (entry.kind === 'macro' || entry.kind === 'view' || entry.kind === 'generated') await runAll(connection, entry.statements);
  }
}

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function runAll(connection: DuckDBConnection, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await connection.run(sql);
}

async function stamp(connection: DuckDBConnection, version: number): Promise<void> {
  await connection.run(
    `INSERT INTO flowtrace_meta VALUES ('schema_version', $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    { v: String(version) },
  );
}

async function inTransaction(connection: DuckDBConnection, work: () => Promise<void>): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  try {
    await work();
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

/** The stamped version; undefined for a fresh database (no flowtrace_meta, or no version in it). */
async function storedVersion(connection: DuckDBConnection): Promise<number | undefined> {
  const exists = await connection.runAndReadAll(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'flowtrace_meta'`,
  );
  if (Number(exists.getRowObjectsJS()[0]?.n ?? 0) === 0) return undefined;
  const rows = await connection.runAndReadAll(`SELECT value FROM flowtrace_meta WHERE key = 'schema_version'`);
  const value = rows.getRowObjectsJS()[0]?.value;
  return value === undefined ? undefined : Number(value);
}
