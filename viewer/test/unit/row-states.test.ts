// The second stage of the waterfall pipeline: visible rows under collapse, filter and search.
import { describe, expect, it } from 'vitest';
import { buildTraceTree } from '../../src/lib/model/trace-tree.js';
import { collapseFromDepth, generateRowStates, rowAtOrAfter, rowOf } from '../../src/lib/model/row-states.js';
import { makeSpan } from '../fixtures/make-span.js';

// root ─ a ─ a1
//      │   └ a2
//      └ b (error)
const tree = buildTraceTree([
  makeSpan({ spanId: 'root', name: 'checkout' }, 0, 100),
  makeSpan({ spanId: 'a', parentSpanId: 'root', name: 'load cart' }, 1),
  makeSpan({ spanId: 'a1', parentSpanId: 'a', name: 'db query', nodeId: 'read-cart', nodeName: 'Read the cart', nodeType: 'db' }, 2),
  makeSpan({ spanId: 'a2', parentSpanId: 'a', name: 'cache get' }, 3),
  makeSpan({ spanId: 'b', parentSpanId: 'root', name: 'charge card', status: 'error', statusMessage: 'Declined by bank' }, 20),
]);
const names = (rows: Int32Array) => [...rows].map((i) => tree.spans[i].spanId);

describe('generateRowStates', () => {
  it('shows every span when nothing is collapsed', () => {
    expect(names(generateRowStates(tree).rows)).toEqual(['root', 'a', 'a1', 'a2', 'b']);
  });

  it('hides the subtree of a collapsed span but keeps the span itself', () => {
    const a = tree.indexById.get('a')!;
    expect(names(generateRowStates(tree, { collapsed: new Set([a]) }).rows)).toEqual(['root', 'a', 'b']);
  });

  it('marks search matches by name, node name, id and type, case-insensitively', () => {
    const s = generateRowStates(tree, { search: 'CART' });
    expect(s.matches.map((i) => tree.spans[i].spanId)).toEqual(['a', 'a1']);
    expect(s.match[tree.indexById.get('b')!]).toBe(0);
    expect(generateRowStates(tree, { search: 'read-cart' }).matches).toEqual([tree.indexById.get('a1')]);
    expect(generateRowStates(tree, { search: 'db' }).matches).toEqual([tree.indexById.get('a1')]);
  });

  it('marks search matches by status message, service, status and span id prefix', () => {
    const found = (search: string) => generateRowStates(tree, { search }).matches.map((i) => tree.spans[i].spanId);
    expect(found('declined')).toEqual(['b']);
    expect(found('error')).toEqual(['b']);
    expect(found('svc')).toEqual(['root', 'a', 'a1', 'a2', 'b']);
    expect(found('a2')).toEqual(['a2']);
  });

  it('keeps filtered spans together with their ancestors', () => {
    const s = generateRowStates(tree, { filter: (span) => span.status === 'error' });
    expect(names(s.rows)).toEqual(['root', 'b']);
  });

  it('finds the row of a span, or none when it is hidden in a collapsed subtree', () => {
    const all = collapseFromDepth(tree, 0);
    const a1 = tree.indexById.get('a1')!;
    expect(rowOf(generateRowStates(tree).rows, a1)).toBe(2);
    const collapsedRows = generateRowStates(tree, { collapsed: all }).rows;
    expect(names(collapsedRows)).toEqual(['root']);
    expect(rowOf(collapsedRows, a1)).toBe(-1);
    expect(rowAtOrAfter(generateRowStates(tree, { collapsed: new Set([tree.indexById.get('a')!]) }).rows, a1)).toBe(2);
  });
});
