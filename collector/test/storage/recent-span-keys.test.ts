import { describe, expect, it } from 'vitest';
import { RecentSpanKeys } from '../../src/storage/writer/recent-span-keys.js';
import { makeSpanRow, ns } from '../fixtures/rows.js';

const isNew = (keys: RecentSpanKeys, span: { traceId: string; spanId: string }, storedFromNs: bigint) =>
  keys.certainlyNew(span.traceId, span.spanId, storedFromNs);

describe('RecentSpanKeys', () => {
  it('calls spans new until they are added, then never again', () => {
    const keys = new RecentSpanKeys(10);
    keys.load([], true);
    const span = makeSpanRow();
    expect(isNew(keys, span, 0n)).toBe(true);
    keys.addAll([span]);
    expect(isNew(keys, span, 0n)).toBe(false);
    expect(isNew(keys, makeSpanRow(), 0n)).toBe(true);
  });

  it('stops vouching for traces that stored spans older than what it evicted', () => {
    const keys = new RecentSpanKeys(2);
    keys.load([], true);
    const spans = [1000, 2000, 3000].map((ms) => makeSpanRow({ startTimeUnixNano: ns(ms) }));
    keys.addAll(spans);
    // the first span was evicted: a trace whose spans start at or before it may hold one unseen
    expect(isNew(keys, makeSpanRow(), ns(1000))).toBe(false);
    expect(isNew(keys, spans[0], ns(1000))).toBe(false);
    expect(isNew(keys, makeSpanRow(), ns(2500))).toBe(true);
  });

  it('asks about the stored trace, not the new copy: a retry with a newer start is not vouched for', () => {
    const keys = new RecentSpanKeys(2);
    keys.load([], true);
    const old = makeSpanRow({ startTimeUnixNano: ns(1000) });
    keys.addAll([old, makeSpanRow({ startTimeUnixNano: ns(2000) }), makeSpanRow({ startTimeUnixNano: ns(3000) })]);
    // the retry starts at 5000, but its trace stored a span at 1000, before what is covered
    expect(isNew(keys, { ...old, startTimeUnixNano: ns(5000) }, ns(1000))).toBe(false);
  });

  it('covers only what it loaded when the database held more', () => {
    const keys = new RecentSpanKeys(2);
    const newest = [makeSpanRow({ startTimeUnixNano: ns(3000) }), makeSpanRow({ startTimeUnixNano: ns(2000) })];
    keys.load(newest.map((s) => ({ traceId: s.traceId, spanId: s.spanId, startNs: s.startTimeUnixNano })), false);
    expect(isNew(keys, makeSpanRow(), ns(1000))).toBe(false);
    expect(isNew(keys, newest[1], ns(2000))).toBe(false);
    expect(isNew(keys, makeSpanRow(), ns(4000))).toBe(true);
  });
});
