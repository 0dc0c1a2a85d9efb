/**
 * Retention covers metric points too: past --retention they age out by their own time, and
 * under --max-db-size they are deleted oldest first with executions and orphan lines, so a
 * metrics sender cannot grow the file past its cap.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { duckdbOf } from '../../src/storage/duckdb-storage.js';
import { startTestCollector } from '../fixtures/collector.js';
import { encodeMetricsProtobuf, makeGauge, makeMetricsRequest, makePoint } from '../fixtures/otlp-metrics.js';
import { strAttr } from '../fixtures/otlp.js';
import { runSql } from '../fixtures/stored.js';
import { postOtlp } from '../fixtures/traffic.js';

const HOUR = 3_600_000;
const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);

let server: RunningServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = dir = undefined;
});

/** A gauge request of `points` points at `ms`, each with its own attribute (and `pad` bytes of it). */
function gaugeBody(name: string, ms: number, points: number, pad = 0): Uint8Array {
  const dataPoints = Array.from({ length: points }, (_, i) => makePoint({
    attributes: [strAttr('i', `${i}-${randomBytes(pad).toString('base64')}`)], startTimeUnixNano: ns(ms - 1000), timeUnixNano: ns(ms), asDouble: i,
  }));
  return encodeMetricsProtobuf(makeMetricsRequest([makeGauge(name, dataPoints)]));
}

async function postMetrics(base: string, body: Uint8Array): Promise<void> {
  expect((await postOtlp(base, body, undefined, 'metrics')).status).toBe(200);
}

describe('retention of metric points', () => {
  it('deletes points older than --retention by their own time and keeps younger ones', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ft-metrics-ret-'));
    server = await startTestCollector({ dbPath: join(dir, 'db.duckdb'), retention: { maxAgeMs: 2 * HOUR, intervalMs: HOUR } });
    await postMetrics(server.url, gaugeBody('old.gauge', Date.now() - 3 * HOUR, 5));
    await postMetrics(server.url, gaugeBody('young.gauge', Date.now() - 60_000, 3));
    const run = await server.storage.retention.runOnce();
    const left = await runSql<{ name: string; n: number }>(server.url, 'SELECT name, count(*)::INTEGER AS n FROM metrics GROUP BY name ORDER BY name');
    expect(left).toEqual([{ name: 'young.gauge', n: 3 }]);
    expect(run.deletedMetricPoints).toBe(5);
  });

  it('deletes the oldest points under --max-db-size until the database is within the cap', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ft-metrics-ret-'));
    const cap = 4 * 2 ** 20;
    server = await startTestCollector({ dbPath: join(dir, 'db.duckdb'), retention: { maxBytes: cap, intervalMs: HOUR } });
    // Passes run only when the test says so (the cap is otherwise watched 4 times a second).
    duckdbOf(server.storage).retention.stop();
    const start = Date.now() - HOUR;
    for (let i = 0; i < 40; i++) await postMetrics(server.url, gaugeBody(`g${String(i).padStart(2, '0')}`, start + i * 60_000, 250, 600));
    // One pass deletes at most half of what it may: passes go on until the cap holds (bounded).
    const first = await server.storage.retention.runOnce();
    expect(first.usedBytesBefore).toBeGreaterThan(cap);
    expect(first.deletedMetricPoints).toBeGreaterThan(0);
    let last = first;
    for (let pass = 0; pass < 8 && last.usedBytesAfter > cap; pass++) last = await server.storage.retention.runOnce();
    expect(last.usedBytesAfter).toBeLessThanOrEqual(cap);
    // The oldest went first: what is left is the newest names.
    const names = (await runSql<{ name: string }>(server.url, 'SELECT DISTINCT name FROM metrics ORDER BY name')).map((r) => r.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.at(-1)).toBe('g39');
    expect(names).not.toContain('g00');
  });
});
