/**
 * The write-ahead log grows with the data, not faster. Payload spans sent one request at a time
 * (each its own commit) once made DuckDB log, at every commit, bytes in proportion to the list
 * rows written since the last checkpoint (large attributes in a VARCHAR[] column): 600
 * one-span requests with a 300-character attribute, 427 KiB sent, left a 55 MiB WAL. The WAL
 * is measured before any checkpoint (the default threshold is 256MB), so what it holds is
 * what the commits logged.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestCollector } from '../fixtures/collector.js';
import { encodeTraceProtobuf, makeOtlpSpan, makeTraceRequest, strAttr } from '../fixtures/otlp.js';
import { runSql } from '../fixtures/stored.js';
import { postOtlp } from '../fixtures/traffic.js';

const REQUESTS = 600;
/** WAL bytes per byte sent, at most: linear growth stays near 1–2 whatever the count of requests; quadratic growth was ~130 here. */
const MAX_WAL_PER_BYTE_SENT = 8;

describe('the write-ahead log under payload spans sent one request at a time', () => {
  let dir: string;
  let server: RunningServer;
  const traceId = randomBytes(16).toString('hex');
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowtrace-wal-'));
    server = await startTestCollector({ dbPath: join(dir, 'wal.duckdb') });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`grows in proportion to the bytes sent over ${REQUESTS} requests with a 300-character attribute`, async () => {
    let sent = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const span = makeOtlpSpan({
        traceId, spanId: randomBytes(8).toString('hex'),
        attributes: [strAttr('flow.node.input', `${i}:`.padEnd(300, 'x')), strAttr('i', String(i))],
      });
      const body = encodeTraceProtobuf(makeTraceRequest([span]));
      sent += body.length;
      const answer = await postOtlp(server.url, body);
      expect(answer.status).toBe(200);
    }
    const wal = statSync(join(dir, 'wal.duckdb.wal')).size;
    console.log(`WAL ${wal} bytes after ${sent} bytes sent in ${REQUESTS} requests: ${(wal / sent).toFixed(2)} WAL bytes per byte sent`);
    expect(wal / sent).toBeLessThan(MAX_WAL_PER_BYTE_SENT);
    // Every payload is stored and read back whole.
    const [row] = await runSql<{ n: number; ok: number }>(server.url, `SELECT count(*)::INTEGER AS n,
      count(*) FILTER (WHERE length(attributes->>'$."flow.node.input"') = 300)::INTEGER AS ok FROM spans WHERE trace_id = '${traceId}'`);
    expect(row).toEqual({ n: REQUESTS, ok: REQUESTS });
  }, 120_000);
});
