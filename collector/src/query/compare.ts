/**
 * Two executions side by side (Jaeger's trace compare, made for flows): their spans matched
 * level by level under matched parents — flow nodes by node id and order (the k-th run of a
 * node under a parent with the k-th), then what is left by service + name and order, which is
 * how plain OTel spans match (by position). Unmatched spans, with all they contain, are rows
 * of one side only.
 *
 * Invariants: every span of either trace is in exactly one row (up to `limit` rows); rows
 * follow a's depth-first order, with b's own spans placed where b has them.
 */
import type { CompareMatch } from '../api/why-wire-types.js';
import { childrenOf, type SpanTree } from './span-tree.js';

/** A pair to emit (then its children), or a subtree of one side only. */
type Work = { kind: 'pair'; a: number; b: number; match: CompareMatch } | { kind: 'one'; tree: 'a' | 'b'; i: number };

export interface MatchedRow {
  match: CompareMatch;
  a: number;
  b: number;
}

/** Matches the two trees' spans, returning rows (span indexes, -1 for a missing side), cut at `limit`. */
export function matchSpans(a: SpanTree, b: SpanTree, limit: number): { rows: MatchedRow[]; truncated: boolean } {
  const rows: MatchedRow[] = [];
  let truncated = false;
  const emit = (row: MatchedRow): boolean => {
    if (rows.length >= limit) {
      truncated = true;
      return false;
    }
    rows.push(row);
    return true;
  };
  /** A whole subtree as rows of one side. */
  const oneSide = (tree: SpanTree, top: number, side: 'a' | 'b'): void => {
    const stack = [top];
    while (stack.length > 0 && !truncated) {
      const i = stack.pop()!;
      emit(side === 'a' ? { match: 'only-a', a: i, b: -1 } : { match: 'only-b', a: -1, b: i });
      const kids = childrenOf(tree, i);
      for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]);
    }
  };
  // Depth-first over matched pairs; the stack holds either a pair to emit with its children, or a lone subtree.
  const stack: Work[] = [];
  const topA = topLevel(a);
  const topB = topLevel(b);
  pushLevel(stack, a, b, topA, topB);
  while (stack.length > 0 && !truncated) {
    const w = stack.pop()!;
    if (w.kind === 'one') {
      oneSide(w.tree === 'a' ? a : b, w.i, w.tree);
      continue;
    }
    if (!emit({ match: w.match, a: w.a, b: w.b })) break;
    pushLevel(stack, a, b, Array.from(childrenOf(a, w.a)), Array.from(childrenOf(b, w.b)));
  }
  return { rows, truncated };
}

/** The root first, then orphans (spans whose parent is missing), in start order. */
function topLevel(t: SpanTree): number[] {
  const out: number[] = t.root >= 0 ? [t.root] : [];
  for (let i = 0; i < t.count; i++) if (t.parent[i] < 0 && i !== t.root) out.push(i);
  return out;
}

/** Matches one level's siblings and pushes the work in reverse, so it pops in order. */
function pushLevel(stack: Work[],
  a: SpanTree, b: SpanTree, kidsA: number[], kidsB: number[]): void {
  const partner = new Map<number, { b: number; match: CompareMatch }>();
  const takenB = new Set<number>();
  const pairUp = (keyA: (i: number) => string | null, keyB: (i: number) => string | null, match: (i: number) => CompareMatch) => {
    const queues = new Map<string, number[]>();
    for (const j of kidsB) {
      if (takenB.has(j)) continue;
      const key = keyB(j);
      if (key === null) continue;
      const q = queues.get(key);
      if (q) q.push(j);
      else queues.set(key, [j]);
    }
    for (const i of kidsA) {
      if (partner.has(i)) continue;
      const key = keyA(i);
      const q = key === null ? undefined : queues.get(key);
      if (!q || q.length === 0) continue;
      const j = q.shift()!;
      partner.set(i, { b: j, match: match(i) });
      takenB.add(j);
    }
  };
  // The k-th span of a node id under this parent matches the k-th of b: queues keep start order.
  pairUp((i) => a.nodeIds[i], (j) => b.nodeIds[j], () => 'node');
  pairUp((i) => `${a.services[i]}\u0000${a.names[i]}`, (j) => `${b.services[j]}\u0000${b.names[j]}`, (i) => (a.nodeIds[i] !== null ? 'name' : 'position'));
  // Roots of the two executions always pair: they are the runs being compared.
  if (kidsA.length > 0 && kidsB.length > 0 && kidsA[0] === a.root && kidsB[0] === b.root && !partner.has(a.root) && !takenB.has(b.root)) {
    partner.set(a.root, { b: b.root, match: a.nodeIds[a.root] !== null ? 'name' : 'position' });
    takenB.add(b.root);
  }
  // Order: a's siblings in start order; b's lone siblings go before the first a sibling whose partner comes after them in b.
  const posB = new Map(kidsB.map((j, k) => [j, k]));
  const work: Work[] = [];
  const loneB = kidsB.filter((j) => !takenB.has(j));
  let nextLone = 0;
  for (const i of kidsA) {
    const p = partner.get(i);
    if (p) {
      while (nextLone < loneB.length && posB.get(loneB[nextLone])! < posB.get(p.b)!) work.push({ kind: 'one', tree: 'b', i: loneB[nextLone++] });
      work.push({ kind: 'pair', a: i, b: p.b, match: p.match });
    } else work.push({ kind: 'one', tree: 'a', i });
  }
  while (nextLone < loneB.length) work.push({ kind: 'one', tree: 'b', i: loneB[nextLone++] });
  for (let k = work.length - 1; k >= 0; k--) stack.push(work[k]);
}
