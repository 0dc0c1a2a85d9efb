/**
 * What a waterfall row says about its span: the span's own name, the flow node's name beside it
 * when the two differ, and which of its repeated siblings it is — "attempt 2" when a node
 * (same flow.node.id) ran again under the same parent, "#2" among siblings that only share a
 * name (the data events of a TCP connection). Ordinals count siblings in start order and are
 * worked out once per parent and tree (a parent with 10k children costs one pass, not one per row).
 */
import type { TraceTree } from './trace-tree.js';
import type { SpanModel } from './types.js';

export interface RowLabel {
  /** The span name. */
  name: string;
  /** The node name when the span is a flow node named otherwise, else null. */
  node: string | null;
  /** "attempt 2", "#3", or null for a span without a repeated sibling. */
  repeat: string | null;
}

/** Per parent index: the repeat text of each child (tree index → text), children without one left out. */
const cache = new WeakMap<TraceTree, Map<number, Map<number, string>>>();

/** The label of the span at tree index `i`. */
export function rowLabel(tree: TraceTree, i: number): RowLabel {
  const s = tree.spans[i];
  const node = s.nodeName && s.nodeName !== s.name ? s.nodeName : null;
  const p = tree.parent[i];
  return { name: s.name, node, repeat: p < 0 ? null : (repeatsUnder(tree, p).get(i) ?? null) };
}

/** The label as one line of text (search hints, titles): `name · node · attempt 2`. */
export function rowLabelText(label: RowLabel): string {
  return [label.name, label.node, label.repeat].filter(Boolean).join(' · ');
}

function repeatsUnder(tree: TraceTree, p: number): Map<number, string> {
  let byParent = cache.get(tree);
  if (!byParent) cache.set(tree, (byParent = new Map()));
  let out = byParent.get(p);
  if (out) return out;
  out = new Map();
  byParent.set(p, out);
  const children: number[] = [];
  for (let c = p + 1; c < tree.subtreeEnd[p]; c = tree.subtreeEnd[c]) children.push(c);
  if (children.length < 2) return out;
  const nodeCount = counts(children, (c) => tree.spans[c].nodeId);
  const nameCount = counts(children, (c) => nameKey(tree.spans[c]));
  const seenNode = new Map<string, number>();
  const seenName = new Map<string, number>();
  for (const c of children) {
    const s = tree.spans[c];
    if (s.nodeId !== null && nodeCount.get(s.nodeId)! > 1) out.set(c, `attempt ${bump(seenNode, s.nodeId)}`);
    else if (nameCount.get(nameKey(s))! > 1) out.set(c, `#${bump(seenName, nameKey(s))}`);
  }
  return out;
}

function nameKey(s: SpanModel): string {
  return `${s.name}\u0000${s.nodeName ?? ''}`;
}

function counts(children: number[], key: (c: number) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of children) {
    const k = key(c);
    if (k !== null) out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/** Counts one more of `key`, returning the new count (the ordinal, from 1). */
function bump(seen: Map<string, number>, key: string): number {
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  return n;
}
