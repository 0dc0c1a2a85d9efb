/**
 * One bad record must not fail anyone else's commit. A record whose value its column cannot
 * hold (a severityNumber beyond the enum, a flow.node.index beyond INTEGER, a dropped count
 * beyond UINTEGER …) is rejected on its own with OTLP partial_success and counted as rejected
 * in /metrics; and should a group commit still fail, only the batch that made it fail is refused.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestCollector } from '../fixtures/collector.js';
import {
  attr, encodeJson, encodeLogsProtobuf, encodeTraceProtobuf, makeLogRecord, makeLogsRequest, makeOtlpSpan,
  makeStartMark, makeTraceRequest, strAttr, type JsonRecord, type JsonSpan,
} from '../fixtures/otlp.js';
import { makeSpanRow, newTraceId } from '../fixtures/rows.js';
import { executionRequest } from '../fixtures/seed.js';
import { runSql } from '../fixtures/stored.js';
import { postOtlp } from '../fixtures/traffic.js';
import type { RunningServer } from '../../src/server.js';

const hex = (n: number) => randomBytes(n).toString('hex');
const JSON_TYPE = { 'content-type': 'application/json' };
const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const manyAttributes = Array.from({ length: 1001 }, (_, i) => strAttr(`k${i}`, 'v'));

/** Spans whose values no column can hold, each named after what is wrong with it. */
const BAD_SPANS: Array<[string, JsonSpan]> = [
  ['flow.node.index 2^31', makeOtlpSpan({ attributes: [attr('flow.node.index', { intValue: '2147483648' })] })],
  ['flow.node.index -2^31-1', makeOtlpSpan({ attributes: [attr('flow.node.index', { intValue: '-2147483649' })] })],
  ['flow.node.index 1e12 as a double', makeOtlpSpan({ attributes: [attr('flow.node.index', { doubleValue: 1e12 })] })],
  ['droppedAttributesCount 2^32-1 plus attributes cut by the cap', makeOtlpSpan({ droppedAttributesCount: 4294967295, attributes: manyAttributes })],
];

/** Log records whose values no column can hold. */
const BAD_RECORDS: Array<[string, JsonRecord]> = [
  ['severityNumber 300', makeLogRecord({ severityNumber: 300 })],
  ['severityNumber -1', makeLogRecord({ severityNumber: -1 })],
  ['severityNumber 2^31-1', makeLogRecord({ severityNumber: 2 ** 31 - 1 })],
  ['severityNumber 25 (past the enum)', makeLogRecord({ severityNumber: 25 })],
  ['start mark with flow.node.index 2^33', makeStartMark('node', {}, [attr('flow.node.index', { intValue: String(2 ** 33) })])],
  ['droppedAttributesCount 2^32-1 plus attributes cut by the cap', makeLogRecord({ droppedAttributesCount: 4294967295, attributes: manyAttributes })],
];

async function rejectedTotal(base: string, signal: 'traces' | 'logs'): Promise<number> {
  const text = (await api<string>(base, '/metrics')).body;
  const match = new RegExp(`flowtrace_items_rejected_total\\{signal="${signal}"\\} (\\d+)`).exec(text);
  return Number(match?.[1] ?? NaN);
}

async function storedSpans(base: string, traceId: string): Promise<number> {
  const [row] = await runSql<{ n: number }>(base, `SELECT count(*)::INTEGER AS n FROM spans WHERE trace_id = '${traceId}'`);
  return Number(row.n);
}

describe('a record its column cannot hold', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestCollector({ sqlMaxRows: 1_000_000 });
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const [what, bad] of BAD_SPANS) {
    it(`is rejected alone, with partial_success, when a span has ${what}`, async () => {
      const good = makeOtlpSpan({ traceId: hex(16), spanId: hex(8) });
      const poison = { ...bad, traceId: hex(16), spanId: hex(8) };
      const before = await rejectedTotal(server.url, 'traces');
      for (const [format, body, headers] of [
        ['json', encodeJson(makeTraceRequest([good, poison])), JSON_TYPE],
        ['protobuf', encodeTraceProtobuf(makeTraceRequest([{ ...good, spanId: hex(8) }, { ...poison, spanId: hex(8) }])), PROTOBUF],
      ] as const) {
        const answer = await postOtlp(server.url, body, headers);
        expect(answer.status, `${format}: ${answer.text}`).toBe(200);
        if (format === 'json') {
          const partial = JSON.parse(answer.text).partialSuccess;
          expect(partial.rejectedSpans).toBe('1');
          expect(partial.errorMessage).toMatch(/spans\[1\]/);
        }
      }
      expect(await storedSpans(server.url, good.traceId as string)).toBe(2);
      expect(await storedSpans(server.url, poison.traceId)).toBe(0);
      expect(await rejectedTotal(server.url, 'traces')).toBe(before + 2);
    });
  }

  for (const [what, bad] of BAD_RECORDS) {
    it(`is rejected alone, with partial_success, when a log record has ${what}`, async () => {
      const traceId = hex(16);
      const good = makeLogRecord({ traceId, spanId: hex(8), body: { stringValue: 'a good line' } });
      const poison = { ...bad, traceId, spanId: hex(8) };
      const before = await rejectedTotal(server.url, 'logs');
      const answer = await postOtlp(server.url, encodeJson(makeLogsRequest([good, poison])), JSON_TYPE, 'logs');
      expect(answer.status, answer.text).toBe(200);
      const partial = JSON.parse(answer.text).partialSuccess;
      expect(partial.rejectedLogRecords).toBe('1');
      expect(partial.errorMessage).toMatch(/logRecords\[1\]/);
      const protobuf = await postOtlp(server.url, encodeLogsProtobuf(makeLogsRequest([{ ...good, body: { stringValue: 'line 2' } }, { ...poison, spanId: hex(8) }])), PROTOBUF, 'logs');
      expect(protobuf.status, protobuf.text).toBe(200);
      const [row] = await runSql<{ n: number }>(server.url, `SELECT (SELECT count(*) FROM logs WHERE trace_id = '${traceId}') + (SELECT count(*) FROM spans WHERE trace_id = '${traceId}')::INTEGER AS n`);
      expect(Number(row.n)).toBe(2);
      expect(await rejectedTotal(server.url, 'logs')).toBe(before + 2);
    });
  }

  it('answers every good sender with 200 and stores its spans while a sender keeps posting poison', async () => {
    const seconds = 3;
    const deadline = Date.now() + seconds * 1000;
    const acknowledged = new Map<string, number>();
    const failed: number[] = [];
    let goodRequests = 0;
    const goodSender = async (k: number) => {
      while (Date.now() < deadline) {
        const { request, execution } = executionRequest({ flow: 'good', service: 'poison-good', nodes: 3, startMs: Date.now() });
        const body = k % 2 === 0 ? encodeTraceProtobuf(request) : encodeJson(request);
        const answer = await postOtlp(server.url, body, k % 2 === 0 ? PROTOBUF : JSON_TYPE);
        goodRequests++;
        if (answer.status === 200) acknowledged.set(execution.traceId, 4);
        else failed.push(answer.status);
      }
    };
    let poisonRequests = 0;
    const poisonSender = async (k: number) => {
      while (Date.now() < deadline) {
        const [, span] = BAD_SPANS[k % BAD_SPANS.length];
        const [, record] = BAD_RECORDS[k % BAD_RECORDS.length];
        await postOtlp(server.url, encodeJson(makeTraceRequest([{ ...span, traceId: hex(16), spanId: hex(8) }])), JSON_TYPE);
        await postOtlp(server.url, encodeJson(makeLogsRequest([{ ...record, traceId: hex(16), spanId: hex(8) }])), JSON_TYPE, 'logs');
        poisonRequests += 2;
      }
    };
    await Promise.all([...[0, 1, 2, 3, 4, 5].map(goodSender), poisonSender(0), poisonSender(1)]);
    console.log(`poison: ${goodRequests} good requests (${failed.length} failed: ${[...new Set(failed)].join(',') || 'none'}), ${poisonRequests} poisoned requests in ${seconds} s`);
    expect(failed).toEqual([]);
    const stored = await runSql<{ trace_id: string; n: number }>(server.url, `SELECT trace_id, count(*)::INTEGER AS n FROM spans WHERE service_name = 'poison-good' GROUP BY trace_id`);
    const byTrace = new Map(stored.map((r) => [r.trace_id, Number(r.n)]));
    expect([...acknowledged.keys()].filter((id) => byTrace.get(id) !== 4)).toEqual([]);
  }, 30_000);

  it('refuses only the batch that makes a group commit fail, and commits the others of its group', async () => {
    // A row no ingest would produce, handed to the writer directly: the commit itself fails.
    const writer = server.storage.writer;
    const goodTraces = Array.from({ length: 8 }, () => newTraceId());
    const goods = goodTraces.map((traceId) => writer.write({ spans: [makeSpanRow({ traceId, name: 'good' })], starts: [], logs: [] }));
    const bad = writer.write({ spans: [makeSpanRow({ nodeIndex: 2 ** 31 })], starts: [], logs: [] });
    const later = goodTraces.map(() => newTraceId());
    const moreGoods = later.map((traceId) => writer.write({ spans: [makeSpanRow({ traceId, name: 'good' })], starts: [], logs: [] }));
    const outcomes = await Promise.allSettled([...goods, bad, ...moreGoods]);
    expect(outcomes.map((o) => o.status)).toEqual([...goods.map(() => 'fulfilled'), 'rejected', ...moreGoods.map(() => 'fulfilled')]);
    expect((outcomes[goods.length] as PromiseRejectedResult).reason.code).toBe('FT_WRITE_FAILED');
    const ids = [...goodTraces, ...later].map((id) => `'${id}'`).join(',');
    const [row] = await runSql<{ n: number }>(server.url, `SELECT count(*)::INTEGER AS n FROM spans WHERE trace_id IN (${ids})`);
    expect(Number(row.n)).toBe(16);
  });
});
