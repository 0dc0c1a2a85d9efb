/**
 * The pure parts of the "why" views: a span's self time from the tree, the run drawn as its
 * flow (parallel siblings share a column, repeats collapse ×N), the flame graph's layout, and
 * JSON lines marked by differing paths.
 */
import { describe, expect, it } from 'vitest';
import { buildTraceTree } from '../../src/lib/model/trace-tree.js';
import { selfTimeMs } from '../../src/lib/model/self-time.js';
import { buildFlowGraph } from '../../src/lib/model/flow-graph.js';
import { layoutFlame } from '../../src/lib/model/flame-layout.js';
import { isMarked, jsonLines } from '../../src/lib/model/json-lines.js';
import { makeSpan, T0 } from '../fixtures/make-span.js';

const tree = buildTraceTree([
  makeSpan({ spanId: 'root' }, 0, 100),
  makeSpan({ spanId: 'a', parentSpanId: 'root', name: 'fetch' }, 10, 40),
  makeSpan({ spanId: 'b', parentSpanId: 'root', name: 'parse' }, 30, 40),
  ...Array.from({ length: 5 }, (_, k) => makeSpan({ spanId: `i${k}`, parentSpanId: 'root', name: `item ${k}`, status: k === 3 ? 'error' : 'success' }, 75 + k * 4, 3)),
]);

describe('self time', () => {
  it('is the duration minus the union of the direct children, overlaps once', () => {
    // Children cover 10–70 and five 3 ms items: 60 + 15.
    expect(selfTimeMs(tree, tree.indexById.get('root')!, T0)).toBeCloseTo(25);
    expect(selfTimeMs(tree, tree.indexById.get('a')!, T0)).toBeCloseTo(40);
  });
});

describe('flow graph', () => {
  it('puts parallel siblings in one column and collapses a run of numbered nodes ×N with the worst status', () => {
    const g = buildFlowGraph(tree, tree.indexById.get('root')!, T0);
    expect(g.columns.map((c) => c.map((b) => `${b.label}×${b.count}:${b.status}`))).toEqual([['fetch×1:success', 'parse×1:success'], ['item #×5:error']]);
  });

  it('keeps at most maxColumns steps and counts the rest', () => {
    const spans = [makeSpan({ spanId: 'r' }, 0, 1000), ...Array.from({ length: 50 }, (_, k) => makeSpan({ spanId: `s${k}`, parentSpanId: 'r', name: k % 2 ? 'odd' : 'even' }, k * 10, 5))];
    const g = buildFlowGraph(buildTraceTree(spans), 0, T0, 3, 10);
    expect(g.columns).toHaveLength(10);
    expect(g.hiddenColumns).toBe(40);
  });
});

describe('flame layout', () => {
  it('places children from their parent\'s left edge, as wide as their share', () => {
    const { boxes } = layoutFlame([
      { parent: -1, depth: 0, name: 'root', serviceName: 's', count: 1, selfMs: 2, valueMs: 10, spanId: 'r' },
      { parent: 0, depth: 1, name: 'a', serviceName: 's', count: 1, selfMs: 5, valueMs: 5, spanId: 'a' },
      { parent: 0, depth: 1, name: 'b', serviceName: 's', count: 1, selfMs: 3, valueMs: 3, spanId: 'b' },
    ]);
    expect(boxes.map((b) => [b.frame.name, b.x, b.w])).toEqual([['root', 0, 1], ['a', 0, 0.5], ['b', 0.5, 0.3]]);
  });
});

describe('JSON lines', () => {
  it('names each line by its path and marks lines under a differing path', () => {
    const lines = jsonLines({ card: { last4: '1' }, 'a b': [1] });
    expect(lines.map((l) => l.path)).toEqual(['$', '$.card', '$.card.last4', '$.card', '$["a b"]', '$["a b"][0]', '$["a b"]', '$']);
    const marked = new Set(['$["a b"]']);
    expect(lines.filter((l) => isMarked(l.path, marked)).map((l) => l.text)).toEqual(['"a b": [', '1', ']']);
  });
});
