/**
 * (trace id, span id) is a span's identity, whatever its times: a retry that carries another
 * start time (a sender that re-stamps, a clock that moved) is stored once, a late start mark of
 * a stored span does not bring it back as running, and this holds when the writer's memory of
 * recent keys has long forgotten the first copy.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector } from '../fixtures/collector.js';
import { encodeJson, encodeLogsProtobuf, makeLogsRequest, makeOtlpSpan, makeStartMark, makeTraceRequest } from '../fixtures/otlp.js';
import { makeSpanRow, newSpanId, newTraceId, ns } from '../fixtures/rows.js';
import { runSql } from '../fixtures/stored.js';
import { postOtlp } from '../fixtures/traffic.js';
import { openStorage, type Storage } from '../../src/storage/index.js';
import type { RunningServer } from '../../src/server.js';

const hex = (n: number) => randomBytes(n).toString('hex');
const JSON_TYPE = { 'content-type': 'application/json' };
const HOUR_NS = 3_600_000_000_000n;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

function spanAt(traceId: string, spanId: string, startNs: bigint) {
  return makeOtlpSpan({ traceId, spanId, parentSpanId: '', startTimeUnixNano: String(startNs), endTimeUnixNano: String(startNs + 1_000_000n) });
}

async function rowsOf(base: string, traceId: string): Promise<Array<{ span_id: string; status: string }>> {
  return runSql(base, `SELECT span_id, status FROM spans WHERE trace_id = '${traceId}' ORDER BY span_id`);
}

describe('a span sent again with other times', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestCollector({ sqlMaxRows: 1_000_000 });
  });
  afterAll(async () => {
    await server?.close();
  });

  const shifts: Array<[string, bigint]> = [
    ['an hour later', HOUR_NS], ['an hour earlier', -HOUR_NS], ['a day later', 24n * HOUR_NS], ['a millisecond later', 1_000_000n],
  ];
  for (const [what, shift] of shifts) {
    it(`is stored once when the retry starts ${what}`, async () => {
      const traceId = hex(16);
      const spanId = hex(8);
      const t0 = nowNs() - 2n * HOUR_NS;
      expect((await postOtlp(server.url, encodeJson(makeTraceRequest([spanAt(traceId, spanId, t0)])), JSON_TYPE)).status).toBe(200);
      expect((await postOtlp(server.url, encodeJson(makeTraceRequest([spanAt(traceId, spanId, t0 + shift)])), JSON_TYPE)).status).toBe(200);
      expect(await rowsOf(server.url, traceId)).toHaveLength(1);
      const [execution] = await runSql<{ span_count: number }>(server.url, `SELECT span_count FROM executions WHERE trace_id = '${traceId}'`);
      expect(Number(execution.span_count)).toBe(1);
    });
  }

  it('is stored once when a retry with another start comes in the same request as a new span of its trace', async () => {
    const traceId = hex(16);
    const spanId = hex(8);
    const t0 = nowNs() - HOUR_NS;
    await postOtlp(server.url, encodeJson(makeTraceRequest([spanAt(traceId, spanId, t0)])), JSON_TYPE);
    await postOtlp(server.url, encodeJson(makeTraceRequest([spanAt(traceId, spanId, t0 + 5n * HOUR_NS), spanAt(traceId, hex(8), t0)])), JSON_TYPE);
    expect(await rowsOf(server.url, traceId)).toHaveLength(2);
  });

  it('stays finished when its start mark arrives later with another time', async () => {
    const traceId = hex(16);
    const spanId = hex(8);
    const t0 = nowNs() - HOUR_NS;
    await postOtlp(server.url, encodeJson(makeTraceRequest([spanAt(traceId, spanId, t0)])), JSON_TYPE);
    const mark = makeStartMark('late', { traceId, spanId, timeUnixNano: String(t0 + HOUR_NS / 2n), observedTimeUnixNano: String(t0 + HOUR_NS / 2n) });
    expect((await postOtlp(server.url, encodeLogsProtobuf(makeLogsRequest([mark])), { 'content-type': 'application/x-protobuf' }, 'logs')).status).toBe(200);
    const rows = await rowsOf(server.url, traceId);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).not.toBe('running');
  });

  it('replaces its running row when the finished span starts at another time than its mark', async () => {
    const traceId = hex(16);
    const spanId = hex(8);
    const t0 = nowNs() - HOUR_NS;
    const mark = makeStartMark('run', { traceId, spanId, timeUnixNano: String(t0), observedTimeUnixNano: String(t0) });
    await postOtlp(server.url, encodeJson(makeLogsRequest([mark])), JSON_TYPE, 'logs');
    await postOtlp(server.url, encodeJson(makeTraceRequest([spanAt(traceId, spanId, t0 - HOUR_NS)])), JSON_TYPE);
    const rows = await rowsOf(server.url, traceId);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).not.toBe('running');
  });
});

describe('a retry with another start time after the writer forgot the first copy', () => {
  let storage: Storage;
  afterEach(async () => {
    await storage?.close();
  });

  it('is stored once although its new start is newer than every key the writer remembers', async () => {
    storage = await openStorage({ path: ':memory:', recentKeys: 4, recentExecutions: 2 });
    const traceId = newTraceId();
    const spanId = newSpanId();
    const old = makeSpanRow({ traceId, spanId, startTimeUnixNano: ns(Date.now() - 3_600_000) });
    await storage.writer.write({ spans: [old], starts: [], logs: [] });
    for (let i = 0; i < 10; i++) await storage.writer.write({ spans: [makeSpanRow({ startTimeUnixNano: ns(Date.now() - 60_000 + i) })], starts: [], logs: [] });
    const retry = { ...old, startTimeUnixNano: ns(Date.now()), endTimeUnixNano: ns(Date.now() + 5) };
    await storage.writer.write({ spans: [retry], starts: [], logs: [] });
    const trace = await storage.traces.get(traceId);
    expect(trace?.spans).toHaveLength(1);
    expect(trace?.execution.spanCount).toBe(1);
  });

  it('is stored once when the writer still remembers the trace and the key', async () => {
    storage = await openStorage({ path: ':memory:' });
    const old = makeSpanRow({ startTimeUnixNano: ns(Date.now() - 1000) });
    await storage.writer.write({ spans: [old], starts: [], logs: [] });
    await storage.writer.write({ spans: [{ ...old, startTimeUnixNano: ns(Date.now() - 5000), endTimeUnixNano: ns(Date.now() - 4000) }], starts: [], logs: [] });
    expect((await storage.traces.get(old.traceId))?.spans).toHaveLength(1);
  });
});
