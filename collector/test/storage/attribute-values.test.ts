/**
 * The attribute value index (storage/span-model/value-index.ts, schema/009): spans converted from real
 * OTLP requests and written by the writer; for every probe value the execution list answers
 * through the index exactly what DuckDB's json_extract_string finds by scanning every span;
 * the schema file's backfill indexes stored spans as ingest does; deletes remove index rows.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestTraces } from '../../src/ingest/index.js';
import { indexedValueOf, isIndexedValue } from '../../src/storage/span-model/value-index.js';
import { jsonPathForKey } from '../../src/storage/executions/execution-sql.js';
import { openDuckDbStorage, type DuckDbStorage } from '../../src/storage/duckdb-storage.js';
import { attr, encodeJson, makeOtlpSpan, makeTraceRequest, strAttr } from '../fixtures/otlp.js';
import { newSpanId, newTraceId } from '../fixtures/rows.js';

describe('what the index holds', () => {
  it('takes strings, booleans and short integers, and leaves out what DuckDB may render otherwise', () => {
    expect(indexedValueOf('"ord-1"')).toBe('ord-1');
    expect(indexedValueOf('"say \\"hi\\""')).toBe('say "hi"');
    expect(indexedValueOf('true')).toBe('true');
    expect(indexedValueOf('-42')).toBe('-42');
    expect(indexedValueOf('""')).toBe('');
    expect(indexedValueOf('1.5')).toBeNull();
    expect(indexedValueOf('12345678901234567890')).toBeNull();
    expect(indexedValueOf('[1,2]')).toBeNull();
    expect(indexedValueOf('{"a":1}')).toBeNull();
    expect(indexedValueOf('null')).toBeNull();
    expect(indexedValueOf(JSON.stringify('x'.repeat(129)))).toBeNull();
    expect(indexedValueOf('"1.5"')).toBeNull(); // a string that reads as a double: searched by a scan
    expect(indexedValueOf('"[x"')).toBeNull();
    expect(isIndexedValue('x'.repeat(128))).toBe(true);
    expect(isIndexedValue('1e3')).toBe(false);
    expect(isIndexedValue('007')).toBe(true); // not a JSON number token: only a string can render so
  });
});

let storage: DuckDbStorage;
const traces: string[] = [];
/** [key, AnyValue] per span; each span its own trace. */
const VALUES: Array<[string, Record<string, unknown>]> = [
  ['order.id', { stringValue: 'ord-42' }],
  ['order.id', { stringValue: 'ord-43' }],
  ['count', { intValue: '12' }],
  ['count', { stringValue: '12' }],
  ['count', { intValue: '-7' }],
  ['count', { intValue: '9223372036854775807' }],
  ['ratio', { doubleValue: 1.5 }],
  ['ratio', { doubleValue: 5 }],
  ['ratio', { doubleValue: 1e21 }],
  ['ratio', { stringValue: '1.5' }],
  ['ok', { boolValue: true }],
  ['ok', { stringValue: 'true' }],
  ['tags', { arrayValue: { values: [{ stringValue: 'a' }] } }],
  ['tags', { stringValue: '["a"]' }],
  ['blob', { bytesValue: 'aGVsbG8=' }],
  ['quote', { stringValue: 'say "hi" \\ é 🎉' }],
  ['empty', { stringValue: '' }],
  ['long', { stringValue: 'y'.repeat(200) }],
  ['k'.repeat(300), { stringValue: 'short value of a long key' }],
  ['escaped', { stringValue: '\u0001'.repeat(60) }],
  ['flow.node.id', { stringValue: 'charge' }],
];
const PROBES: Array<[string, string]> = [
  ['order.id', 'ord-42'], ['order.id', 'ord-4'], ['count', '12'], ['count', '-7'], ['count', '9223372036854775807'],
  ['ratio', '1.5'], ['ratio', '5'], ['ratio', '1e21'], ['ratio', '1e+21'], ['ok', 'true'], ['ok', 'false'],
  ['tags', '["a"]'], ['blob', 'aGVsbG8='], ['quote', 'say "hi" \\ é 🎉'], ['empty', ''], ['long', 'y'.repeat(200)],
  ['k'.repeat(300), 'short value of a long key'], ['escaped', '\u0001'.repeat(60)], ['flow.node.id', 'charge'],
  ['missing', 'x'],
];

beforeAll(async () => {
  storage = await openDuckDbStorage({ path: ':memory:' });
  const spans = VALUES.map(([key, value], i) => {
    const traceId = newTraceId();
    traces.push(traceId);
    return makeOtlpSpan({
      traceId, spanId: newSpanId(), parentSpanId: '', name: `span-${i}`,
      attributes: [attr(key, value), strAttr('same', 'everywhere')],
    });
  });
  const converted = ingestTraces(encodeJson(makeTraceRequest(spans)), 'json');
  expect(converted.errors).toEqual([]);
  await storage.writer.write(converted.batch);
});
afterAll(async () => {
  await storage.close();
});

const listed = async (key: string, value: string): Promise<string[]> =>
  (await storage.executions.list({ attributes: [{ key, value }], limit: 100 })).executions.map((e) => e.traceId).sort();

const scanned = async (key: string, value: string): Promise<string[]> =>
  (await storage.writer.exclusive(async (c) => (await c.runAndReadAll(
    `SELECT DISTINCT trace_id FROM spans WHERE json_extract_string(attributes, $path) = $value ORDER BY trace_id`,
    { path: jsonPathForKey(key), value },
  )).getRowObjectsJS())).map((r) => String(r.trace_id));

const indexRows = async (): Promise<string[]> =>
  (await storage.writer.exclusive(async (c) => (await c.runAndReadAll(
    `SELECT trace_id || '|' || key || '|' || value AS r FROM attribute_values ORDER BY r`,
  )).getRowObjectsJS())).map((r) => String(r.r));

describe('attribute filters through the index', () => {
  it.each(PROBES.map(([k, v]) => [k.slice(0, 12), v.slice(0, 20), k, v]))('%s = %s finds what a scan of every span finds', async (_k, _v, key, value) => {
    expect(await listed(key, value)).toEqual(await scanned(key, value));
  });

  it('finds the values the probes expect', async () => {
    expect(await listed('order.id', 'ord-42')).toEqual([traces[0]]);
    expect(await listed('count', '12')).toEqual([traces[2], traces[3]].sort());
    expect(await listed('same', 'everywhere')).toHaveLength(VALUES.length);
  });

  it('holds short values only, once per trace, without hot keys', async () => {
    const rows = await indexRows();
    expect(rows).toContain(`${traces[0]}|order.id|ord-42`);
    expect(rows.some((r) => r.includes('|flow.node.id|'))).toBe(false);
    expect(rows.some((r) => r.includes('|long|'))).toBe(false);
    expect(rows.some((r) => r.includes('|escaped|'))).toBe(false); // 60 characters, but a large entry
    expect(rows.some((r) => r.includes('|ratio|1.5'))).toBe(false);
    expect(rows.filter((r) => r.endsWith('|same|everywhere'))).toHaveLength(VALUES.length);
  });
});

describe('the schema file', () => {
  it('backfills the index of stored spans as ingest writes it', async () => {
    const written = await indexRows();
    const file = readFileSync(new URL('../../src/storage/schema/migrations/009_attribute_values.sql', import.meta.url), 'utf8');
    const backfill = file.slice(file.indexOf('INSERT INTO attribute_values'));
    await storage.writer.exclusive(async (c) => {
      await c.run('DELETE FROM attribute_values');
      await c.run(backfill);
    });
    expect(await indexRows()).toEqual(written);
  });
});

describe('deleting executions', () => {
  it('removes their index rows', async () => {
    expect(await storage.deleteExecutions([traces[0]])).toBe(1);
    expect((await indexRows()).some((r) => r.startsWith(traces[0]))).toBe(false);
    expect(await listed('order.id', 'ord-42')).toEqual([]);
    expect(await listed('order.id', 'ord-43')).toEqual([traces[1]]);
  });
});
