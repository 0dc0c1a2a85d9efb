// The first stage of the waterfall pipeline: spans → depth-first tree with depths and subtree ends.
import { describe, expect, it } from 'vitest';
import { buildTraceTree } from '../../src/lib/model/trace-tree.js';
import { makeSpan } from '../fixtures/make-span.js';

const ids = (t: ReturnType<typeof buildTraceTree>) => t.spans.map((s) => s.spanId);

describe('buildTraceTree', () => {
  it('lays spans out depth-first with children in start order and depths', () => {
    const tree = buildTraceTree([
      makeSpan({ spanId: 'c2', parentSpanId: 'root' }, 20),
      makeSpan({ spanId: 'g1', parentSpanId: 'c1' }, 6),
      makeSpan({ spanId: 'root' }, 0, 100),
      makeSpan({ spanId: 'c1', parentSpanId: 'root' }, 5),
    ]);
    expect(ids(tree)).toEqual(['root', 'c1', 'g1', 'c2']);
    expect([...tree.depth]).toEqual([0, 1, 2, 1]);
    expect([...tree.parent]).toEqual([-1, 0, 1, 0]);
    expect([...tree.subtreeEnd]).toEqual([4, 3, 3, 4]);
    expect([...tree.childCount]).toEqual([2, 1, 0, 0]);
    expect(tree.maxDepth).toBe(2);
  });

  it('puts spans whose parent is missing after the roots, marked as orphans', () => {
    const tree = buildTraceTree([makeSpan({ spanId: 'o', parentSpanId: 'missing' }, 1), makeSpan({ spanId: 'r' }, 5)]);
    expect(ids(tree)).toEqual(['r', 'o']);
    expect([...tree.orphan]).toEqual([0, 1]);
    expect([...tree.depth]).toEqual([0, 0]);
  });

  it('places the root of a trace continued from elsewhere as a root, not an orphan; other orphans stay orphans', () => {
    const root = makeSpan({ spanId: 'r', parentSpanId: 'remote', startMs: 0 });
    const child = makeSpan({ spanId: 'c', parentSpanId: 'r', startMs: 1 });
    const stray = makeSpan({ spanId: 's', parentSpanId: 'lost', startMs: 2 });
    const tree = buildTraceTree([stray, child, root], 'remote');
    expect(tree.spans.map((s) => s.spanId)).toEqual(['r', 'c', 's']);
    expect(Array.from(tree.orphan)).toEqual([0, 0, 1]);
    expect(Array.from(buildTraceTree([child, root]).orphan)).toEqual([1, 0]);
  });

  it('orders siblings that start together by flow.node.index', () => {
    const tree = buildTraceTree([
      makeSpan({ spanId: 'r' }),
      makeSpan({ spanId: 'b', parentSpanId: 'r', nodeIndex: 1 }),
      makeSpan({ spanId: 'a', parentSpanId: 'r', nodeIndex: 0 }),
    ]);
    expect(ids(tree)).toEqual(['r', 'a', 'b']);
  });

  it('keeps running spans, counts them and ends the trace at the latest known time', () => {
    const tree = buildTraceTree([makeSpan({ spanId: 'r', endMs: null }, 0), makeSpan({ spanId: 'c', parentSpanId: 'r' }, 5, 30)]);
    expect(tree.runningCount).toBe(1);
    expect(tree.endMs - tree.startMs).toBe(35);
  });

  it('survives a parent cycle and a duplicated span id without losing or repeating spans', () => {
    const tree = buildTraceTree([
      makeSpan({ spanId: 'x', parentSpanId: 'y' }),
      makeSpan({ spanId: 'y', parentSpanId: 'x' }),
      makeSpan({ spanId: 'r' }),
      makeSpan({ spanId: 'r' }),
    ]);
    expect(ids(tree).sort()).toEqual(['r', 'x', 'y']);
  });

  it('keeps the finished one of a span that arrives twice (its start mark and the span)', () => {
    for (const order of [[0, 1], [1, 0]]) {
      const copies = [makeSpan({ spanId: 'c', parentSpanId: 'r', endMs: null }, 5), makeSpan({ spanId: 'c', parentSpanId: 'r' }, 5, 20)];
      const tree = buildTraceTree([makeSpan({ spanId: 'r' }, 0, 50), ...order.map((i) => copies[i])]);
      expect(ids(tree)).toEqual(['r', 'c']);
      expect(tree.spans[1].endMs).not.toBeNull();
      expect(tree.runningCount).toBe(0);
      expect(tree.indexById.get('c')).toBe(1);
    }
  });

  it('keeps the finished copy of a span, finds orphans and answers ids in a trace large enough for the id table', () => {
    const spans = [makeSpan({ spanId: 'root' }, 0, 100_000)];
    for (let i = 1; i < 40_000; i++) spans.push(makeSpan({ spanId: `s${i}`, parentSpanId: i === 7 ? 'gone' : 'root' }, i, 1));
    spans.push(makeSpan({ spanId: 's5', parentSpanId: 'root', endMs: null }, 5));
    const tree = buildTraceTree(spans);
    expect(tree.spans).toHaveLength(40_000);
    expect(tree.runningCount).toBe(0);
    expect(tree.spans[tree.indexById.get('s5')!].endMs).not.toBeNull();
    expect(tree.orphan[tree.indexById.get('s7')!]).toBe(1);
    expect(tree.spans.every((s, i) => tree.indexById.get(s.spanId) === i)).toBe(true);
    expect(tree.indexById.get('gone')).toBeUndefined();
  });

  it('builds a 100k-span tree quickly without recursion', () => {
    const spans = [makeSpan({ spanId: 's0' })];
    for (let i = 1; i < 100_000; i++) spans.push(makeSpan({ spanId: `s${i}`, parentSpanId: `s${i % 7 === 0 ? 0 : i - 1}` }, i));
    const t0 = performance.now();
    const tree = buildTraceTree(spans);
    expect(tree.spans.length).toBe(100_000);
    expect(performance.now() - t0).toBeLessThan(2000);
    // indexById answers every span's tree index, and nothing for an id not in the trace.
    expect(tree.spans.every((s, i) => tree.indexById.get(s.spanId) === i)).toBe(true);
    expect(tree.indexById.get('s100000')).toBeUndefined();
    expect(tree.indexById.get('')).toBeUndefined();
  });
});
