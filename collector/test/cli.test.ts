/** The flowtrace command: options, environment, clean stop, and a database that outlives it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, onClickHouse } from './fixtures/collector.js';
import { runCli, startCli, storageArgs, storageEnv } from './fixtures/cli-process.js';
import { seed } from './fixtures/seed.js';

const dir = mkdtempSync(join(tmpdir(), 'ft-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flowtrace start', () => {
  it('prints where it listens, and stops on SIGTERM with what it acknowledged on disk', async () => {
    // The store of this run's engine (test/fixtures/cli-process.ts), as options, then as environment.
    const where = onClickHouse ? /\(clickhouse chdb:\S+cli\.chdb, database cli\)/ : /\(database \S+cli\.duckdb\)/;
    const first = await startCli(['--port', '0', ...storageArgs(dir, 'cli')]);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.output()).toMatch(where);
    const [execution] = await seed(first.url, [{ flow: 'persisted', startMs: Date.now() - 500 }]);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toContain('stopped');

    const second = await startCli(['--port', '0'], storageEnv(dir, 'cli'));
    expect(second.output()).toMatch(where);
    const detail = await api(second.url, `/api/executions/${execution.traceId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.spans).toHaveLength(4);
    expect(await second.stop('SIGINT')).toBe(0);
  });

  // Engine-independent, or DuckDB's (:memory:, compact): run in the DuckDB run only.
  it.skipIf(onClickHouse)('takes its port and host from FLOWTRACE_* and runs on :memory:', async () => {
    const probe = await startCli(['--port', '0', '--db', ':memory:']);
    const port = new URL(probe.url).port;
    await probe.stop();
    const cli = await startCli([], { FLOWTRACE_PORT: port, FLOWTRACE_HOST: '127.0.0.1', FLOWTRACE_DB: ':memory:' });
    expect(cli.url).toBe(`http://127.0.0.1:${port}`);
    expect((await api(cli.url, '/healthz')).status).toBe(200);
    await cli.stop();
  });

  it.skipIf(onClickHouse)('refuses bad options with a message and exit code 2', async () => {
    for (const args of [['start', '--port', 'abc'], ['start', '--retention', 'forever'], ['launch'], ['start', '--nope']]) {
      const { code, output } = await runCli(args);
      expect(code).toBe(2);
      expect(output).toMatch(/flowtrace: /);
      expect(output).toContain('Usage: flowtrace start');
    }
  });
});

describe.skipIf(onClickHouse)('flowtrace compact (a DuckDB file)', () => {
  it('refuses a database a running collector holds, and compacts it once stopped', async () => {
    const db = join(dir, 'compact.duckdb');
    const running = await startCli(['--port', '0', '--db', db]);
    const [execution] = await seed(running.url, [{ flow: 'kept', startMs: Date.now() - 500 }]);
    const refused = await runCli(['compact', '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('stop the collector first');
    expect(await running.stop()).toBe(0);

    const done = await runCli(['compact', '--db', db]);
    expect(done.output).toMatch(/compacted .* MiB → .* MiB in/);
    expect(done.code).toBe(0);
    const again = await startCli(['--port', '0', '--db', db]);
    expect((await api(again.url, `/api/executions/${execution.traceId}`)).body.spans).toHaveLength(4);
    await again.stop();
  });

  it('says so when there is no database file', async () => {
    const missing = await runCli(['compact', '--db', join(dir, 'none.duckdb')]);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('no database file at');
  });
});
