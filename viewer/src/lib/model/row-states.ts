/**
 * Tree → row states: which spans are rows right now, given collapsed subtrees, an optional
 * filter and a search. Pure and O(n) at worst, so it can rerun on every keystroke of a
 * 100k-span trace; collapsed subtrees are skipped in one jump via `subtreeEnd`.
 */
import type { TraceTree } from './trace-tree.js';
import type { SpanModel } from './types.js';

export interface RowStateOptions {
  /** Indices (into tree.spans) whose subtrees are hidden. */
  collapsed?: ReadonlySet<number>;
  /** Search text; matching spans are marked (case-insensitive). */
  search?: string;
  /**
   * Span ids the collector found holding the search text in their attribute values (which the
   * outline lacks; GET …/span-matches): marked as matches too.
   */
  searchExtra?: ReadonlySet<string> | null;
  /** Keep only spans passing this test, plus their ancestors so the tree still reads. */
  filter?: ((span: SpanModel, index: number) => boolean) | null;
}

export interface RowStates {
  /** Visible span indices, in order. */
  rows: Int32Array;
  /** 1 where tree.spans[i] matches the search. */
  match: Uint8Array;
  /** All matching span indices in tree order (visible or not). */
  matches: number[];
}

/**
 * Does the span match a lowercase search term? Searched: name, node name, id and type,
 * service, status message (substrings), status (whole word) and span id (prefix). Attribute
 * values are not here: the waterfall holds the trace's outline, not its attributes (the
 * collector answers for those: RowStateOptions.searchExtra).
 */
export function spanMatches(span: SpanModel, term: string): boolean {
  if (span.name.toLowerCase().includes(term)) return true;
  if (span.statusMessage && span.statusMessage.toLowerCase().includes(term)) return true;
  if (span.serviceName.toLowerCase().includes(term)) return true;
  if (span.spanId.startsWith(term) || span.status === term) return true;
  for (const text of [span.nodeName, span.nodeId, span.nodeType]) if (text && text.toLowerCase().includes(term)) return true;
  return false;
}

/** Computes the visible rows and search matches of a trace tree. */
export function generateRowStates(tree: TraceTree, options: RowStateOptions = {}): RowStates {
  const n = tree.spans.length;
  const collapsed = options.collapsed;
  const term = options.search?.trim().toLowerCase() ?? '';
  const match = new Uint8Array(n);
  const matches: number[] = [];
  if (term) {
    for (let i = 0; i < n; i++) {
      if (spanMatches(tree.spans[i], term) || options.searchExtra?.has(tree.spans[i].spanId)) {
        match[i] = 1;
        matches.push(i);
      }
    }
  }
  let keep: Uint8Array | null = null;
  if (options.filter) {
    keep = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (!options.filter(tree.spans[i], i)) continue;
      for (let j = i; j >= 0 && keep[j] === 0; j = tree.parent[j]) keep[j] = 1;
    }
  }
  const rows = new Int32Array(n);
  let count = 0;
  let i = 0;
  while (i < n) {
    if (keep && keep[i] === 0) {
      i++;
      continue;
    }
    rows[count++] = i;
    i = collapsed && collapsed.has(i) ? tree.subtreeEnd[i] : i + 1;
  }
  return { rows: rows.subarray(0, count), match, matches };
}

/** Collapses every span at `depth` or deeper that has children (a "collapse to level" action). */
export function collapseFromDepth(tree: TraceTree, depth: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < tree.spans.length; i++) if (tree.depth[i] >= depth && tree.childCount[i] > 0) out.add(i);
  return out;
}

/** Position of span index `i` among the rows, or -1 if it is hidden. Binary search: rows ascend. */
export function rowOf(rows: Int32Array, i: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = rows[mid];
    if (v === i) return mid;
    if (v < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The first row whose span index is ≥ i (rows ascend); rows.length - 1 when none. */
export function rowAtOrAfter(rows: Int32Array, i: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, rows.length - 1);
}
