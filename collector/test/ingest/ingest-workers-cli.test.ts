/**
 * `--ingest-workers` on the built command: the number it takes, ingest through the workers and
 * without them, and a stop while bodies are being decoded (they are answered, the process exits 0).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../fixtures/cli-process.js';
import { encodeTraceProtobuf, makeOtlpSpan, makeTraceRequest, strAttr } from '../fixtures/otlp.js';
import { runSql } from '../fixtures/stored.js';
import { postOtlp } from '../fixtures/traffic.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const dir = mkdtempSync(join(tmpdir(), 'ft-ingest-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A trace of `spans` spans with a 2 KB payload each: far over the inline size, a few ms to decode. */
function bigTrace(spans: number): { traceId: string; body: Uint8Array } {
  const traceId = randomBytes(16).toString('hex');
  const payload = 'p'.repeat(2_000);
  const request = makeTraceRequest(Array.from({ length: spans }, (_, i) => makeOtlpSpan({
    traceId, spanId: (i + 1).toString(16).padStart(16, '0'), attributes: [strAttr('flow.node.input', payload)],
  })));
  return { traceId, body: encodeTraceProtobuf(request) };
}

describe('flowtrace start --ingest-workers', () => {
  it('refuses a count that is not a whole number from 0 to 64', async () => {
    for (const value of ['x', '-1', '65']) {
      const { code, output } = await runCli(['start', '--ingest-workers', value]);
      expect(code, value).toBe(2);
      expect(output).toMatch(/flowtrace: .*--ingest-workers/);
    }
  });

  it.each([['0'], ['2']])('stores what it is sent with %s workers', async (workers) => {
    const cli = await startCli(['--port', '0', '--db', ':memory:', '--ingest-workers', workers]);
    try {
      const traces = [bigTrace(200), bigTrace(1)];
      const answers = await Promise.all(traces.map((t) => postOtlp(cli.url, t.body, PROTOBUF)));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const rows = await runSql<{ n: number }>(cli.url, `SELECT count(*)::INTEGER AS n FROM spans WHERE trace_id IN ('${traces[0].traceId}', '${traces[1].traceId}')`);
      expect(Number(rows[0].n)).toBe(201);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('on SIGTERM answers the bodies being decoded and exits 0, with every acknowledged one stored', async () => {
    const db = join(dir, 'stop.duckdb');
    const cli = await startCli(['--port', '0', '--db', db, '--ingest-workers', '1']);
    // 6 × 600 spans (1.2 MB each): enough to be mid-decode at the signal, small enough that the
    // stop (decode, commit, close) stays far inside the CLI's 10 s stop deadline on a loaded machine.
    const bodies = Array.from({ length: 6 }, () => bigTrace(600));
    const answers = bodies.map((t) => postOtlp(cli.url, t.body, PROTOBUF));
    // Stop once the first body has reached the collector: the others are being sent, queued or decoded.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const code = await cli.stop('SIGTERM');
    const statuses = (await Promise.all(answers)).map((a) => a.status);
    expect(code, cli.output()).toBe(0);
    expect(cli.output()).toContain('stopped');
    // Each body is either stored and acknowledged, refused as the collector stops, or never reached it.
    for (const status of statuses) expect([200, 503, 0]).toContain(status);
    const again = await startCli(['--port', '0', '--db', db, '--ingest-workers', '0']);
    try {
      const stored = await runSql<{ trace_id: string; n: number }>(again.url, 'SELECT trace_id, count(*)::INTEGER AS n FROM spans GROUP BY trace_id');
      const counts = new Map(stored.map((r) => [r.trace_id, Number(r.n)]));
      bodies.forEach((t, i) => {
        if (statuses[i] === 200) expect(counts.get(t.traceId), `trace ${i}`).toBe(600);
      });
    } finally {
      await again.stop();
    }
  });
});
