/**
 * The SQL console's limits hold from the first byte, against a collector process on a file:
 * the time limit covers parsing, planning (where DuckDB folds constants) and running; the
 * memory a statement can make DuckDB build is bounded; the answer is capped in bytes as well
 * as rows; SIGTERM interrupts a running console query and the process stops within 5 s.
 * Memory is the child's resident size (VmHWM after a reset), so each figure is one query's.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL_EXAMPLES } from '../../../viewer/src/lib/model/sql-examples.js';
import { runCli, startCli, type CliProcess } from '../fixtures/cli-process.js';
import { api } from '../fixtures/collector.js';
import { residentBytes, resetPeak } from '../fixtures/process-memory.js';
import { seed } from '../fixtures/seed.js';

const MiB = 2 ** 20;
let cli: CliProcess;
const sql = (text: string) => api(cli.url, '/api/sql', { method: 'POST', json: { sql: text } });

/** Runs one statement and returns its answer, wall time and the child's peak growth. */
async function measured(text: string) {
  const pid = cli.child.pid!;
  resetPeak(pid);
  const before = residentBytes(pid).rss;
  const started = Date.now();
  const r = await sql(text);
  return { r, ms: Date.now() - started, growth: residentBytes(pid).peak - before };
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ft-sql-limits-'));
  const args = ['--port', '0', '--host', '127.0.0.1', '--db', join(dir, 'limits.duckdb'), '--sql-timeout', '2s'];
  cli = await startCli(args, { FLOWTRACE_SQL_MAX_BYTES: '8MiB' });
  await seed(cli.url, Array.from({ length: 3 }, (_, i) => ({ flow: 'limits', startMs: Date.now() - i * 1000 })));
});
afterAll(async () => {
  await cli?.stop('SIGKILL');
});

describe('the SQL console limits', () => {
  const folding = Array.from({ length: 12 }, (_, i) => `list_sum(range(${100_000_000 + i}))`).join(' + ');

  it('answers a statement DuckDB would fold for seconds within the time limit, without building the lists', async () => {
    const { r, ms, growth } = await measured(`SELECT ${folding}`);
    expect(r.status).toBe(400);
    expect(['FT_SQL_REFUSED', 'FT_SQL_TIMEOUT']).toContain(r.body.code);
    expect(ms).toBeLessThan(3_500);
    expect(growth).toBeLessThan(256 * MiB);
  });

  it.each([
    'SELECT list_sum(range(10000 * 10000))',
    'SELECT len(generate_series(1, 1000000000))',
    "SELECT count(*) FROM range(length(repeat('x', 2000000000)))",
    "SELECT length(lpad('x', 2000000000, 'y'))",
    "SELECT length(format('{:>2000000000}', 'x'))",
    'SELECT len(list_resize([1], 1000000000))',
    'SELECT len(list_transform(range(5000), x -> range(5000)))',
  ])('bounds what %s makes DuckDB build', async (text) => {
    const { r, ms, growth } = await measured(text);
    expect(r.status).toBe(400);
    expect(['FT_SQL_REFUSED', 'FT_SQL_TIMEOUT']).toContain(r.body.code);
    expect(ms).toBeLessThan(3_500);
    expect(growth).toBeLessThan(256 * MiB);
  });

  it('interrupts a statement whose memory grows while it runs', async () => {
    const { r, ms, growth } = await measured(
      "WITH RECURSIVE t(s, n) AS (SELECT 'x', 0 UNION ALL SELECT s || s, n + 1 FROM t WHERE n < 40) SELECT max(length(s)) FROM t",
    );
    expect(r.status).toBe(400);
    expect(ms).toBeLessThan(3_500);
    expect(growth).toBeLessThan(1536 * MiB);
  });

  it('cuts an answer at the byte cap and says it is truncated', async () => {
    const { r, growth } = await measured("SELECT repeat('x', 60000) || i AS pad FROM range(10000) t(i)");
    expect(r.status).toBe(200);
    expect(r.body.truncated).toBe(true);
    expect(r.body.rows.length).toBeGreaterThan(100);
    expect(r.body.rows.length).toBeLessThan(150);
    expect(JSON.stringify(r.body).length).toBeLessThanOrEqual(8 * MiB + 4096);
    expect(growth).toBeLessThan(512 * MiB);
  });

  it('bounds the memory of the repeat() attack of the review', async () => {
    const { r, growth } = await measured("SELECT repeat('x',524288)||i FROM range(10000) t(i)");
    expect(r.status === 400 || r.body.truncated === true).toBe(true);
    expect(growth).toBeLessThan(1024 * MiB);
  });

  it('takes --sql-max-bytes as a size and refuses one that is not', async () => {
    const bad = await runCli(['start', '--sql-max-bytes', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.output).toMatch(/--sql-max-bytes/);
  });

  it('still runs the viewer examples and ordinary analytics', async () => {
    const queries = [
      ...SQL_EXAMPLES.map((e) => e.sql),
      'SELECT trace_id, row_number() OVER (PARTITION BY flow_name ORDER BY start_time DESC) AS n, lag(duration_ms) OVER w FROM executions WINDOW w AS (ORDER BY start_time) QUALIFY n <= 2',
      "WITH f AS (SELECT flow_name, list(duration_ms ORDER BY start_time) AS d FROM executions GROUP BY ALL) SELECT flow_name, list_transform(d, x -> round(x)), list_sum(d) FROM f",
      'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT sum(n) FROM t',
      'SELECT unnest(range(10)) AS i, generate_series(1, 3)',
      "SELECT h, count(e.trace_id) FROM generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-02', INTERVAL 1 HOUR) g(h) LEFT JOIN executions e ON date_trunc('hour', e.start_time) = h GROUP BY h",
      "SELECT json_extract_string(attributes, '$.\"flow.node.id\"'), attributes->'$.x', json_keys(attributes) FROM spans LIMIT 5",
      'SELECT merged_attributes(attributes, large_attributes) FROM span_data LIMIT 1',
      'SELECT * FROM (SELECT flow_name, status FROM executions) PIVOT (count(*) FOR status IN (\'success\', \'error\'))',
      "SELECT lpad(flow_name, 20, '.'), bar(duration_ms, 0, 1000), printf('%5.1f', duration_ms), repeat('-', 10), replace(flow_name, 'l', 'L') FROM executions",
      'DESCRIBE spans', 'SHOW TABLES', 'SUMMARIZE executions', "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'",
      'SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = \'spans\'', 'VALUES (1, \'a\'), (2, \'b\')',
      'SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3', 'FROM executions SELECT flow_name LIMIT 1', 'SELECT * FROM main.spans LIMIT 1',
      "EXPLAIN SELECT count(*) FROM spans", "EXPLAIN ANALYZE SELECT count(*) FROM executions",
      "SELECT * FROM executions e, LATERAL (SELECT count(*) AS n FROM spans s WHERE s.trace_id = e.trace_id) c",
      "SELECT regexp_extract(name, '[a-z]+'), strftime(start_time, '%Y-%m-%d'), epoch_ms(start_time), coalesce(user_id, '-') FROM spans LIMIT 3",
      "SELECT approx_quantile(duration_ms, 0.5), median(duration_ms), histogram(status), string_agg(flow_name, ',') FROM executions",
      "SELECT * FROM range(5) r(i) JOIN unnest([1, 2]) u(j) ON i = j",
    ];
    const wrong: string[] = [];
    for (const q of queries) {
      const r = await sql(q);
      if (r.status !== 200) wrong.push(`${q.slice(0, 80)} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('interrupts a running console query on SIGTERM and stops within 5 s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ft-sql-sigterm-'));
    const slow = await startCli(['--port', '0', '--host', '127.0.0.1', '--db', join(dir, 'stop.duckdb'), '--sql-timeout', '60s']);
    try {
      const running = api(slow.url, '/api/sql', { method: 'POST', json: { sql: 'SELECT count(*) FROM range(1000000000000) a, range(1000000) b' } });
      await new Promise((r) => setTimeout(r, 700));
      const started = Date.now();
      const code = await slow.stop('SIGTERM');
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      const answer = await running.catch(() => undefined); // answered (503) or the connection closed
      if (answer) expect(answer.status).toBeGreaterThanOrEqual(400);
    } finally {
      await slow.stop('SIGKILL');
    }
  });
});
