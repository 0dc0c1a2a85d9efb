/**
 * Durability under SIGKILL: a collector on a database file is killed at random moments while
 * clients keep sending, and restarted on the same file each time. Every span answered with
 * 200 must be there afterwards, once; the requests that died with the process are retried.
 * In the ClickHouse run the store is a chDB directory that each restarted process opens again
 * (read through the console's views, FINAL: one row per span however many times it was stored).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli, storageArgs, type CliProcess } from '../fixtures/cli-process.js';
import { size, limitMs } from '../fixtures/stress.js';
import { duplicates, missingOf, runSql, spansPerTrace } from '../fixtures/stored.js';
import { sleep, SteadySender } from '../fixtures/traffic.js';

const KILLS = size(3, 20);
const dir = mkdtempSync(join(tmpdir(), 'ft-crash-'));
const args = ['--port', '0', '--host', '127.0.0.1', ...storageArgs(dir, 'crash'), '--sql-max-rows', '1000000'];
let cli: CliProcess | undefined;

afterAll(async () => {
  await cli?.stop('SIGKILL');
});

describe('a collector killed with SIGKILL under steady ingest', () => {
  it(`keeps every acknowledged span, once, across ${KILLS} kills and restarts on the same store`, async () => {
    cli = await startCli(args);
    const sender = new SteadySender(() => cli!.url, { service: 'crash', nodes: 4, parallel: 4 });
    const restarts: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(500 + Math.floor(Math.random() * 1500));
      await cli.stop('SIGKILL');
      const began = Date.now();
      cli = await startCli(args); // the store opens (DuckDB: WAL replayed) or this throws
      restarts.push(Date.now() - began);
    }
    await sleep(500);
    // The sender retries what got no answer, as exporters do: the collector may have committed
    // some of it before it died, and a retry must not store it twice.
    const report = await sender.stop();

    const stored = await spansPerTrace(cli.url, 'crash');
    expect(missingOf(report.acknowledged, stored)).toEqual([]);
    expect(await duplicates(cli.url)).toEqual({ spans: 0, executions: 0 });
    for (const [id, spans] of report.acknowledged) expect(stored.get(id)).toBe(spans);
    // The executions list counts them too (DuckDB's execution rows; ClickHouse's rollup, which a
    // kill between span_data's part and the rollup's leaves short until the retry completes it).
    const listed = await runSql<{ trace_id: string; span_count: number }>(cli.url, "SELECT trace_id, span_count FROM executions WHERE service_name = 'crash'");
    const counted = new Map(listed.map((r) => [r.trace_id, Number(r.span_count)]));
    expect(missingOf(report.acknowledged, counted)).toEqual([]);
    console.log(`crash: ${KILLS} kills, ${report.sent} requests, ${report.acknowledged.size} executions acknowledged, `
      + `${report.statuses.get(0) ?? 0} unanswered then retried, restart ms max ${Math.max(...restarts)}`);
    expect(report.acknowledged.size).toBeGreaterThan(KILLS * 5);
  }, limitMs(60_000, 300_000));
});
