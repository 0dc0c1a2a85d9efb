/**
 * Retention in a long run: a collector process with a size cap keeps taking executions with
 * payloads; the database stays bounded, ingest goes on while retention deletes, and an
 * execution that is still running (known only from its start mark) is never deleted.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api } from '../fixtures/collector.js';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';
import { encodeLogsProtobuf, encodeTraceProtobuf, makeLogsRequest, makeStartMark, strAttr } from '../fixtures/otlp.js';
import { executionRequest } from '../fixtures/seed.js';
import { limitMs, size } from '../fixtures/stress.js';
import { postOtlp } from '../fixtures/traffic.js';

const dir = mkdtempSync(join(tmpdir(), 'ft-retention-run-'));
let cli: CliProcess | undefined;
afterAll(async () => {
  await cli?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const PACE_MS = 20;
const fileBytes = (path: string) => statSync(path).size + (existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0);

describe('a collector with a size cap under steady ingest', () => {
  it('keeps the database bounded and never deletes a running execution', async () => {
    const db = join(dir, 'db.duckdb');
    const cap = 8 * 1024 * 1024;
    cli = await startCli(['--port', '0', '--db', db, '--max-db-size', '8MB', '--retention-interval', '1s']);
    const runningTrace = randomBytes(16).toString('hex');
    const mark = makeStartMark('forever', { traceId: runningTrace, spanId: randomBytes(8).toString('hex'), timeUnixNano: String(BigInt(Date.now() - 3_600_000) * 1_000_000n) }, [
      strAttr('flowtrace.span.parent_id', ''),
      strAttr('flow.name', 'still-running'),
      strAttr('flow.execution.kind', 'flow'),
    ]);
    expect((await postOtlp(cli.url, encodeLogsProtobuf(makeLogsRequest([mark])), undefined, 'logs')).status).toBe(200);

    const seconds = size(15, 120);
    const started = Date.now();
    const until = started + seconds * 1000;
    const sizes: number[] = [];
    let acknowledged = 0;
    // Steady: one execution (~27 KB of payload) every 20 ms at most. Sent as fast as the
    // machine allows, the growth between two retention passes (and so the file's peak)
    // depended on the machine's speed: 31–40 MB on the same code.
    for (let sent = 0; Date.now() < until; sent += 1) {
      const due = started + sent * PACE_MS;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const { request } = executionRequest({
        flow: 'payloads', nodes: 20, startMs: Date.now() - 100,
        extraRootAttributes: [strAttr('flow.input', randomBytes(20_000).toString('base64'))],
      });
      const answer = await postOtlp(cli.url, encodeTraceProtobuf(request));
      if (answer.status === 200) acknowledged += 1;
      sizes.push(fileBytes(db));
    }
    const executions = (await api(cli.url, '/api/sql', { method: 'POST', json: { sql: "SELECT count(*) FROM executions WHERE flow_name = 'payloads'" } })).body.rows[0][0];
    console.log(`retention run: ${acknowledged} executions acknowledged in ${seconds} s, ${executions} kept, file ${(Math.max(...sizes) / 1e6).toFixed(1)} MB at most (cap ${cap / 1e6} MB)`);
    expect(acknowledged).toBeGreaterThan(50);
    expect(Number(executions)).toBeLessThan(acknowledged);
    expect(Math.max(...sizes.slice(Math.floor(sizes.length / 2)))).toBeLessThan(cap * 4);
    const running = await api(cli.url, `/api/executions/${runningTrace}`);
    expect(running.status).toBe(200);
    expect(running.body.execution.status).toBe('running');
  }, limitMs(60_000, 240_000));
});
