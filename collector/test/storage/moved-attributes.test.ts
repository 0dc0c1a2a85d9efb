/**
 * Hot attributes stored once (storage/moved-attributes.ts): rows whose flow.* attributes were
 * left to their columns and rows that still carry them in the JSON (written before schema 008,
 * or not exact) answer attribute filters, the spans view and key suggestions alike.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { makeSpanRow, newSpanId, newTraceId, ns } from '../fixtures/rows.js';

let storage: Storage;
const moved = { traceId: newTraceId(), spanId: newSpanId() };
const inJson = { traceId: newTraceId(), spanId: newSpanId() };
beforeAll(async () => {
  storage = await openStorage({ path: ':memory:' });
  const t0 = Date.now() - 60_000;
  await storage.writer.write({
    spans: [
      makeSpanRow({ ...moved, startTimeUnixNano: ns(t0), endTimeUnixNano: ns(t0 + 5), nodeId: 'charge', nodeIndex: 3, attributes: '{"k":"v"}', movedAttributes: 0x40 | 0x200 }),
      makeSpanRow({ ...inJson, startTimeUnixNano: ns(t0 + 10), endTimeUnixNano: ns(t0 + 15), nodeId: 'charge', nodeIndex: 3, attributes: '{"flow.node.id":"charge","flow.node.index":3}' }),
    ],
    starts: [],
    logs: [],
  });
});
afterAll(async () => {
  await storage.close();
});

const found = async (key: string, value: string): Promise<string[]> =>
  (await storage.reader.listExecutions({ attributes: [{ key, value }], limit: 10 })).executions.map((e) => e.traceId).sort();

it('filters on a moved attribute through its column and on a stored one through the JSON', async () => {
  expect(await found('flow.node.id', 'charge')).toEqual([moved.traceId, inJson.traceId].sort());
  expect(await found('flow.node.index', '3')).toEqual([moved.traceId, inJson.traceId].sort());
  expect(await found('flow.node.id', 'refund')).toEqual([]);
  expect(await found('k', 'v')).toEqual([moved.traceId]);
});

it('shows moved attributes in the spans view and in key suggestions', async () => {
  const r = await storage.sql.run(`SELECT attributes FROM spans WHERE trace_id = '${moved.traceId}'`);
  expect(JSON.parse(String(r.rows[0][0]))).toEqual({ 'flow.node.id': 'charge', 'flow.node.index': 3, k: 'v' });
  const keys = await storage.reader.attributeKeys();
  expect(keys.find((k) => k.key === 'flow.node.id')).toMatchObject({ count: 2, topValues: ['charge'] });
  expect(keys.find((k) => k.key === 'flow.node.index')).toMatchObject({ count: 2 });
});
