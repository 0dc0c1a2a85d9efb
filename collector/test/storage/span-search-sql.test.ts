/**
 * The span search behind Grafana's APIs (storage/span-search-sql.ts): the rendered SQL and
 * parameters of each shape are pinned in test/storage/golden/span-search/ (regenerate on
 * purpose with UPDATE_GOLDEN=1), and the search run on a real DuckDB finds attributes wherever
 * ingest stored them — small JSON, large_attributes, a hot column — in one span.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestTraces } from '../../src/ingest/index.js';
import { openStorage, type SpanCondition, type SpanSearch, type Storage } from '../../src/storage/index.js';
import { buildSpanSearchQuery } from '../../src/storage/span-search-sql.js';
import { attr, encodeJson, makeOtlpSpan, makeTraceRequest, strAttr } from '../fixtures/otlp.js';
import { newSpanId, newTraceId } from '../fixtures/rows.js';

const goldenDir = new URL('./golden/span-search/', import.meta.url);

const cases: Record<string, SpanSearch> = {
  'every-span': { limit: 20, spansPerTrace: 3 },
  'ids-only-in-window': { fromNs: 1_000n, toNs: 2_000n, limit: 100, spansPerTrace: 0 },
  'intrinsics': {
    condition: { and: [
      { field: { intrinsic: 'service' }, op: '=', value: 'api' }, { field: { intrinsic: 'name' }, op: '=~', value: 'GET .*' },
      { field: { intrinsic: 'status' }, op: '=', value: 2 }, { field: { intrinsic: 'duration' }, op: '>', value: 100_000_000n },
      { field: { intrinsic: 'kind' }, op: '!=', value: 1 }, { field: { intrinsic: 'statusMessage' }, op: '!~', value: 'x' },
      { field: { intrinsic: 'scopeName' }, op: '=', value: 'lib' },
    ] },
    limit: 20, spansPerTrace: 3,
  },
  'attributes': {
    condition: { or: [
      { field: { attribute: 'http.status_code', scope: 'span' }, op: '>=', value: 500 },
      { field: { attribute: 'flow.node.index', scope: 'span' }, op: '=', value: '2' },
      { field: { attribute: 'host.name', scope: 'resource' }, op: '=', value: 'web-1' },
      { field: { attribute: 'cached', scope: 'any' }, op: '!=', value: true },
    ] },
    limit: 5, spansPerTrace: 1,
  },
};

function render(search: SpanSearch): string {
  const { sql, params } = buildSpanSearchQuery(search);
  const paramLines = Object.entries(params).map(([k, v]) => `-- $${k} = ${typeof v === 'bigint' ? `${v}n` : JSON.stringify(v)}`);
  return `${sql}\n${paramLines.join('\n')}\n`;
}

describe('span search SQL', () => {
  it.each(Object.keys(cases))('renders the pinned SQL for %s', (name) => {
    const file = new URL(`${name}.sql`, goldenDir);
    const actual = render(cases[name]);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      if (process.env.CI === 'true' && !existsSync(file)) throw new Error(`missing golden file ${name}.sql`);
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(file, actual);
    }
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});

describe('span search on DuckDB', () => {
  let storage: Storage;
  const ids = { large: newTraceId(), moved: newTraceId(), split: newTraceId() };
  const LONG = 'p'.repeat(400); // a "key":value text past LARGE_ATTRIBUTE_CHARS: stored in large_attributes

  beforeAll(async () => {
    storage = await openStorage({ path: ':memory:' });
    const span = (traceId: string, name: string, attributes: ReturnType<typeof strAttr>[]) =>
      makeOtlpSpan({ traceId, spanId: newSpanId(), parentSpanId: '', name, attributes });
    const converted = ingestTraces(encodeJson(makeTraceRequest([
      span(ids.large, 'with payload', [strAttr('flow.node.input', LONG), attr('n', { intValue: '7' })]),
      span(ids.moved, 'node', [strAttr('flow.node.id', 'step-2'), attr('flow.node.index', { intValue: '2' })]),
      span(ids.split, 'a', [attr('n', { intValue: '7' })]),
      span(ids.split, 'b', [strAttr('flow.node.id', 'step-2')]),
    ])), 'json');
    expect(converted.errors).toEqual([]);
    await storage.writer.write(converted.batch);
  });
  afterAll(async () => {
    await storage?.close();
  });

  const found = async (condition: SpanCondition) =>
    (await storage.grafana.searchSpans({ condition, limit: 10, spansPerTrace: 2 })).map((h) => h.traceId).sort();

  it('finds attributes in large_attributes and in hot columns', async () => {
    expect(await found({ field: { attribute: 'flow.node.input', scope: 'span' }, op: '=', value: LONG })).toEqual([ids.large]);
    expect(await found({ field: { attribute: 'flow.node.input', scope: 'any' }, op: '=~', value: 'p+' })).toEqual([ids.large]);
    expect(await found({ field: { attribute: 'flow.node.index', scope: 'span' }, op: '>', value: 1 })).toEqual([ids.moved]);
    expect(await found({ field: { attribute: 'flow.node.id', scope: 'span' }, op: '=', value: 'step-2' })).toEqual([ids.moved, ids.split].sort());
  });

  it('needs one span to satisfy every condition of an and', async () => {
    const both: SpanCondition = { and: [
      { field: { attribute: 'n', scope: 'span' }, op: '=', value: 7 },
      { field: { attribute: 'flow.node.id', scope: 'span' }, op: '=', value: 'step-2' },
    ] };
    expect(await found(both)).toEqual([]);
    expect(await found({ or: both.and })).toEqual([ids.large, ids.moved, ids.split].sort());
  });

  it('returns the matching spans with all their attributes, the large and moved ones put back', async () => {
    const [hit] = await storage.grafana.searchSpans({ condition: { field: { intrinsic: 'name' }, op: '=', value: 'with payload' }, limit: 10, spansPerTrace: 3 });
    expect(hit.matched).toBe(1);
    expect(JSON.parse(hit.spans[0].attributes)).toEqual({ 'flow.node.input': LONG, n: 7 });
    const [moved] = await storage.grafana.searchSpans({ condition: { field: { intrinsic: 'name' }, op: '=', value: 'node' }, limit: 10, spansPerTrace: 3 });
    expect(JSON.parse(moved.spans[0].attributes)).toEqual({ 'flow.node.id': 'step-2', 'flow.node.index': 2 });
  });

  it('reports a bad regular expression before a search would fail on it', async () => {
    expect(await storage.grafana.patternError('a+')).toBeUndefined();
    expect(await storage.grafana.patternError('(')).toMatch(/missing \)|parenthesis/i);
  });
});
