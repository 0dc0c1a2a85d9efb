/**
 * Waterfall view state: collapsed subtrees and the selection (kept by span id so they
 * survive live rebuilds of the tree), search with a match cursor, an errors-only filter,
 * a time window for zoom, the virtual scroll position, and keyboard navigation.
 */
import { collapseFromDepth, generateRowStates, rowOf, type RowStates } from '../model/row-states.js';
import type { TraceTree } from '../model/trace-tree.js';
import type { SpanModel } from '../model/types.js';

export const ROW_HEIGHT = 24;
const OVERSCAN = 6;

export class WaterfallState {
  /** The tree comes from the owner (the trace state), read lazily so it is never stale. */
  private readonly source: () => TraceTree | null;
  readonly tree: TraceTree | null = $derived.by(() => this.source());
  collapsedIds = $state.raw<ReadonlySet<string>>(new Set());
  selectedId = $state<string | null>(null);
  search = $state('');
  errorsOnly = $state(false);
  /** Span ids whose attribute values hold the search text (lib/state/span-search.svelte.ts). */
  searchExtra = $state.raw<ReadonlySet<string> | null>(null);
  /** The span filters' predicate (lib/model/span-filters.ts), null for none. */
  spanFilter = $state.raw<((s: SpanModel) => boolean) | null>(null);
  matchCursor = $state(-1);
  /** Visible time window as fractions of the trace's range. */
  view = $state.raw<[number, number]>([0, 1]);
  scrollTop = $state(0);
  viewportHeight = $state(600);
  /** Told about selections the user makes (the page mirrors them into the URL). */
  onselect: ((spanId: string | null) => void) | null = null;
  private el: HTMLElement | null = null;

  constructor(source: () => TraceTree | null) {
    this.source = source;
  }

  readonly collapsed: Set<number> = $derived.by(() => {
    const out = new Set<number>();
    const tree = this.tree;
    if (!tree) return out;
    for (const id of this.collapsedIds) {
      const i = tree.indexById.get(id);
      if (i !== undefined) out.add(i);
    }
    return out;
  });

  readonly rowStates: RowStates | null = $derived.by(() => {
    const tree = this.tree;
    if (!tree) return null;
    const errors = this.errorsOnly ? (s: SpanModel) => s.status === 'error' : null;
    const spans = this.spanFilter;
    const filter = errors && spans ? (s: SpanModel) => errors(s) && spans(s) : (errors ?? spans);
    return generateRowStates(tree, { collapsed: this.collapsed, search: this.search, searchExtra: this.searchExtra, filter });
  });

  readonly selectedIndex: number = $derived(this.tree && this.selectedId ? (this.tree.indexById.get(this.selectedId) ?? -1) : -1);

  /**
   * The slice of rows to render, [firstRow, lastRow). Numbers (not a tuple) so that a scroll
   * within the same rows changes nothing downstream.
   */
  readonly firstRow: number = $derived(Math.max(0, Math.floor(this.scrollTop / ROW_HEIGHT) - OVERSCAN));
  readonly lastRow: number = $derived(
    Math.min(this.rowStates?.rows.length ?? 0, Math.ceil((this.scrollTop + this.viewportHeight) / ROW_HEIGHT) + OVERSCAN),
  );

  /** The scroll container, so keyboard moves can scroll rows into view. */
  attach(el: HTMLElement | null): void {
    this.el = el;
  }

  toggle(i: number): void {
    const tree = this.tree;
    if (!tree || tree.childCount[i] === 0) return;
    const id = tree.spans[i].spanId;
    const next = new Set(this.collapsedIds);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.collapsedIds = next;
  }

  expandAll(): void {
    this.collapsedIds = new Set();
  }

  /** Collapses every subtree below `depth` (1 = show the root's children only). */
  collapseToDepth(depth: number): void {
    const tree = this.tree;
    if (!tree) return;
    this.collapsedIds = new Set([...collapseFromDepth(tree, depth)].map((i) => tree.spans[i].spanId));
  }

  clearSelection(): void {
    this.selectedId = null;
    this.onselect?.(null);
  }

  /** Selects span i, expanding its ancestors and scrolling it into view. */
  select(i: number, scroll = true, notify = true): void {
    const tree = this.tree;
    if (!tree || i < 0 || i >= tree.spans.length) return;
    let changed = false;
    const next = new Set(this.collapsedIds);
    for (let p = tree.parent[i]; p >= 0; p = tree.parent[p]) changed = next.delete(tree.spans[p].spanId) || changed;
    if (changed) this.collapsedIds = next;
    this.selectedId = tree.spans[i].spanId;
    if (notify) this.onselect?.(this.selectedId);
    if (scroll) queueMicrotask(() => this.scrollToIndex(i));
  }

  scrollToIndex(i: number): void {
    const rows = this.rowStates?.rows;
    if (!rows || !this.el) return;
    const row = rowOf(rows, i);
    if (row < 0) return;
    const top = row * ROW_HEIGHT;
    const view = this.el.clientHeight;
    const from = this.el.scrollTop;
    if (top >= from && top + ROW_HEIGHT <= from + view) return;
    // A neighbour (keyboard step) scrolls just enough; a far jump (search, minimap) centres the row.
    const near = top < from ? from - top <= ROW_HEIGHT * 2 : top + ROW_HEIGHT - (from + view) <= ROW_HEIGHT * 2;
    if (!near) this.el.scrollTop = Math.max(0, top - view / 2 + ROW_HEIGHT / 2);
    else if (top < from) this.el.scrollTop = top;
    else this.el.scrollTop = top + ROW_HEIGHT - view;
  }

  /** Moves to the next (+1) or previous (-1) search match. */
  nextMatch(dir: 1 | -1): void {
    const matches = this.rowStates?.matches ?? [];
    if (matches.length === 0) return;
    this.matchCursor = (this.matchCursor + dir + matches.length) % matches.length;
    this.select(matches[this.matchCursor]);
  }

  setSearch(text: string): void {
    this.search = text;
    this.matchCursor = -1;
  }

  /** Keyboard navigation; returns true when the key was used. */
  onKey(key: string): boolean {
    const tree = this.tree;
    const rows = this.rowStates?.rows;
    if (!tree || !rows || rows.length === 0) return false;
    const cur = this.selectedIndex >= 0 ? rowOf(rows, this.selectedIndex) : -1;
    const move = (row: number) => this.select(rows[Math.max(0, Math.min(rows.length - 1, row))]);
    const page = Math.max(1, Math.floor(this.viewportHeight / ROW_HEIGHT) - 1);
    switch (key) {
      case 'ArrowDown': case 'j': move(cur + 1); return true;
      case 'ArrowUp': case 'k': move(cur < 0 ? 0 : cur - 1); return true;
      case 'PageDown': move(cur + page); return true;
      case 'PageUp': move(cur - page); return true;
      case 'Home': move(0); return true;
      case 'End': move(rows.length - 1); return true;
      case 'n': this.nextMatch(1); return true;
      case 'N': this.nextMatch(-1); return true;
      case 'Escape': this.clearSelection(); return true;
    }
    const i = this.selectedIndex;
    if (i < 0) return false;
    const isCollapsed = this.collapsed.has(i);
    if (key === 'ArrowRight' || key === 'l') {
      if (isCollapsed) this.toggle(i);
      else if (tree.childCount[i] > 0) move(cur + 1);
      return true;
    }
    if (key === 'ArrowLeft' || key === 'h') {
      if (tree.childCount[i] > 0 && !isCollapsed) this.toggle(i);
      else if (tree.parent[i] >= 0) this.select(tree.parent[i]);
      return true;
    }
    return false;
  }

  /** Zooms the time axis to [a, b] (fractions); a tiny window resets. */
  zoom(a: number, b: number): void {
    const lo = Math.max(0, Math.min(a, b));
    const hi = Math.min(1, Math.max(a, b));
    this.view = hi - lo < 0.001 ? [0, 1] : [lo, hi];
  }
}
