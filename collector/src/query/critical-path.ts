/**
 * The critical path of an execution: the chain of spans that determined its duration, as
 * Jaeger and Tempo define it. Walk back from the root's end: the child that finished last
 * (before the time reached so far) held its parent up from its end to that time; descend into
 * it and repeat; a span with no such child held the path from its own start, and the walk
 * returns to its parent at that start. Children are clipped to their parent's interval.
 *
 * Invariants: the segments do not overlap, are in time order and add up to the root's
 * duration; each step either descends or moves the time back, so the walk ends. The time
 * reached at a parent only decreases, so each parent's children (sorted by end, latest first)
 * are scanned once over the whole walk: linear after the sorts, for 100,000 spans too.
 */
import { childrenOf, clipped, type SpanTree } from './span-tree.js';

export interface CriticalSegmentUs {
  span: number;
  startUs: number;
  endUs: number;
}

export interface CriticalPathResult {
  /** In time order. */
  segments: CriticalSegmentUs[];
  /** Spans on the path, each once, in the order the walk meets them (the root first). */
  spans: number[];
  /** Per span of the tree, microseconds on the path. */
  criticalUs: Float64Array;
}

/** Computes the critical path of the tree's root. An empty tree has an empty path. */
export function criticalPath(tree: SpanTree): CriticalPathResult {
  const criticalUs = new Float64Array(tree.count);
  const segments: CriticalSegmentUs[] = [];
  const spans: number[] = [];
  const root = tree.root;
  if (root < 0) return { segments, spans, criticalUs };
  const n = tree.count;
  const met = new Uint8Array(n);
  // Every span's interval clipped to its parent's (the root keeps its own).
  const cs = new Float64Array(n);
  const ce = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i];
    if (p < 0) {
      cs[i] = tree.start[i];
      ce[i] = tree.end[i];
    } else [cs[i], ce[i]] = clipped(tree, i, p);
  }
  // Per parent, its children sorted by clipped end (latest first) in place of start order, sorted
  // when the walk first reaches it; `next` is how far the walk has scanned them.
  const kids = tree.childList.slice();
  const sorted = new Uint8Array(n);
  const next = new Int32Array(n);
  const byEnd = (x: number, y: number) => ce[y] - ce[x] || cs[y] - cs[x];
  const push = (span: number, from: number, to: number) => {
    if (!met[span]) {
      met[span] = 1;
      spans.push(span);
    }
    if (to > from) {
      segments.push({ span, startUs: from, endUs: to });
      criticalUs[span] += to - from;
    }
  };
  let span = root;
  let time = tree.end[root];
  for (;;) {
    const lo = tree.childStart[span];
    const hi = tree.childStart[span + 1];
    if (!sorted[span]) {
      sorted[span] = 1;
      if (hi - lo > 1) kids.subarray(lo, hi).sort(byEnd);
    }
    // Skip children that end after the time reached, or start at or after it (nothing left of them to wait for).
    let k = lo + next[span];
    while (k < hi && (ce[kids[k]] > time || cs[kids[k]] >= time)) k++;
    if (k < hi) {
      const child = kids[k];
      next[span] = k + 1 - lo;
      push(span, ce[child], time);
      time = ce[child];
      span = child;
      continue;
    }
    next[span] = hi - lo;
    push(span, cs[span], time);
    if (span === root) break;
    time = cs[span];
    span = tree.parent[span];
  }
  segments.reverse();
  return { segments, spans, criticalUs };
}
