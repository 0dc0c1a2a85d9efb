/**
 * The schema as its current state (src/storage/schema/README.md): a database file written by
 * every older flowtrace upgrades to exactly what a fresh database is (columns, constraints,
 * indexes, views, macros), keeping and repairing its rows; views and macros are the current
 * state's after every start; what the loader cannot read, it refuses.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySchema, currentSchemaVersion, SchemaVersionError } from '../../src/storage/schema.js';
import { currentState, fillPlaceholders, migrationSteps, oldestUpgradableVersion } from '../../src/storage/schema-files.js';
import { createOldDatabase, historyFiles } from '../fixtures/old-schema.js';
import { newSpanId, newTraceId } from '../fixtures/rows.js';
import { openSchemaDatabase, type SchemaDatabase } from '../fixtures/schema-database.js';

const dir = mkdtempSync(join(tmpdir(), 'ft-schema-upgrade-'));
const HALF = '\ud83d';
const BIG = `${'y'.repeat(3790)}${'z'.repeat(100)}`;
const LARGE = JSON.stringify({ big: BIG });

/** Everything of the schema DuckDB can tell, in a stable order. */
async function catalog(c: DuckDBConnection) {
  const rows = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJS();
  const here = `database_name = current_database() AND schema_name = 'main'`;
  return {
    columns: await rows(`SELECT table_name, column_index, column_name, data_type, is_nullable, column_default
      FROM duckdb_columns() WHERE ${here} AND NOT internal ORDER BY table_name, column_index`),
    constraints: await rows(`SELECT table_name, constraint_type, constraint_column_names, constraint_text
      FROM duckdb_constraints() WHERE ${here} ORDER BY ALL`),
    indexes: await rows(`SELECT index_name, table_name, is_unique, sql FROM duckdb_indexes() WHERE ${here} ORDER BY index_name`),
    views: await rows(`SELECT view_name, sql FROM duckdb_views() WHERE ${here} AND NOT internal ORDER BY view_name`),
    macros: await rows(`SELECT function_name, function_type, parameters, macro_definition FROM duckdb_functions()
      WHERE ${here} AND function_type IN ('macro', 'table_macro') AND NOT internal ORDER BY ALL`),
    version: await rows(`SELECT value FROM flowtrace_meta WHERE key = 'schema_version'`),
  };
}

async function withDatabase<T>(path: string, work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  try {
    return await work(c);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const one = async (c: DuckDBConnection, sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJS();

interface OldRows { traceId: string; spanId: string; remoteParent: string }

/**
 * Rows as the flowtrace of `version` wrote them, with the columns every version has: a span whose
 * JSON holds lone surrogate escapes (what ingest wrote before version 10), a start, a log line,
 * and an execution the writer before version 12 left without a root (its span has a remote parent).
 */
async function oldRows(c: DuckDBConnection, version: number, r: OldRows): Promise<void> {
  const t = 1_700_000_000_000_000_000n;
  const attributes = version < 10 ? JSON.stringify({ [`k${HALF}`]: `v${HALF}`, 'order.id': 'ord-1' }) : JSON.stringify({ 'k\ufffd': 'v\ufffd', 'order.id': 'ord-1' });
  await c.run(`INSERT INTO span_data (trace_id, span_id, parent_span_id, name, kind, service_name, start_ns, end_ns, status_code,
      attributes, resource_attributes, events, links, flags, dropped_attributes_count, dropped_events_count, dropped_links_count)
    VALUES ($t, $s, $p, 'GET /old', 2, 'old-svc', $b, $e, 2, $a, '{"service.name":"old-svc"}', $ev, '[]', 0, 0, 0, 0)`,
  { t: r.traceId, s: r.spanId, p: r.remoteParent, b: t, e: t + 1000n, a: attributes, ev: version < 10 ? JSON.stringify([{ name: HALF }]) : '[]' });
  // A large attribute: in two pieces, a list column from version 7, piece columns from version 15; whole from version 18.
  const [p1, p2] = [LARGE.slice(0, 3800), LARGE.slice(3800)];
  if (version >= 18) await c.run(`UPDATE span_data SET large_attributes = $l WHERE span_id = $s`, { s: r.spanId, l: LARGE });
  else if (version >= 15) await c.run(`UPDATE span_data SET large_attributes_0 = $p1, large_attributes_1 = $p2 WHERE span_id = $s`, { s: r.spanId, p1, p2 });
  else if (version >= 7) await c.run(`UPDATE span_data SET large_attributes = [$p1, $p2] WHERE span_id = $s`, { s: r.spanId, p1, p2 });
  await c.run(`INSERT INTO span_starts (trace_id, span_id, name, kind, service_name, start_ns, attributes, resource_attributes)
    VALUES ($t, $s, 'running', 1, 'old-svc', $b, $a, '{}')`, { t: r.traceId, s: newSpanId(), b: t + 10n, a: attributes });
  await c.run(`INSERT INTO log_data (trace_id, span_id, time_ns, observed_time_ns, severity_number, severity_text, body, attributes,
      resource_attributes, service_name, flags, dropped_attributes_count)
    VALUES ($t, $s, $b, $b, 9, 'INFO', 'line', $a, '{}', 'old-svc', 0, 0)`, { t: r.traceId, s: r.spanId, b: t, a: attributes });
  await c.run(`INSERT INTO execution_data (trace_id, root_span_id, root_name, root_finished, root_started, service_name, start_ns, end_ns,
      min_start_ns, max_start_ns, span_count, error_count, last_seen_ns)
    VALUES ($t, NULL, 'GET /old', false, false, 'old-svc', $b, NULL, $b, $b, 1, 1, $b)`, { t: r.traceId, b: t });
}

describe('a database written by an older flowtrace', () => {
  let fresh: Awaited<ReturnType<typeof catalog>>;
  beforeAll(async () => {
    fresh = await withDatabase(':memory:', async (c) => {
      expect(await applySchema(c)).toBe(currentSchemaVersion());
      return catalog(c);
    });
  });

  it('has a current version no lower than the last migration-log flowtrace\'s, and stamps a fresh database with it', () => {
    expect(currentSchemaVersion()).toBeGreaterThanOrEqual(historyFiles().length);
    expect(fresh.version).toEqual([{ value: String(currentSchemaVersion()) }]);
    expect(fresh.views.map((v) => v.view_name)).toEqual(['executions', 'logs', 'metric_exemplars', 'metrics', 'spans']);
  });

  // Every version a flowtrace wrote, the current one included (a file of the last migration-log flowtrace).
  const versions = Array.from({ length: currentSchemaVersion() - oldestUpgradableVersion() + 1 }, (_, i) => oldestUpgradableVersion() + i);
  for (const version of versions) {
    it(`brings a schema ${version} file to what a fresh database is, keeping and repairing its rows`, async () => {
      const path = join(dir, `v${version}.duckdb`);
      const rows: OldRows = { traceId: newTraceId(), spanId: newSpanId(), remoteParent: newSpanId() };
      await createOldDatabase(path, version, (c) => oldRows(c, version, rows));
      await withDatabase(path, async (c) => {
        expect(await applySchema(c)).toBe(currentSchemaVersion());
        expect(await catalog(c)).toEqual(fresh);
        const [span] = await one(c, `SELECT attributes::VARCHAR AS a, events::VARCHAR AS e, status FROM spans WHERE span_id = '${rows.spanId}'`);
        expect(JSON.parse(String(span.a))).toEqual({ 'k\ufffd': 'v\ufffd', 'order.id': 'ord-1', ...(version >= 7 ? { big: BIG } : {}) });
        expect(span.status).toBe('error');
        expect(await one(c, `SELECT count(*)::INTEGER AS n FROM spans WHERE trace_id = '${rows.traceId}'`)).toEqual([{ n: 2 }]);
        expect(await one(c, `SELECT attributes::VARCHAR AS a FROM logs WHERE trace_id = '${rows.traceId}'`)).toHaveLength(1);
        if (version < 9) {
          // The index was filled from the repaired text: the repair ran first.
          expect(await one(c, `SELECT key, value FROM attribute_values WHERE trace_id = '${rows.traceId}' ORDER BY key`))
            .toEqual([{ key: 'k\ufffd', value: 'v\ufffd' }, { key: 'order.id', value: 'ord-1' }]);
        }
        if (version < 12) {
          expect(await one(c, `SELECT root_span_id, remote_parent_span_id, status FROM executions WHERE trace_id = '${rows.traceId}'`))
            .toEqual([{ root_span_id: rows.spanId, remote_parent_span_id: rows.remoteParent, status: 'error' }]);
        }
      });
      // And it opens again as it is.
      await withDatabase(path, async (c) => {
        expect(await applySchema(c)).toBe(currentSchemaVersion());
        expect(await catalog(c)).toEqual(fresh);
      });
    }, 60_000);
  }

  it(`refuses a version above the current one, and one below ${oldestUpgradableVersion()} that no flowtrace wrote`, async () => {
    for (const version of [currentSchemaVersion() + 1, 3]) {
      await withDatabase(':memory:', async (c) => {
        await c.run(`CREATE TABLE flowtrace_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`);
        await c.run(`INSERT INTO flowtrace_meta VALUES ('schema_version', '${version}')`);
        await expect(applySchema(c)).rejects.toBeInstanceOf(SchemaVersionError);
      });
    }
  });
});

describe('the views and macros of a database', () => {
  let db: SchemaDatabase;
  let c: DuckDBConnection;
  beforeAll(async () => {
    db = await openSchemaDatabase();
    c = db.c;
  });
  afterAll(() => db?.close());

  it('are the current state\'s again at the next start: a stale or changed one is dropped or restored', async () => {
    const before = await catalog(c);
    await c.run(`CREATE VIEW stale_view AS SELECT 1 AS x`);
    await c.run(`CREATE MACRO stale_macro(a) AS a + 1`);
    await c.run(`CREATE MACRO stale_rows() AS TABLE SELECT 1 AS x`);
    await c.run(`CREATE OR REPLACE VIEW spans AS SELECT 1 AS changed`);
    await c.run(`CREATE OR REPLACE MACRO span_status(flow_status, status_code) AS 'changed'`);
    await applySchema(c);
    expect(await catalog(c)).toEqual(before);
  });

  it('give the span-status rule the conventions\' node statuses', async () => {
    const statuses = await one(c, `SELECT span_status('skipped', 2) AS skipped, span_status('paused', 2) AS paused,
      span_status('paused', 0) AS unknown, span_status(NULL, 1) AS ok`);
    expect(statuses).toEqual([{ skipped: 'skipped', paused: 'error', unknown: 'success', ok: 'success' }]);
  });
});

describe('the schema folder', () => {
  const schemaDir = new URL('../../src/storage/schema/', import.meta.url);

  it('lists every current-state file in its order file, and only files that exist', () => {
    const listed = currentState().filter((e) => e.kind !== 'generated').map((e) => e.source).sort();
    const present = ['tables', 'indexes', 'macros', 'views']
      .flatMap((d) => readdirSync(new URL(`${d}/`, schemaDir)).filter((f) => f.endsWith('.sql')).map((f) => `${d}/${f}`)).sort();
    expect(listed).toEqual(present);
    const migrations = readdirSync(new URL('migrations/', schemaDir)).filter((f) => f.endsWith('.sql')).sort();
    expect([...new Set(migrationSteps().map((s) => s.file))].sort()).toEqual(migrations);
  });

  it('leaves no placeholder unfilled, and refuses an unknown one', () => {
    for (const entry of currentState()) for (const sql of entry.statements) expect(sql, entry.source).not.toMatch(/\{\{\s*[A-Za-z_]/);
    expect(() => fillPlaceholders('SELECT {{NO_SUCH_LIST}}', {}, 'x.sql')).toThrow(/x\.sql: unknown placeholder \{\{NO_SUCH_LIST\}\}/);
    expect(fillPlaceholders('IN {{A}}', { A: "('a')" })).toBe("IN ('a')");
  });

  it('has migrations that change tables and rows only: no view, and no macro that outlives them', () => {
    for (const step of migrationSteps()) {
      const sql = readFileSync(new URL(`migrations/${step.file}`, schemaDir), 'utf8').replace(/--.*$/gm, '');
      expect(sql, step.file).not.toMatch(/\bCREATE\s+(OR\s+REPLACE\s+)?VIEW\b/i);
      expect(sql, step.file).not.toMatch(/\bCREATE\s+(OR\s+REPLACE\s+)?MACRO\b/i);
      expect(sql, step.file).not.toMatch(/\{\{\s*[A-Za-z_]/);
    }
  });
});
