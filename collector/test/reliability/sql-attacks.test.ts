/**
 * The SQL console under attack, against a collector process on a database file: every
 * statement of the attack lists is refused with a message, touches no file (the database's
 * own file and WAL included), changes nothing in the database or the process (ingest, health
 * and a clean SIGTERM still work after them); a query that would run forever is interrupted at
 * the limit; one that would return millions of rows is cut at the cap.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';
import { api } from '../fixtures/collector.js';
import { seed } from '../fixtures/seed.js';
import { exportDirectoryAttacks, fileAttacks, SQL_ATTACKS, STATE_ATTACKS } from '../fixtures/sql-attacks.js';

let cli: CliProcess;
let dbPath: string;
const sql = (text: string) => api(cli.url, '/api/sql', { method: 'POST', json: { sql: text } });

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ft-sql-'));
  dbPath = join(dir, 'sql.duckdb');
  cli = await startCli(['--port', '0', '--host', '127.0.0.1', '--db', dbPath, '--sql-timeout', '2s', '--sql-max-rows', '10000']);
  await seed(cli.url, Array.from({ length: 5 }, (_, i) => ({ flow: 'attacked', startMs: Date.now() - i * 1000 })));
});
afterAll(async () => {
  await cli?.stop();
});

describe('the SQL console under attack', () => {
  it(`refuses each of ${SQL_ATTACKS.length} attacks with a message and leaves the data and settings as they were`, async () => {
    const wrong: string[] = [];
    for (const attack of SQL_ATTACKS) {
      const r = await sql(attack);
      const refused = r.status === 400 && /^FT_SQL_(REFUSED|ERROR)$/.test(String(r.body?.code)) && String(r.body?.message).length > 10;
      if (!refused) wrong.push(`${attack} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    for (const file of ['flowtrace-attack.csv', 'flowtrace-attack.parquet', 'flowtrace-attack-export', 'flowtrace-attack.duckdb']) {
      expect(existsSync(join('/tmp', file)), file).toBe(false);
    }
    const after = await sql('SELECT (SELECT count(*) FROM spans)::INTEGER');
    expect(after.body.rows[0]).toEqual([20]);
  });

  it(`refuses each of ${STATE_ATTACKS.length} statements that change logging, profiling, checkpoints or settings, before DuckDB runs them`, async () => {
    const wrong: string[] = [];
    for (const attack of STATE_ATTACKS) {
      const r = await sql(attack);
      if (r.status !== 400 || r.body?.code !== 'FT_SQL_REFUSED') wrong.push(`${attack} → ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect(existsSync('/tmp/flowtrace-attack-log')).toBe(false);
    // What enable_logging(storage='file') broke: ingest, the API and health must still answer.
    await seed(cli.url, [{ flow: 'after-attacks', startMs: Date.now() }]);
    const count = await sql("SELECT count(*)::INTEGER FROM executions WHERE flow_name = 'after-attacks'");
    expect(count.status).toBe(200);
    expect(count.body.rows).toEqual([[1]]);
    expect((await api(cli.url, '/api/executions')).status).toBe(200);
    expect((await api(cli.url, '/healthz')).body.status).toBe('ok');
  });

  it('refuses every read of a file, the database file, its WAL and temporary directory included, whatever the spelling', async () => {
    const attacks = fileAttacks(dbPath);
    const wrong: string[] = [];
    for (const attack of attacks) {
      const r = await sql(attack);
      if (r.status !== 400 || r.body?.code !== 'FT_SQL_REFUSED') wrong.push(`${attack} → ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses every read, listing or write of the Parquet export directory, before and while an export uses it', async () => {
    const exportDir = `${dbPath}.exports`;
    expect(existsSync(exportDir)).toBe(true); // the directory the database may write exports to
    const attacks = exportDirectoryAttacks(exportDir);
    const exporting = Array.from({ length: 4 }, (_, i) => fetch(`${cli.url}/api/export/${i % 2 ? 'spans' : 'logs'}.parquet`).then((r) => r.arrayBuffer().then(() => r.status)));
    const wrong: string[] = [];
    for (const attack of attacks) {
      const r = await sql(attack);
      if (r.status !== 400 || r.body?.code !== 'FT_SQL_REFUSED') wrong.push(`${attack} → ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect((await Promise.all(exporting)).every((status) => status === 200 || status === 503)).toBe(true);
    expect(readdirSync(exportDir)).toEqual([]);
    expect(existsSync(join(exportDir, '..', 'attack.csv'))).toBe(false);
  });

  it('interrupts a query that would run forever at the time limit', async () => {
    const started = Date.now();
    const r = await sql('SELECT count(*) FROM range(1000000000000) a, range(1000000) b');
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('FT_SQL_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(8_000);
    expect((await sql('SELECT 1 AS ok')).status).toBe(200); // the connection is usable again
  });

  it('cuts a query of millions of rows at the row cap, quickly', async () => {
    const started = Date.now();
    const r = await sql("SELECT range AS n, repeat('x', 100) AS pad FROM range(50000000)");
    expect(r.status).toBe(200);
    expect(r.body.rows).toHaveLength(10_000);
    expect(r.body.truncated).toBe(true);
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('answers other clients while long queries run on every console connection', async () => {
    const slow = Array.from({ length: 4 }, () => sql('SELECT count(*) FROM range(1000000000000) a, range(1000000) b'));
    const started = Date.now();
    const list = await api(cli.url, '/api/executions');
    expect(list.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await Promise.all(slow)).map((r) => r.body.code)).toEqual(Array(4).fill('FT_SQL_TIMEOUT'));
  });

  it('still runs EXPLAIN ANALYZE of a read', async () => {
    const r = await sql("EXPLAIN ANALYZE SELECT count(*) FROM spans WHERE name <> 'delete'");
    expect(r.status).toBe(200);
  });

  it('stops cleanly within 5 s on SIGTERM after all the attacks', async () => {
    const started = Date.now();
    const code = await cli.stop('SIGTERM');
    // On a failure, what the collector said while stopping (it names the phase that hung).
    const said = cli.output().split('\n').filter((line) => line.startsWith('flowtrace:')).slice(-5).join('\n');
    expect(code, said).toBe(0);
    expect(Date.now() - started, said).toBeLessThan(5_000);
  });
});
