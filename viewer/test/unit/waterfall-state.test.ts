// Waterfall view state without a browser: keyboard moves, collapse by id across rebuilds, search stepping, zoom.
import { describe, expect, it } from 'vitest';
import { WaterfallState } from '../../src/lib/state/waterfall.svelte.js';
import { buildTraceTree } from '../../src/lib/model/trace-tree.js';
import { makeSpan } from '../fixtures/make-span.js';

// root ─ a ─ a1
//      └ b
const tree = buildTraceTree([
  makeSpan({ spanId: 'root' }, 0, 100),
  makeSpan({ spanId: 'a', parentSpanId: 'root', name: 'alpha' }, 1),
  makeSpan({ spanId: 'a1', parentSpanId: 'a', name: 'alpha child' }, 2),
  makeSpan({ spanId: 'b', parentSpanId: 'root', name: 'beta' }, 20),
]);

function state() {
  const selections: Array<string | null> = [];
  const wf = new WaterfallState(() => tree);
  wf.onselect = (id) => selections.push(id);
  return { wf, selections };
}
const visible = (wf: WaterfallState) => [...wf.rowStates!.rows].map((i) => tree.spans[i].spanId);

describe('WaterfallState keyboard navigation', () => {
  it('moves down and up through visible rows and reports selections', () => {
    const { wf, selections } = state();
    wf.onKey('ArrowDown');
    wf.onKey('ArrowDown');
    expect(wf.selectedId).toBe('a');
    wf.onKey('k');
    expect(wf.selectedId).toBe('root');
    expect(selections).toEqual(['root', 'a', 'root']);
  });

  it('collapses with left, goes to the parent with a second left, expands with right', () => {
    const { wf } = state();
    wf.select(tree.indexById.get('a')!, false);
    wf.onKey('ArrowLeft');
    expect(visible(wf)).toEqual(['root', 'a', 'b']);
    wf.onKey('ArrowLeft');
    expect(wf.selectedId).toBe('root');
    wf.select(tree.indexById.get('a')!, false);
    wf.onKey('ArrowRight');
    expect(visible(wf)).toEqual(['root', 'a', 'a1', 'b']);
  });

  it('steps through search matches, expanding collapsed ancestors', () => {
    const { wf } = state();
    wf.collapseToDepth(1);
    expect(visible(wf)).toEqual(['root', 'a', 'b']);
    wf.setSearch('alpha');
    wf.onKey('n');
    wf.onKey('n');
    expect(wf.selectedId).toBe('a1');
    expect(visible(wf)).toContain('a1');
    wf.onKey('N');
    expect(wf.selectedId).toBe('a');
  });

  it('keeps collapse and selection by span id when the tree is rebuilt', () => {
    let current = tree;
    const wf = new WaterfallState(() => current);
    wf.toggle(tree.indexById.get('a')!);
    wf.select(tree.indexById.get('b')!, false);
    current = buildTraceTree([...tree.spans, makeSpan({ spanId: 'a0', parentSpanId: 'a', name: 'earlier' }, 1.5)]);
    const rebuilt = new WaterfallState(() => current);
    rebuilt.collapsedIds = wf.collapsedIds;
    rebuilt.selectedId = wf.selectedId;
    expect([...rebuilt.rowStates!.rows].map((i) => current.spans[i].spanId)).toEqual(['root', 'a', 'b']);
    expect(rebuilt.selectedIndex).toBe(current.indexById.get('b'));
  });

  it('zooms to a time window and resets on a tiny one', () => {
    const { wf } = state();
    wf.zoom(0.6, 0.2);
    expect(wf.view).toEqual([0.2, 0.6]);
    wf.zoom(0.5, 0.5);
    expect(wf.view).toEqual([0, 1]);
  });
});
