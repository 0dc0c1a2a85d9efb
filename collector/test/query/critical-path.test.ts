/**
 * The critical path (Jaeger's and Tempo's definition) and self time of one execution, computed
 * from its span tree: sequential and parallel children, children that outlive their parent,
 * running spans, zero-length spans, and a 100,000-span trace whose path still adds up.
 */
import { describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/query/critical-path.js';
import { selfTimes } from '../../src/query/span-tree.js';
import { idsOf, makeTree } from '../fixtures/span-trees.js';

const segmentsOf = (tree: ReturnType<typeof makeTree>) =>
  criticalPath(tree).segments.map((s) => [tree.ids[s.span], s.startUs, s.endUs]);
const selfOf = (tree: ReturnType<typeof makeTree>, id: string) => selfTimes(tree)[tree.ids.indexOf(id)];

describe('critical path', () => {
  it('runs through sequential nodes and the root between them, root first', () => {
    const tree = makeTree([
      { id: 'root', start: 0, end: 100 },
      { id: 'a', parent: 'root', start: 0, end: 40 },
      { id: 'b', parent: 'root', start: 40, end: 90 },
    ]);
    const path = criticalPath(tree);
    expect(idsOf(tree, path.spans)).toEqual(['root', 'b', 'a']);
    expect(segmentsOf(tree)).toEqual([['a', 0, 40], ['b', 40, 90], ['root', 90, 100]]);
  });

  it('follows the last-finishing of parallel children and leaves out the one that finished earlier', () => {
    const tree = makeTree([
      { id: 'root', start: 0, end: 100 },
      { id: 'a', parent: 'root', start: 10, end: 60 },
      { id: 'b', parent: 'root', start: 20, end: 80 },
      { id: 'c', parent: 'b', start: 30, end: 50 },
    ]);
    const path = criticalPath(tree);
    expect(idsOf(tree, path.spans)).toEqual(['root', 'b', 'c']);
    expect(segmentsOf(tree)).toEqual([['root', 0, 20], ['b', 20, 30], ['c', 30, 50], ['b', 50, 80], ['root', 80, 100]]);
    expect(path.criticalUs[tree.ids.indexOf('a')]).toBe(0);
    expect(path.criticalUs[tree.ids.indexOf('b')]).toBe(40);
  });

  it('clips a child that outlives its parent to the parent, so the path adds up to the root', () => {
    const tree = makeTree([
      { id: 'root', start: 0, end: 100 },
      { id: 'late', parent: 'root', start: 10, end: 150 },
    ]);
    expect(segmentsOf(tree)).toEqual([['root', 0, 10], ['late', 10, 100]]);
  });

  it('ends on zero-length children at the time reached instead of stepping into them forever', () => {
    const tree = makeTree([
      { id: 'root', start: 0, end: 10 },
      { id: 'z1', parent: 'root', start: 10, end: 10 },
      { id: 'z2', parent: 'root', start: 5, end: 5 },
      { id: 'a', parent: 'root', start: 0, end: 5 },
    ]);
    const total = criticalPath(tree).segments.reduce((sum, s) => sum + s.endUs - s.startUs, 0);
    expect(total).toBe(10);
    expect(segmentsOf(tree)).toEqual([['a', 0, 5], ['root', 5, 10]]);
  });

  it('measures a running span up to the last time the trace knows', () => {
    const tree = makeTree([
      { id: 'root', start: 0, end: null },
      { id: 'done', parent: 'root', start: 0, end: 30 },
      { id: 'busy', parent: 'root', start: 30, end: null },
      { id: 'inner', parent: 'busy', start: 35, end: 70 },
    ]);
    expect(segmentsOf(tree)).toEqual([['done', 0, 30], ['busy', 30, 35], ['inner', 35, 70]]);
  });

  it('walks a 100,000-span trace and its segments add up to the root without overlapping', () => {
    const spans = [{ id: 'root', start: 0, end: 10_000_000 }];
    for (let g = 0; g < 2000; g++) {
      spans.push({ id: `g${g}`, parent: 'root', start: g * 5000, end: g * 5000 + 4900 } as never);
      for (let k = 0; k < 49; k++) spans.push({ id: `g${g}i${k}`, parent: `g${g}`, start: g * 5000 + k * 90, end: g * 5000 + k * 90 + 60 + (k % 7) * 10 } as never);
    }
    const tree = makeTree(spans);
    expect(tree.count).toBe(100_001);
    const { segments } = criticalPath(tree);
    expect(segments.reduce((sum, s) => sum + s.endUs - s.startUs, 0)).toBe(10_000_000);
    const overlapping = segments.filter((s, k) => k > 0 && s.startUs < segments[k - 1].endUs);
    expect(overlapping).toEqual([]);
  });
});

describe('self time', () => {
  it('is the duration minus the union of the children, overlaps counted once', () => {
    const tree = makeTree([
      { id: 'root', start: 0, end: 100 },
      { id: 'a', parent: 'root', start: 10, end: 50 },
      { id: 'b', parent: 'root', start: 30, end: 70 },
      { id: 'c', parent: 'root', start: 80, end: 90 },
    ]);
    expect(selfOf(tree, 'root')).toBe(30);
    expect(selfOf(tree, 'a')).toBe(40);
  });

  it('counts only the part of a child inside its parent', () => {
    const tree = makeTree([
      { id: 'root', start: 0, end: 100 },
      { id: 'late', parent: 'root', start: 60, end: 400 },
    ]);
    expect(selfOf(tree, 'root')).toBe(60);
    expect(selfOf(tree, 'late')).toBe(340);
  });
});
