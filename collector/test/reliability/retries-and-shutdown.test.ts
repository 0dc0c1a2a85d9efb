/**
 * Exporter retries and graceful shutdown against a collector process: a batch sent 2–5 times
 * (one after another, or at once so the copies meet in one group commit, in either encoding)
 * is stored once; SIGTERM during ingest commits what was acknowledged, answers the rest with
 * 503, and exits 0. In the ClickHouse run (test/fixtures/cli-process.ts storageArgs) "once" is
 * what every reader sees: the console's views read FINAL, one row per span and line.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, storageArgs, type CliProcess } from '../fixtures/cli-process.js';
import { encodeJson, encodeLogsProtobuf, makeLogRecord, makeLogsRequest, strAttr } from '../fixtures/otlp.js';
import { executionRequest } from '../fixtures/seed.js';
import { limitMs, size } from '../fixtures/stress.js';
import { duplicates, missingOf, runSql, spansPerTrace } from '../fixtures/stored.js';
import { postOtlp, sleep, SteadySender } from '../fixtures/traffic.js';
import { encodeTraceProtobuf } from '../fixtures/otlp.js';

const BATCHES = size(60, 1000);
const dir = mkdtempSync(join(tmpdir(), 'ft-retry-'));
const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

describe('a batch sent again and again, as exporters do after a timeout', () => {
  let cli: CliProcess;
  beforeAll(async () => {
    cli = await startCli(['--port', '0', '--host', '127.0.0.1', ...storageArgs(dir, 'retries'), '--sql-max-rows', '1000000']);
  });
  afterAll(async () => {
    await cli?.stop();
  });

  it(`stores each of ${BATCHES} batches once when each is sent 2 to 5 times, in turn or at once, as protobuf or JSON`, async () => {
    const expected = new Map<string, number>();
    let copies = 0;
    for (let i = 0; i < BATCHES; i++) {
      const executions = [0, 1, 2].map(() => executionRequest({ flow: 'retried', service: 'retries', nodes: 3, startMs: Date.now() - 1000 }));
      const spans = executions.flatMap((e) => (e.request.resourceSpans as any)[0].scopeSpans[0].spans);
      const request = { resourceSpans: [{ resource: { attributes: [strAttr('service.name', 'retries')] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] };
      for (const e of executions) expected.set(e.execution.traceId, 4);
      const times = 2 + (i % 4);
      copies += times;
      const send = (k: number) => (k % 2 === 0 ? postOtlp(cli.url, encodeTraceProtobuf(request), PROTOBUF) : postOtlp(cli.url, encodeJson(request), JSON_TYPE));
      const answers = i % 2 === 0
        ? await Promise.all(Array.from({ length: times }, (_, k) => send(k)))
        : await sequential(times, send);
      expect(answers.map((a) => a.status)).toEqual(Array(times).fill(200));
    }
    const stored = await spansPerTrace(cli.url, 'retries');
    expect(stored.size).toBe(expected.size);
    expect(missingOf(expected, stored)).toEqual([]);
    expect([...stored.values()].every((n) => n === 4)).toBe(true);
    expect(await duplicates(cli.url)).toEqual({ spans: 0, executions: 0 });
    console.log(`retries: ${BATCHES} batches, ${copies} requests, ${stored.size} executions stored once`);
  }, limitMs(60_000, 600_000));

  it('stores console lines once when their batch is sent 2 to 5 times', async () => {
    const { execution } = executionRequest({ flow: 'logged', service: 'retries-logs', startMs: Date.now() });
    const records = Array.from({ length: 20 }, (_, i) => makeLogRecord({ traceId: execution.traceId, spanId: execution.rootSpanId, body: { stringValue: `line ${i}` } }));
    const body = encodeLogsProtobuf(makeLogsRequest(records));
    const answers = await Promise.all(Array.from({ length: 5 }, () => postOtlp(cli.url, body, PROTOBUF, 'logs')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    for (let i = 0; i < 3; i++) expect((await postOtlp(cli.url, body, PROTOBUF, 'logs')).status).toBe(200);
    const [row] = await runSql<{ n: number }>(cli.url, `SELECT count(*)::INTEGER AS n FROM logs WHERE trace_id = '${execution.traceId}'`);
    expect(Number(row.n)).toBe(20);
  });
});

async function sequential<T>(times: number, send: (k: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let k = 0; k < times; k++) out.push(await send(k));
  return out;
}

describe('SIGTERM while clients are sending', () => {
  it('commits every acknowledged span, answers the rest with 503 or not at all, and exits 0', async () => {
    const rounds = size(2, 10);
    const args = ['--port', '0', '--host', '127.0.0.1', ...storageArgs(dir, 'sigterm'), '--sql-max-rows', '1000000'];
    const acknowledged = new Map<string, number>();
    const statuses = new Map<number, number>();
    for (let round = 0; round < rounds; round++) {
      const cli = await startCli(args);
      const sender = new SteadySender(() => cli.url, { service: 'sigterm', nodes: 4, parallel: 8, maxAttempts: 1 });
      await sleep(800 + Math.random() * 700);
      const exit = cli.stop('SIGTERM');
      // Keep sending through the shutdown: answers are 200 (committed) or 503 until the port closes.
      expect(await exit).toBe(0);
      const report = await sender.stop();
      for (const [id, n] of report.acknowledged) acknowledged.set(id, n);
      for (const [status, n] of report.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
      expect(cli.output()).toContain('flowtrace: stopped');
    }
    expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503 && s !== 0)).toEqual([]);
    const after = await startCli(args);
    try {
      const stored = await spansPerTrace(after.url, 'sigterm');
      expect(missingOf(acknowledged, stored)).toEqual([]);
      expect(await duplicates(after.url)).toEqual({ spans: 0, executions: 0 });
    } finally {
      await after.stop();
    }
    console.log(`sigterm: ${rounds} rounds, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${acknowledged.size} acknowledged executions all stored`);
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
  }, limitMs(60_000, 300_000));
});
