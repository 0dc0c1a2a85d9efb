/**
 * Retention of log lines that belong to no stored execution (no trace id, or a trace id whose
 * spans never came): they age out by their own time under --retention, and under
 * --max-db-size they are deleted oldest first along with executions, so a sender of such lines
 * can neither grow the file past its cap nor make retention delete every execution instead.
 * A retention pass that fails is counted in /metrics, not dropped.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { duckdbOf } from '../../src/storage/duckdb-storage.js';
import { api, eventually, startTestCollector } from '../fixtures/collector.js';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';
import { encodeLogsProtobuf, encodeTraceProtobuf, makeLogRecord, makeLogsRequest, type JsonRecord } from '../fixtures/otlp.js';
import { executionRequest } from '../fixtures/seed.js';
import { runSql } from '../fixtures/stored.js';
import { limitMs, size } from '../fixtures/stress.js';
import { postOtlp } from '../fixtures/traffic.js';

const HOUR = 3_600_000;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);
const fileBytes = (path: string) => statSync(path).size + (existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0);

let server: RunningServer | undefined;
let cli: CliProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  await cli?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = cli = dir = undefined;
});

/** A line with no trace id ('') or one of a trace whose spans never arrive. */
function orphanLine(ms: number, body: string, traceId = '', observedOnly = false): JsonRecord {
  return makeLogRecord({ traceId, spanId: traceId ? hex(8) : '', body: { stringValue: body }, timeUnixNano: observedOnly ? '0' : ns(ms), observedTimeUnixNano: ns(ms) });
}

async function postLogs(base: string, records: JsonRecord[]): Promise<void> {
  expect((await postOtlp(base, encodeLogsProtobuf(makeLogsRequest(records)), undefined, 'logs')).status).toBe(200);
}

async function bodiesStored(base: string): Promise<string[]> {
  return (await runSql<{ body: string }>(base, 'SELECT body FROM log_data ORDER BY body')).map((r) => r.body);
}

describe('retention of log lines without an execution', () => {
  it('deletes them by their own time under --retention, and keeps the lines of a stored execution', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ft-orphans-'));
    server = await startTestCollector({ dbPath: join(dir, 'db.duckdb'), retention: { maxAgeMs: 2 * HOUR, intervalMs: HOUR } });
    const old = Date.now() - 3 * HOUR;
    const { request, execution } = executionRequest({ flow: 'young', startMs: Date.now() - 60_000 });
    expect((await postOtlp(server.url, encodeTraceProtobuf(request))).status).toBe(200);
    await postLogs(server.url, [
      orphanLine(old, 'old, no trace'),
      orphanLine(old, 'old, trace without spans', hex(16)),
      orphanLine(old, 'old, observed time only', hex(16), true),
      orphanLine(Date.now() - 60_000, 'young, no trace'),
      orphanLine(Date.now() - 60_000, 'young, trace without spans', hex(16)),
      orphanLine(old, 'old line of a young execution', execution.traceId),
    ]);
    await server.storage.retention.runOnce();
    expect(await bodiesStored(server.url)).toEqual(['old line of a young execution', 'young, no trace', 'young, trace without spans']);
  });

  it('counts a retention pass that fails in /metrics instead of dropping it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ft-orphans-'));
    server = await startTestCollector({ dbPath: join(dir, 'db.duckdb'), retention: { maxAgeMs: HOUR, intervalMs: 100 } });
    const failures = async () => Number(/^flowtrace_retention_failures_total (\d+)$/m.exec((await api<string>(server!.url, '/metrics')).body)?.[1] ?? NaN);
    expect(await failures()).toBe(0);
    // A table retention needs is gone: every pass fails until it is back.
    await duckdbOf(server.storage).writer.exclusive((c) => c.run('ALTER TABLE log_data RENAME TO log_data_away'));
    try {
      await eventually(async () => (await failures()) >= 1, 5_000);
    } finally {
      await duckdbOf(server.storage).writer.exclusive((c) => c.run('ALTER TABLE log_data_away RENAME TO log_data'));
    }
    expect(server.storage.retention.stats.lastError).toMatch(/log_data/);
  });

  it('keeps the file within twice --max-db-size while they keep arriving, and keeps executions', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ft-orphans-run-'));
    const db = join(dir, 'db.duckdb');
    const cap = 8 * 1024 * 1024;
    cli = await startCli(['--port', '0', '--db', db, '--max-db-size', '8MB', '--retention-interval', '1s', '--sql-max-rows', '100000']);
    const seconds = size(20, 120);
    const started = Date.now();
    const sizes: number[] = [];
    let lines = 0;
    // 40 requests a second at most, each 50 lines of 1 KB that do not compress (2 MB/s), half
    // without a trace id and half of traces whose spans never come; an execution every 10th.
    for (let sent = 0; Date.now() < started + seconds * 1000; sent += 1) {
      const due = started + sent * 25;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const records = Array.from({ length: 50 }, (_, i) => orphanLine(Date.now(), randomBytes(768).toString('base64'), i % 2 ? hex(16) : ''));
      if ((await postOtlp(cli.url, encodeLogsProtobuf(makeLogsRequest(records)), undefined, 'logs')).status === 200) lines += records.length;
      if (sent % 10 === 0) await postOtlp(cli.url, encodeTraceProtobuf(executionRequest({ flow: 'steady', startMs: Date.now() - 50 }).request));
      sizes.push(fileBytes(db));
    }
    const [kept] = await runSql<{ logs: number; executions: number }>(cli.url, 'SELECT (SELECT count(*) FROM log_data)::INTEGER AS logs, (SELECT count(*) FROM execution_data)::INTEGER AS executions');
    const peak = Math.max(...sizes.slice(Math.floor(sizes.length / 2)));
    console.log(`orphan-log run: ${lines} lines acknowledged in ${seconds} s, ${kept.logs} lines and ${kept.executions} executions kept, file ${(peak / 2 ** 20).toFixed(1)} MiB at most in the second half (cap ${cap / 2 ** 20} MiB)`);
    expect(lines).toBeGreaterThan(5_000);
    expect(Number(kept.logs)).toBeLessThan(lines);
    expect(Number(kept.executions)).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(2 * cap);
  }, limitMs(60_000, 240_000));
});
