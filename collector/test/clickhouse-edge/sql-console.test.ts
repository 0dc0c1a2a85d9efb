/**
 * The ClickHouse SQL console on chDB (ClickHouse's engine in this process): what it answers,
 * what it refuses and how, and its limits. One chDB engine per process: every test that needs
 * the engine lives in this file, on its own data directory under /tmp.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowtraceError } from '../../src/errors.js';
import { clusterDdl, clusterTtlAlterations } from '../../src/storage/clickhouse/cluster-ddl.js';
import { openConnection, parseClickHouseUrl, type ClickHouseConnection } from '../../src/storage/clickhouse/connection.js';
import { singleNodeDdl } from '../../src/storage/clickhouse/schema-render.js';
import type { SqlConsoleContext } from '../../src/storage/clickhouse/sql-console-boundary.js';
import { ALLOWED_SYSTEM_TABLES, ALLOWED_TABLE_FUNCTIONS, REFUSED_FUNCTIONS } from '../../src/storage/clickhouse/sql-console-allowed.js';
import { clickHouseSqlConsole, consoleConnector } from '../../src/storage/clickhouse/sql-console-factory.js';
import { AGGREGATE, ANY_CASE, ANY_CASE_AGGREGATE, SCALAR } from '../../src/storage/clickhouse/sql-console-functions.js';
import { selectToRun } from '../../src/storage/clickhouse/sql-console-text.js';
import { tablesOf } from '../../src/storage/clickhouse/tables.js';
import { viewSql } from '../../src/storage/clickhouse/views-sql.js';
import type { SqlConsole, SqlResult } from '../../src/storage/contract.js';
import { fileAttacks, SQL_ATTACKS, STATE_ATTACKS } from '../fixtures/sql-attacks.js';
import { FUNCTION_ATTACKS, LIMIT_ATTACKS, TABLE_ATTACKS, TABLE_FUNCTION_ATTACKS, WRITE_ATTACKS } from './clickhouse-sql-attacks.js';

const DB = 'ch_edge_console';
const dir = mkdtempSync(join(tmpdir(), 'ch-edge-console-'));
const target = parseClickHouseUrl(`chdb:${dir}`);
const t = tablesOf(DB);
let conn: ClickHouseConnection;
const consoles: Array<SqlConsole & { close(): Promise<void> }> = [];

function open(limits: Partial<Pick<SqlConsoleContext, 'timeoutMs' | 'maxRows' | 'maxBytes'>> = {}, maxMemoryBytes?: number) {
  const context: SqlConsoleContext = {
    conn, target, tables: t, viewSql: (kind) => viewSql(t, kind), abandonAfterNs: () => String(600_000_000_000),
    timeoutMs: 10_000, maxRows: 10_000, maxBytes: 64 * 2 ** 20, ...limits,
  };
  const sql = clickHouseSqlConsole({ maxMemoryBytes })(context) as SqlConsole & { close(): Promise<void> };
  consoles.push(sql);
  return sql;
}

async function failure(sql: SqlConsole, statement: string): Promise<FlowtraceError> {
  const outcome = await sql.run(statement).then((r: SqlResult) => r, (e: unknown) => e);
  if (!(outcome instanceof FlowtraceError)) throw new Error(`answered instead of refusing: ${statement} → ${JSON.stringify(outcome).slice(0, 300)}`);
  return outcome;
}

const span = (trace: string, id: string, parent: string, start: number, attrs: object) => ({
  trace_id: trace.padEnd(32, '0'), span_id: id.padEnd(16, '0'), parent_span_id: parent === '' ? '' : parent.padEnd(16, '0'),
  name: parent === '' ? 'checkout' : 'charge card', service_name: 'orders', start_ns: String(1_700_000_000_000_000_000n + BigInt(start)),
  end_ns: String(1_700_000_000_000_000_000n + BigInt(start) + 5_000_000n), status_code: 1, flow_name: 'checkout',
  attributes: JSON.stringify(attrs), resource_attributes: '{"service.name":"orders"}', events: '[]', links: '[]', version: 1,
});

beforeAll(async () => {
  conn = await openConnection(target);
  for (const statement of singleNodeDdl(DB)) await conn.command(statement);
  await conn.command('CREATE DATABASE IF NOT EXISTS ch_edge_other');
  await conn.command('CREATE TABLE IF NOT EXISTS ch_edge_other.secret (v String) ENGINE = MergeTree ORDER BY v');
  await conn.insert('ch_edge_other.secret', [{ v: 'not for the console' }]);
  await conn.insert(t.spans, [
    span('a1', '1', '', 0, { 'order.id': 'ord-1' }), span('a1', '2', '1', 1000, { 'card.last4': '4242' }),
    span('b2', '3', '', 2000, { 'order.id': 'ord-2' }),
  ]);
});

afterAll(async () => {
  for (const sql of consoles) await sql.close();
  await conn?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ClickHouse SQL console: reads', () => {
  it('reads the views and the tables in ClickHouse dialect, with column names and types', async () => {
    const sql = open();
    expect(sql.dialect).toBe('clickhouse');
    const spans = await sql.run('SELECT count() AS n, uniqExact(trace_id) AS traces FROM spans');
    expect(spans.columns).toEqual([{ name: 'n', type: 'UInt64' }, { name: 'traces', type: 'UInt64' }]);
    expect(spans.rows).toEqual([['3', '2']]);
    expect(spans.truncated).toBe(false);
    const executions = await sql.run("SELECT trace_id, flow_name, status, span_count FROM executions ORDER BY trace_id");
    expect(executions.rows.map((r) => r.slice(1))).toEqual([['checkout', 'success', 2], ['checkout', 'success', 1]]);
    const table = await sql.run(`SELECT JSONExtractString(attributes, 'order.id') AS o FROM ${DB}.span_data FINAL WHERE parent_span_id = '' ORDER BY o`);
    expect(table.rows).toEqual([['ord-1'], ['ord-2']]);
  });

  it('answers ordinary analytics statements: CTEs, windows, lambdas, joins, unions, EXPLAIN, DESCRIBE', async () => {
    const sql = open();
    const statements = [
      'WITH roots AS (SELECT trace_id FROM spans WHERE parent_span_id IS NULL) SELECT count() FROM spans WHERE trace_id IN (SELECT trace_id FROM roots)',
      'WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) SELECT * FROM (WITH c AS (SELECT y FROM b) SELECT * FROM c)',
      'WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT sum(n) FROM r',
      'WITH t AS (SELECT trace_id FROM spans) SELECT count() FROM t UNION ALL SELECT count() FROM t',
      'SELECT name, duration_ms, row_number() OVER (PARTITION BY trace_id ORDER BY start_time) AS i, lagInFrame(name) OVER w FROM spans WINDOW w AS (ORDER BY start_ns)',
      'SELECT arrayMap(x -> x * 2, [1, 2, 3]), arrayFilter(x -> x > 1, [1, 2, 3]), arrayJoin([1, 2]) AS j',
      "SELECT quantiles(0.5, 0.95)(duration_ms), countIf(status = 'error'), uniqExactIf(trace_id, kind = 'internal'), avgOrNull(duration_ms) FROM spans",
      // the README's example
      "SELECT flow_name, quantile(0.95)(duration_ms) AS p95_ms, countIf(status = 'error') AS errors FROM executions GROUP BY flow_name ORDER BY p95_ms DESC",
      'SELECT s.name, e.status FROM spans AS s INNER JOIN executions AS e USING (trace_id) ORDER BY s.start_ns LIMIT 1 BY s.trace_id',
      'SELECT 1 AS x UNION ALL SELECT 2 EXCEPT SELECT 2', 'SELECT number, number % 3 AS k FROM numbers(10) ORDER BY k WITH FILL LIMIT 3',
      'SELECT flow_name, count() FROM executions GROUP BY flow_name WITH ROLLUP', "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, val)",
      "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'span_data' LIMIT 3",
      "SELECT toStartOfHour(start_time) AS h, count() FROM spans GROUP BY h ORDER BY h", 'SELECT * FROM generate_series(1, 3)',
      "SELECT trace_id FROM attribute_values WHERE key = 'order.id' AND value = 'ord-1'", "SELECT CAST('1' AS UInt8), toTypeName(now64(9)), version()",
      'EXPLAIN PLAN indexes = 1 SELECT count() FROM span_data WHERE trace_id = \'x\'', 'EXPLAIN PIPELINE SELECT count() FROM spans',
      'EXPLAIN SYNTAX SELECT 1', 'DESCRIBE TABLE span_data', 'DESC executions', 'DESC spans', `DESCRIBE TABLE ${DB}.log_data`, 'select 1 -- a comment',
    ];
    for (const statement of statements) {
      const result = await sql.run(statement).catch((e: Error) => { throw new Error(`${statement}: ${e.message}`); });
      expect(result.columns.length, statement).toBeGreaterThan(0);
    }
  });

  it('keeps the order of ORDER BY through its LIMIT wrap, and 64-bit integers exact', async () => {
    const result = await open().run('SELECT number, toUInt64(18446744073709551615) AS big FROM numbers(100) ORDER BY number DESC LIMIT 3');
    expect(result.rows).toEqual([['99', '18446744073709551615'], ['98', '18446744073709551615'], ['97', '18446744073709551615']]);
  });
});

describe('ClickHouse SQL console: refusals', () => {
  const families: Array<[string, string[], RegExp]> = [
    ['writes, DDL and session changes', WRITE_ATTACKS, /read statements|one statement|EXPLAIN runs over|SHOW is not|syntax|Syntax/],
    ['table functions that read files, URLs and other servers', TABLE_FUNCTION_ATTACKS, /cannot be read from|not a table|not allowed|DESCRIBE takes/],
    ['functions that read files, settings and the server, or sleep', FUNCTION_ATTACKS, /is not allowed/],
    ['tables outside this database', TABLE_ATTACKS, /not a table of this database/],
    ['limits, FORMAT, INTO OUTFILE, parameters and forged names', LIMIT_ATTACKS, /SETTINGS cannot be changed|FORMAT and INTO OUTFILE|parameters|quoted names|INTERPOLATE|WITH clauses/],
  ];
  for (const [family, attacks, why] of families) {
    it(`refuses ${family} with FT_SQL_REFUSED saying why`, async () => {
      const sql = open();
      for (const statement of attacks) {
        const error = await failure(sql, statement);
        expect([error.code, error.message], statement).toEqual([expect.stringMatching(/^FT_SQL_(REFUSED|ERROR)$/), expect.stringMatching(why)]);
        if (!/syntax|Syntax/.test(error.message)) expect(error.code, statement).toBe('FT_SQL_REFUSED');
      }
    });
  }

  it("refuses the DuckDB console's attack list too, and nothing of it reached the data or the disk", async () => {
    const sql = open();
    for (const statement of [...SQL_ATTACKS, ...STATE_ATTACKS, ...fileAttacks(`${dir}/data`)]) {
      const error = await failure(sql, statement);
      expect(error.code, statement).toMatch(/^FT_SQL_(REFUSED|ERROR)$/);
    }
    expect((await sql.run('SELECT count() FROM span_data')).rows).toEqual([['3']]);
    expect((await sql.run('SELECT count() FROM system.columns WHERE database = currentDatabase()')).rows[0][0]).not.toBe('0');
    for (const path of ['/tmp/flowtrace-attack.csv', '/tmp/flowtrace-attack.tsv', '/tmp/flowtrace-attack.parquet', '/tmp/flowtrace-attack']) {
      expect(existsSync(path), path).toBe(false);
    }
  });

  it('leaves the engine writable: its limits travel in the statement, never as session settings', async () => {
    await open().run('SELECT count() FROM spans');
    await conn.insert(t.spans, [span('c3', '4', '', 3000, {})]);
    expect((await conn.query(`SELECT count() AS n FROM ${t.spans}`))[0].n).toBe('4');
    await conn.command(`DELETE FROM ${t.spans} WHERE trace_id = {id:String}`, { id: 'c3'.padEnd(32, '0') });
  });
});

describe('ClickHouse SQL console: limits', () => {
  it('stops a statement at the time limit with FT_SQL_TIMEOUT, and answers the next one', async () => {
    const sql = open({ timeoutMs: 700 });
    const error = await failure(sql, 'SELECT count() FROM numbers_mt(1000000000000000)');
    expect(error.code).toBe('FT_SQL_TIMEOUT');
    expect((await sql.run('SELECT 1 AS one')).rows).toEqual([[1]]);
  });

  it('cuts the answer at the row cap and says so', async () => {
    const sql = open({ maxRows: 5 });
    const cut = await sql.run('SELECT number FROM numbers(1000000)');
    expect([cut.rows.length, cut.truncated]).toEqual([5, true]);
    const whole = await sql.run('SELECT number FROM numbers(5)');
    expect([whole.rows.length, whole.truncated]).toEqual([5, false]);
  });

  it('cuts the answer at the byte cap of its JSON rows and says so', async () => {
    const result = await open({ maxBytes: 10_000 }).run("SELECT repeat('x', 1000) || toString(number) AS s FROM numbers(100)");
    const bytes = result.rows.reduce((sum, row) => sum + Buffer.byteLength(JSON.stringify(row)) + 1, 0);
    expect(result.truncated).toBe(true);
    expect(result.rows.length).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(10_000);
  });

  it('stops a statement past the memory cap with FT_SQL_MEMORY', async () => {
    const error = await failure(open({}, 64 * 2 ** 20), 'SELECT length(groupArray(repeat(toString(number), 100))) FROM numbers(10000000)');
    expect(error.code).toBe('FT_SQL_MEMORY');
  });

  it('answers FT_SHUTTING_DOWN once closed', async () => {
    const sql = open();
    await sql.close();
    expect((await failure(sql, 'SELECT 1')).code).toBe('FT_SHUTTING_DOWN');
  });
});

describe('ClickHouse SQL console: the engine side', () => {
  it('refuses file reads by the run text alone (readonly = 1), were the check ever to let one through', async () => {
    const client = await consoleConnector(target, DB, 10_000)();
    try {
      const limits = { remainingMs: 5_000, maxRows: 10, maxMemoryBytes: 2 ** 28 };
      for (const statement of ["SELECT * FROM file('/etc/hostname', 'LineAsString')", 'SELECT * FROM default.`/etc/hostname`']) {
        const outcome = await client.exec({ query: selectToRun(statement, limits, []) }).then(() => 'ran', (e: { code?: string }) => e.code);
        expect(outcome, statement).toBe('164');
      }
    } finally {
      await client.close();
    }
  });

  it('allows only names this ClickHouse has, none of the refused ones, and table functions readonly = 1 allows', async () => {
    const rows = await conn.query('SELECT name, case_insensitive FROM system.functions');
    const known = new Set(rows.map((r) => String(r.name)));
    const anyCase = new Set(rows.filter((r) => Number(r.case_insensitive) === 1).map((r) => String(r.name).toLowerCase()));
    for (const name of [...SCALAR, ...AGGREGATE]) expect(known.has(name), name).toBe(true);
    for (const name of [...ANY_CASE, ...ANY_CASE_AGGREGATE]) expect(anyCase.has(name), name).toBe(true);
    for (const name of REFUSED_FUNCTIONS) expect(SCALAR.has(name) || AGGREGATE.has(name) || ANY_CASE.has(name.toLowerCase()), name).toBe(false);
    const readonly = (await conn.query('SELECT lower(name) AS n FROM system.table_functions WHERE allow_readonly')).map((r) => String(r.n));
    for (const name of ALLOWED_TABLE_FUNCTIONS) expect(readonly, name).toContain(name);
    const system = (await conn.query("SELECT name FROM system.tables WHERE database = 'system'")).map((r) => String(r.name));
    for (const name of ALLOWED_SYSTEM_TABLES) expect(system, name).toContain(name);
  });

  it("parses every statement flowtrace hands a cluster or an administrator (ClickHouse's own parser)", async () => {
    const userSql = readFileSync(new URL('../../../deploy/clickhouse/console-user.sql', import.meta.url), 'utf8')
      .replace(/^--.*$/gm, '').split(';').map((part) => part.trim()).filter(Boolean);
    const statements = [
      ...clusterDdl('flowtrace', 'flowtrace', 86_400), ...clusterTtlAlterations('flowtrace', 'flowtrace', 3_600),
      ...clusterTtlAlterations('flowtrace', 'flowtrace', undefined), ...userSql,
    ];
    expect(userSql.length).toBeGreaterThanOrEqual(3);
    for (const statement of statements) {
      const [row] = await conn.query('SELECT formatQuery({s:String}) AS f', { s: statement }).catch((e: Error) => {
        throw new Error(`${statement.slice(0, 120)}: ${e.message}`);
      });
      expect(String(row.f).length, statement.slice(0, 80)).toBeGreaterThan(0);
    }
  });
});
