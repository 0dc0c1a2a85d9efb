/**
 * Brings a database to this collector's schema at open: creates what is missing (every
 * statement is IF NOT EXISTS, so any number of collectors may start at once), refuses a database
 * written by a newer schema, and applies this collector's retention age as the tables' TTL when
 * it differs from the one recorded (the last collector started with --retention sets it for all).
 */
import { SCHEMA_VERSION } from './schema.js';
import { ttlAlterations } from './schema-render.js';
import type { ClickHouseConnection } from './connection.js';
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

/**
 * Runs `ddl` (the single-node or the cluster rendering of SCHEMA), then checks and records the
 * version and the TTL age. `ttlDdl` renders the TTL changes for an age (undefined: none).
 */
export async function applySchema(
  conn: ClickHouseConnection, t: Tables, ddl: readonly string[], ageSeconds: number | undefined,
  ttlDdl: (ageSeconds: number | undefined) => string[] = (age) => ttlAlterations(t.db, age),
): Promise<void> {
  for (const statement of ddl) await conn.command(statement);
  const version = await metaValue(conn, t, 'schema_version');
  if (version !== undefined && Number(version) > SCHEMA_VERSION) throw new ClickHouseSchemaVersionError(Number(version));
  if (version === undefined || Number(version) < SCHEMA_VERSION) await setMeta(conn, t, 'schema_version', String(SCHEMA_VERSION));
  const wanted = ageSeconds === undefined ? 'none' : String(Math.max(1, Math.ceil(ageSeconds)));
  const recorded = await metaValue(conn, t, 'ttl_age_seconds');
  // A fresh database got the age in CREATE TABLE; an older one gets it (or loses it) now.
  if (recorded !== undefined && recorded !== wanted) {
    for (const statement of ttlDdl(ageSeconds)) {
      // A table created without a TTL has none to remove.
      if (ageSeconds === undefined && recorded === 'none') continue;
      await conn.command(statement);
    }
  }
  if (recorded !== wanted) await setMeta(conn, t, 'ttl_age_seconds', wanted);
}
