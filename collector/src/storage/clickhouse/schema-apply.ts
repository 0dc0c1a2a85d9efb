/**
 * Brings a database to this collector's schema at open: refuses a database written by a newer
 * schema (before changing anything in it), upgrades one of an older schema, creates what is
 * missing (every statement is IF NOT EXISTS, so any number of collectors may start at once), and
 * applies this collector's retention age as the tables' TTL when
 * it differs from the one recorded (the last collector started with --retention sets it for all).
 */
import type { ClickHouseConnection } from './connection.js';
import { SCHEMA_VERSION } from './schema.js';
import { upgradesFrom, type StepStatements, type UpgradeStep } from './schema-upgrade.js';
import type { Tables } from './tables.js';

/** A database built by a newer flowtrace: this collector does not know its tables. */
export class ClickHouseSchemaVersionError extends Error {
  constructor(readonly found: number) {
    super(`the ClickHouse database holds schema version ${found}, newer than this collector's ${SCHEMA_VERSION}: upgrade the collector`);
  }
}

async function metaValue(conn: ClickHouseConnection, t: Tables, key: string): Promise<string | undefined> {
  const [row] = await conn.query(`SELECT argMax(value, updated_ns) AS v, count() AS n FROM ${t.meta} WHERE key = {key:String}`, { key });
  return row === undefined || Number(row.n) === 0 ? undefined : String(row.v);
}

const setMeta = (conn: ClickHouseConnection, t: Tables, key: string, value: string): Promise<void> => conn.insert(t.meta, [{ key, value }], t.insertSettings);

/** What brings a database to this schema: rendered for one node or for a cluster (storage.ts). */
export interface SchemaPlan {
  /** The database and the meta table: created first, so that the version can be read. */
  prelude: readonly string[];
  /** Every object of SCHEMA (IF NOT EXISTS). */
  ddl: readonly string[];
  /** An upgrade step as statements (schema-upgrade.ts). */
  step: StepStatements;
  /** The TTL changes for an age (undefined: none). */
  ttlDdl: (ageSeconds: number | undefined) => string[];
}

async function runStep(conn: ClickHouseConnection, t: Tables, plan: SchemaPlan, step: UpgradeStep): Promise<void> {
  const { statements, keyed } = plan.step(step);
  if (keyed !== undefined) {
    const [row] = await conn.query(
      'SELECT count() AS n FROM system.columns WHERE database = {db:String} AND table = {table:String} AND name = {column:String} AND is_in_sorting_key',
      { db: t.db, table: keyed.table, column: keyed.column },
    );
    if (Number(row?.n ?? 0) > 0) return;
  }
  for (const statement of statements) await conn.command(statement);
}

/**
 * Refuses a database of a newer schema; upgrades one of an older schema (schema-upgrade.ts);
 * creates what is missing; records the version and the TTL age.
 */
export async function applySchema(conn: ClickHouseConnection, t: Tables, plan: SchemaPlan, ageSeconds: number | undefined): Promise<void> {
  for (const statement of plan.prelude) await conn.command(statement);
  const version = await metaValue(conn, t, 'schema_version');
  if (version !== undefined && Number(version) > SCHEMA_VERSION) throw new ClickHouseSchemaVersionError(Number(version));
  const upgrades = version === undefined || Number(version) === SCHEMA_VERSION ? [] : upgradesFrom(Number(version));
  for (const upgrade of upgrades) for (const step of upgrade.before) await runStep(conn, t, plan, step);
  for (const statement of plan.ddl) await conn.command(statement);
  for (const upgrade of upgrades) for (const step of upgrade.after) await runStep(conn, t, plan, step);
  if (version === undefined || Number(version) < SCHEMA_VERSION) await setMeta(conn, t, 'schema_version', String(SCHEMA_VERSION));
  const wanted = ageSeconds === undefined ? 'none' : String(Math.max(1, Math.ceil(ageSeconds)));
  const recorded = await metaValue(conn, t, 'ttl_age_seconds');
  // A fresh database got the age in CREATE TABLE; an older one gets it (or loses it) now.
  if (recorded !== undefined && recorded !== wanted) {
    for (const statement of plan.ttlDdl(ageSeconds)) {
      // A table created without a TTL has none to remove.
      if (ageSeconds === undefined && recorded === 'none') continue;
      await conn.command(statement);
    }
  }
  if (recorded !== wanted) await setMeta(conn, t, 'ttl_age_seconds', wanted);
}
