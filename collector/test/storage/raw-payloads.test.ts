/**
 * Payload strings kept as their own text (otlp/attribute-text.ts, storage/span-model/large-attributes.ts).
 * Spans converted from a real OTLP request and written by the writer: a long string attribute
 * reaches span_data.large_attributes unescaped, and every read gives back the JSON that was sent:
 * the trace read, its Span JSON, the spans view, the merged_attributes macro, text search, the
 * attribute filter and a span match. Values the raw form cannot carry (a separator character, a
 * long value that is not a string) keep the JSON form, and read back the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestTraces } from '../../src/ingest/index.js';
import { openDuckDbStorage, type DuckDbStorage } from '../../src/storage/duckdb-storage.js';
import { attr, encodeJson, makeOtlpSpan, makeTraceRequest, strAttr, type AnyValue } from '../fixtures/otlp.js';
import { newSpanId, newTraceId } from '../fixtures/rows.js';

const pad = (text: string, to = 600): string => text + ' '.repeat(Math.max(0, to - text.length));
/** A captured input as flows write them: a JSON document, full of quotes, with escapes and non-ASCII in it. */
const DOCUMENT = pad('{"orderId":"ord-77731","items":[{"sku":"sku-1","qty":2}],"note":"say \\"hi\\"\\n\\tC:\\\\temp é 🎉 \u0001"}');

/** Each case is one span of its own trace: its long attributes (key → AnyValue). */
const CASES: Record<string, Record<string, AnyValue>> = {
  document: { 'flow.node.input': { stringValue: DOCUMENT } },
  twoStrings: { 'flow.node.input': { stringValue: pad('in "x"') }, 'flow.node.output': { stringValue: pad('out "y"') } },
  notAString: { 'flow.node.input': { stringValue: pad('text') }, list: { arrayValue: { values: Array.from({ length: 60 }, (_, i) => ({ stringValue: `item-${i}` })) } } },
  separator: { 'flow.node.input': { stringValue: pad('a\u001eb\u001fc') } },
  nul: { 'flow.node.input': { stringValue: pad('before\u0000after') } },
  oddKey: { 'key "with" quotes\\': { stringValue: pad('value of an odd key') } },
  unicodeKey: { 'ключ 🎉 é': { stringValue: pad('значение 🎉 of a key past the BMP') } },
};

let storage: DuckDbStorage;
const traceOf: Record<string, string> = {};

/** What a case's attributes read back as: every attribute, with its JSON value. */
function expectedAttributes(name: string): Record<string, unknown> {
  const out: Record<string, unknown> = { small: 'kept' };
  for (const [key, value] of Object.entries(CASES[name])) {
    out[key] = value.stringValue ?? (value.arrayValue?.values ?? []).map((v) => v.stringValue);
  }
  return out;
}

async function sql(query: string, params: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
  return storage.writer.exclusive(async (c) => (await c.runAndReadAll(query, params)).getRowObjectsJS());
}

beforeAll(async () => {
  storage = await openDuckDbStorage({ path: ':memory:' });
  const spans = Object.entries(CASES).map(([name, attributes]) => {
    traceOf[name] = newTraceId();
    return makeOtlpSpan({
      traceId: traceOf[name], spanId: newSpanId(), parentSpanId: '', name,
      attributes: [strAttr('small', 'kept'), ...Object.entries(attributes).map(([key, value]) => attr(key, value))],
    });
  });
  const converted = ingestTraces(encodeJson(makeTraceRequest(spans)), 'json');
  expect(converted.errors).toEqual([]);
  await storage.writer.write(converted.batch);
});
afterAll(async () => {
  await storage.close();
});

describe('a long string attribute', () => {
  it('is stored as its own text, not escaped as JSON', async () => {
    const [row] = await sql('SELECT large_attributes FROM span_data WHERE trace_id = $t', { t: traceOf.document });
    expect(String(row.large_attributes)).toContain(DOCUMENT);
    const [two] = await sql('SELECT large_attributes FROM span_data WHERE trace_id = $t', { t: traceOf.twoStrings });
    expect(String(two.large_attributes)).toContain(pad('in "x"'));
    expect(String(two.large_attributes)).toContain(pad('out "y"'));
  });

  it('keeps the JSON form when the raw form cannot carry a value', async () => {
    for (const name of ['notAString', 'separator']) {
      const [row] = await sql('SELECT large_attributes FROM span_data WHERE trace_id = $t', { t: traceOf[name] });
      expect(String(row.large_attributes).startsWith('{'), name).toBe(true);
    }
    // NUL is text like any other (DuckDB's strings and the appender keep it).
    const [nul] = await sql('SELECT large_attributes FROM span_data WHERE trace_id = $t', { t: traceOf.nul });
    expect(String(nul.large_attributes)).toContain(pad('before\u0000after'));
  });
});

describe('every read gives back the attributes that were sent', () => {
  it.each(Object.keys(CASES))('%s: the trace read and its Span JSON', async (name) => {
    const trace = await storage.traces.get(traceOf[name]);
    expect(JSON.parse(trace!.spans[0].attributes)).toEqual(expectedAttributes(name));
    const json = await storage.traces.getJson(traceOf[name]);
    expect((JSON.parse(`[${json!.spansJson}]`) as Array<{ attributes: unknown }>)[0].attributes).toEqual(expectedAttributes(name));
  });

  it.each(Object.keys(CASES))('%s: the spans view and the merged_attributes macro', async (name) => {
    const [view] = await sql('SELECT attributes::VARCHAR AS a FROM spans WHERE trace_id = $t', { t: traceOf[name] });
    expect(JSON.parse(String(view.a))).toEqual(expectedAttributes(name));
    const [merged] = await sql('SELECT merged_attributes(attributes, large_attributes) AS a FROM span_data WHERE trace_id = $t', { t: traceOf[name] });
    expect(JSON.parse(String(merged.a))).toEqual(expectedAttributes(name));
  });
});

describe('searches reach the payload text', () => {
  it('finds a word inside a payload by text search', async () => {
    const list = await storage.executions.list({ text: 'ord-77731', limit: 10 });
    expect(list.executions.map((e) => e.traceId)).toEqual([traceOf.document]);
  });

  it('filters by the whole value of a long attribute', async () => {
    for (const name of ['document', 'separator', 'nul', 'oddKey', 'unicodeKey']) {
      const [key, value] = Object.entries(CASES[name])[0];
      const list = await storage.executions.list({ attributes: [{ key, value: value.stringValue! }], limit: 10 });
      expect(list.executions.map((e) => e.traceId), name).toEqual([traceOf[name]]);
    }
  });

  it('matches the span of a trace by a payload word and by a long value', async () => {
    const execution = (await storage.traces.get(traceOf.twoStrings))!.execution;
    const spanId = (await storage.traces.get(traceOf.twoStrings))!.spans[0].spanId;
    expect(await storage.traces.spanIdsMatching(execution, { text: 'OUT "Y"' })).toEqual([spanId]);
    expect(await storage.traces.spanIdsMatching(execution, { attributes: [{ key: 'flow.node.output', value: pad('out "y"') }] })).toEqual([spanId]);
    expect(await storage.traces.spanIdsMatching(execution, { attributes: [{ key: 'flow.node.output', value: pad('out "z"') }] })).toEqual([]);
  });
});
