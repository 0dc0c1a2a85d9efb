import { describe, expect, it } from 'vitest';
import { RecentSpanKeys } from '../../src/storage/recent-span-keys.js';
import { makeSpanRow, ns } from '../fixtures/rows.js';

describe('RecentSpanKeys', () => {
  it('calls spans new until they are added, then never again', () => {
    const keys = new RecentSpanKeys(10);
    keys.load([], true);
    const span = makeSpanRow();
    expect(keys.certainlyNew([span])).toBe(true);
    keys.addAll([span]);
    expect(keys.certainlyNew([span])).toBe(false);
    expect(keys.certainlyNew([makeSpanRow(), span])).toBe(false);
  });

  it('stops vouching for spans older than what it evicted', () => {
    const keys = new RecentSpanKeys(2);
    keys.load([], true);
    const spans = [1000, 2000, 3000].map((ms) => makeSpanRow({ startTimeUnixNano: ns(ms) }));
    keys.addAll(spans);
    // the first span was evicted: a span starting at or before it may be stored unseen
    expect(keys.certainlyNew([makeSpanRow({ startTimeUnixNano: ns(1000) })])).toBe(false);
    expect(keys.certainlyNew([spans[0]])).toBe(false);
    expect(keys.certainlyNew([makeSpanRow({ startTimeUnixNano: ns(2500) })])).toBe(true);
  });

  it('covers only what it loaded when the database held more', () => {
    const keys = new RecentSpanKeys(2);
    const newest = [makeSpanRow({ startTimeUnixNano: ns(3000) }), makeSpanRow({ startTimeUnixNano: ns(2000) })];
    keys.load(newest.map((s) => ({ traceId: s.traceId, spanId: s.spanId, startNs: s.startTimeUnixNano })), false);
    expect(keys.certainlyNew([makeSpanRow({ startTimeUnixNano: ns(1000) })])).toBe(false);
    expect(keys.certainlyNew([newest[1]])).toBe(false);
    expect(keys.certainlyNew([makeSpanRow({ startTimeUnixNano: ns(4000) })])).toBe(true);
  });
});
