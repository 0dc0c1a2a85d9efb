/**
 * The span model (storage/span-model/): encode splits a logical span's attributes into the
 * stored parts by its rules, decode gives every attribute back, and the SQL that reads
 * attributes (generated from the same rules) agrees with decode on a real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributesObject } from '../../src/ingest/attributes.js';
import { FLOW_TEXT_KEYS, isFlowKey } from '../../src/ingest/flow-fields.js';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { attributeMacros } from '../../src/storage/span-model/attribute-sql.js';
import { decodeSpan } from '../../src/storage/span-model/decode.js';
import { encodeAttributes, encodeSpan, encodeSpans, encodeStart } from '../../src/storage/span-model/encode.js';
import { LARGE_ATTRIBUTE_CHARS, largeAttributesJson, RAW_ENTRY, RAW_VALUE } from '../../src/storage/span-model/large-attributes.js';
import { MOVABLE_ATTRIBUTES } from '../../src/storage/span-model/moved-attributes.js';
import { SPAN_DATA_COLUMNS, SPAN_STARTS_COLUMNS } from '../../src/storage/table-columns.js';
import { attributeList, makeSpanRow, newSpanId, newTraceId, ns } from '../fixtures/rows.js';

const LONG = 'p'.repeat(LARGE_ATTRIBUTE_CHARS);
const flowSpan = () => makeSpanRow({
  nodeId: 'n1', nodeIndex: 4, flowName: 'checkout', flowStatus: 'error',
  attributes: attributeList({
    'flow.node.id': 'n1', 'flow.node.index': 4, 'flow.name': 'checkout', 'flow.execution.status': 'error', 'flow.node.status': 'error',
    'order.id': 'ord-1', n: 7, ok: true, d: 1.5, 'flow.node.input': LONG, 'flowtrace.truncated': true,
  }),
});

/** A row as DuckDB would return it, from the columns a row appends. */
function storedRow<R>(columns: ReadonlyArray<{ name: string; value: (row: R) => unknown }>, row: R): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c.name, c.value(row)]));
}

describe('encode', () => {
  it('leaves exact flow attributes to their columns, long ones to the large attributes, and indexes the short rest', () => {
    const indexed: string[] = [];
    const span = flowSpan();
    const a = encodeAttributes(span.attributes, span, true, indexed);
    expect(JSON.parse(a.small)).toEqual({ 'order.id': 'ord-1', n: 7, ok: true, d: 1.5, 'flowtrace.truncated': true });
    expect(a.large).toBe(`${RAW_ENTRY}flow.node.input${RAW_VALUE}${LONG}`);
    const bit = (key: string) => MOVABLE_ATTRIBUTES.find((m) => m.key === key)!.bit;
    expect(a.moved).toBe(bit('flow.node.id') | bit('flow.node.index') | bit('flow.name') | bit('flow.execution.status') | bit('flow.node.status'));
    // Doubles with a fraction, moved keys, large values and the truncation mark are not indexed.
    expect(indexed).toEqual(['order.id', 'ord-1', 'n', '7', 'ok', 'true']);
  });

  it('keeps in the JSON a flow attribute its column does not give back exactly', () => {
    const span = makeSpanRow({ nodeId: '5', nodeIndex: null, attributes: attributeList({ 'flow.node.id': 5, 'flow.node.index': 2.5 }) });
    expect(encodeAttributes(span.attributes, span, true, null)).toEqual({ small: '{"flow.node.id":5,"flow.node.index":2.5}', large: null, moved: 0 });
  });

  it('moves nothing and indexes nothing of a running span, but keeps its large attributes apart', () => {
    const row = encodeStart(flowSpan());
    expect(JSON.parse(row.attributes)).toMatchObject({ 'flow.node.id': 'n1', 'order.id': 'ord-1' });
    expect(JSON.parse(largeAttributesJson(row.largeAttributes)!)).toEqual({ 'flow.node.input': LONG });
  });

  it('indexes each trace, key and value of a group once', () => {
    const traceId = newTraceId();
    const spans = [1, 2].map(() => makeSpanRow({ traceId, attributes: attributeList({ 'order.id': 'ord-9' }) }));
    expect(encodeSpans(spans).attributeValues).toEqual([[traceId, 'order.id', 'ord-9']]);
  });

  it('keeps large string attributes of any length whole, as their own text', () => {
    const huge = 'h"'.repeat(20_000);
    const row = encodeSpan(makeSpanRow({ attributes: attributeList({ huge, other: 'x'.repeat(300) }) }));
    expect(row.largeAttributes).toBe(`${RAW_ENTRY}huge${RAW_VALUE}${huge}${RAW_ENTRY}other${RAW_VALUE}${'x'.repeat(300)}`);
    expect(largeAttributesJson(row.largeAttributes)).toBe(JSON.stringify({ huge, other: 'x'.repeat(300) }));
  });

  it('keeps the JSON form for a long value that is not a string, or a string it cannot frame', () => {
    const list = Array.from({ length: 80 }, (_, i) => `item-${i}`);
    const mixed = encodeSpan(makeSpanRow({ attributes: attributeList({ list, text: 'x'.repeat(300) }) }));
    expect(mixed.largeAttributes).toBe(JSON.stringify({ list, text: 'x'.repeat(300) }));
    const framed = encodeSpan(makeSpanRow({ attributes: attributeList({ text: `a${RAW_VALUE}b`.repeat(100) }) }));
    expect(framed.largeAttributes).toBe(JSON.stringify({ text: `a${RAW_VALUE}b`.repeat(100) }));
    expect(largeAttributesJson(framed.largeAttributes)).toBe(framed.largeAttributes);
  });
});

describe('the flow fields ingest reads and the columns storage moves them to', () => {
  it('pair every key with the same field', () => {
    for (const m of MOVABLE_ATTRIBUTES) {
      expect(isFlowKey(m.key), m.key).toBe(true);
      if (m.field !== 'nodeIndex') expect(FLOW_TEXT_KEYS.get(m.key), m.key).toBe(m.field);
    }
    expect([...FLOW_TEXT_KEYS.keys()].every((key) => MOVABLE_ATTRIBUTES.some((m) => m.key === key))).toBe(true);
  });
});

describe('decode', () => {
  it('gives back every attribute of a finished and of a running span, whatever encode split off', () => {
    const span = flowSpan();
    const all = JSON.parse(attributesObject(span.attributes));
    expect(JSON.parse(decodeSpan(storedRow(SPAN_DATA_COLUMNS, encodeSpan(span))).attributes)).toEqual(all);
    const running = { ...span, endTimeUnixNano: null };
    const record = decodeSpan(storedRow(SPAN_STARTS_COLUMNS, encodeStart(running)));
    expect(JSON.parse(record.attributes)).toEqual(all);
    expect(record.endTimeUnixNano).toBeNull();
  });
});

describe('the attribute SQL generated from the same rules', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage({ path: ':memory:' });
  });
  afterAll(async () => {
    await storage?.close();
  });

  it('rebuilds every movable attribute', () => {
    const macros = attributeMacros().join('\n');
    for (const m of MOVABLE_ATTRIBUTES) expect(macros).toContain(`moved & ${m.bit} <> 0 THEN '${JSON.stringify(m.key)}:'`);
  });

  it('shows in the spans view what decode gives back', async () => {
    const traceId = newTraceId();
    const span = { ...flowSpan(), traceId, spanId: newSpanId(), startTimeUnixNano: ns(Date.now() - 1000), endTimeUnixNano: ns(Date.now()) };
    const start = makeSpanRow({ traceId, spanId: newSpanId(), endTimeUnixNano: null, attributes: attributeList({ big: 'b'.repeat(9000), s: 'x' }) });
    await storage.writer.write({ spans: [span], starts: [start], logs: [] });
    const viewed = await storage.sql.run(`SELECT span_id, attributes FROM spans WHERE trace_id = '${traceId}'`);
    const read = await storage.traces.get(traceId);
    for (const [spanId, attributes] of viewed.rows) {
      const record = read!.spans.find((s) => s.spanId === spanId)!;
      expect(JSON.parse(String(attributes))).toEqual(JSON.parse(record.attributes));
    }
    expect(viewed.rows).toHaveLength(2);
    expect(JSON.parse(read!.spans.find((s) => s.spanId === start.spanId)!.attributes)).toEqual({ big: 'b'.repeat(9000), s: 'x' });
  });
});
