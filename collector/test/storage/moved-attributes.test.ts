/**
 * Hot attributes stored once (storage/span-model/moved-attributes.ts): rows whose flow.*
 * attributes were left to their columns and rows that still carry them in the JSON (written
 * before schema 008, or not exact: here the span's flow fields do not hold them) answer
 * attribute filters, the spans view and key suggestions alike.
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
      makeSpanRow({ ...moved, startTimeUnixNano: ns(t0), endTimeUnixNano: ns(t0 + 5), nodeId: 'charge', nodeIndex: 3, attributes: '{"flow.node.id":"charge","flow.node.index":3,"k":"v"}' }),
      makeSpanRow({ ...inJson, startTimeUnixNano: ns(t0 + 10), endTimeUnixNano: ns(t0 + 15), attributes: '{"flow.node.id":"charge","flow.node.index":3}' }),
    ],
    starts: [],
    logs: [],
  });
});
afterAll(async () => {
  await storage.close();
});

const found = async (key: string, value: string): Promise<string[]> =>
  (await storage.executions.list({ attributes: [{ key, value }], limit: 10 })).executions.map((e) => e.traceId).sort();

it('leaves to their columns the attributes they give back exactly, and the others in the JSON', async () => {
  const r = await storage.sql.run(`SELECT trace_id, attributes, moved_attributes FROM span_data ORDER BY start_ns`);
  expect(r.rows.map(([trace, attributes, bits]) => [trace, attributes, Number(bits)])).toEqual([
    [moved.traceId, '{"k":"v"}', 0x40 | 0x200],
    [inJson.traceId, '{"flow.node.id":"charge","flow.node.index":3}', 0],
  ]);
});

it('filters on a moved attribute through its column and on a stored one through the JSON', async () => {
  expect(await found('flow.node.id', 'charge')).toEqual([moved.traceId, inJson.traceId].sort());
  expect(await found('flow.node.index', '3')).toEqual([moved.traceId, inJson.traceId].sort());
  expect(await found('flow.node.id', 'refund')).toEqual([]);
  expect(await found('k', 'v')).toEqual([moved.traceId]);
});

it('shows moved attributes in the spans view and in key suggestions', async () => {
  const r = await storage.sql.run(`SELECT attributes FROM spans WHERE trace_id = '${moved.traceId}'`);
  expect(JSON.parse(String(r.rows[0][0]))).toEqual({ 'flow.node.id': 'charge', 'flow.node.index': 3, k: 'v' });
  const keys = await storage.catalog.attributeKeys();
  expect(keys.find((k) => k.key === 'flow.node.id')).toMatchObject({ count: 2, topValues: ['charge'] });
  expect(keys.find((k) => k.key === 'flow.node.index')).toMatchObject({ count: 2 });
});
