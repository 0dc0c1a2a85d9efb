/**
 * `flowtrace export`: downloads the four Parquet files from a running collector process (which
 * holds the database's lock, so nothing else could open it) into a directory, whole or not at all.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type CliProcess } from './fixtures/cli-process.js';
import { api } from './fixtures/collector.js';
import { readParquet } from './fixtures/parquet.js';
import { seed } from './fixtures/seed.js';

const TOKEN = 'cli-export-token';
const FILES = ['executions.parquet', 'logs.parquet', 'metrics.parquet', 'spans.parquet'];
const DAY1 = Date.parse('2024-05-01T08:00:00Z');
const DAY2 = Date.parse('2024-05-03T08:00:00Z');
let cli: CliProcess;
const scratch = () => mkdtempSync(join(tmpdir(), 'ft-cli-export-'));

const count = async (sql: string) => {
  const r = await api(cli.url, '/api/sql', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, json: { sql } });
  return Number(r.body.rows[0][0]);
};

beforeAll(async () => {
  cli = await startCli(['--port', '0', '--host', '127.0.0.1', '--db', join(scratch(), 'export.duckdb'), '--query-token', TOKEN]);
  await seed(cli.url, [
    { flow: 'nightly', startMs: DAY1, nodes: 4 },
    { flow: 'nightly', startMs: DAY1 + 1000, nodes: 4, fail: true },
    { flow: 'nightly', startMs: DAY2, nodes: 4 },
  ]);
});
afterAll(async () => {
  await cli?.stop();
});

describe('flowtrace export', () => {
  it('writes the four files of a running collector and says what it wrote', async () => {
    const out = join(scratch(), 'dump');
    const r = await runCli(['export', '--out', out, '--url', cli.url, '--token', TOKEN]);
    expect(r.code, r.output).toBe(0);
    expect(readdirSync(out).sort()).toEqual(FILES);
    const spans = await readParquet(join(out, 'spans.parquet'));
    expect(spans.rows).toHaveLength(await count('SELECT count(*) FROM spans'));
    expect(spans.rows).toHaveLength(15);
    expect((await readParquet(join(out, 'executions.parquet'))).rows).toHaveLength(3);
    expect(r.output).toMatch(/spans\.parquet\s+15 rows\s+[\d.]+ KiB/);
    expect(r.output).toMatch(/executions\.parquet\s+3 rows/);
  });

  it('takes --from and --to, and the token from FLOWTRACE_QUERY_TOKEN', async () => {
    const out = scratch();
    const r = await runCli(['export', '--out', out, '--url', cli.url, '--from', '2024-05-01T00:00:00Z', '--to', String(DAY1 + 3_600_000)], { FLOWTRACE_QUERY_TOKEN: TOKEN });
    expect(r.code, r.output).toBe(0);
    expect((await readParquet(join(out, 'executions.parquet'))).rows).toHaveLength(2);
    expect((await readParquet(join(out, 'spans.parquet'))).rows).toHaveLength(10);
    expect(r.output).toContain('2024-05-01T00:00:00Z');
  });

  it('exits non-zero with the collector\'s answer when it refuses, and writes nothing', async () => {
    const out = scratch();
    const noToken = await runCli(['export', '--out', out, '--url', cli.url]);
    expect(noToken.code).not.toBe(0);
    expect(noToken.output).toMatch(/401.*FT_UNAUTHORIZED/);
    expect(noToken.output).toMatch(/--token|FLOWTRACE_QUERY_TOKEN/);
    const badRange = await runCli(['export', '--out', out, '--url', cli.url, '--token', TOKEN, '--from', 'last tuesday']);
    expect(badRange.code).not.toBe(0);
    expect(badRange.output).toMatch(/400.*FT_BAD_FILTER.*from/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('exits non-zero saying the collector cannot be reached when nothing listens', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const out = join(scratch(), 'never');
    const r = await runCli(['export', '--out', out, '--url', `http://127.0.0.1:${port}`, '--token', TOKEN]);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(`cannot reach the collector at http://127.0.0.1:${port}`);
    expect(r.output).toMatch(/ECONNREFUSED/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('refuses to run without --out', async () => {
    const r = await runCli(['export', '--url', cli.url]);
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/--out/);
  });
});
