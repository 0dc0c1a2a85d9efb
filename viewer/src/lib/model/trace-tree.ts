/**
 * Spans → a tree laid out in depth-first order with depths: the first stage of the
 * waterfall pipeline (tree → row states → virtualized rows). Flat typed arrays keep a
 * 100k-span trace cheap: `subtreeEnd[i]` lets collapse skip a whole subtree in one jump.
 *
 * Invariants: every span appears exactly once; children follow their parent ordered by
 * start time; spans whose parent is not in the trace (orphans) become extra roots, marked
 * in `orphan`, after the real roots; a cycle in parent links cannot loop forever.
 */
import type { SpanModel } from './types.js';

export interface TraceTree {
  /** Spans in depth-first order. */
  spans: SpanModel[];
  depth: Int32Array;
  /** Index of the parent in `spans`, -1 for roots. */
  parent: Int32Array;
  /** Number of direct children. */
  childCount: Int32Array;
  /** Index one past the last descendant: the subtree of i is [i, subtreeEnd[i]). */
  subtreeEnd: Int32Array;
  /** 1 where the span's parent is missing from the trace. */
  orphan: Uint8Array;
  /** spanId → index in `spans`. */
  indexById: Map<string, number>;
  /** Earliest start, epoch ms. */
  startMs: number;
  /** Latest known end (or start, for running spans), epoch ms. */
  endMs: number;
  maxDepth: number;
  /** Count of spans still running (endMs null). */
  runningCount: number;
}

function byStart(a: SpanModel, b: SpanModel): number {
  return a.startMs - b.startMs || nodeIndex(a) - nodeIndex(b) || (a.spanId < b.spanId ? -1 : 1);
}

function nodeIndex(s: SpanModel): number {
  const v = s.attributes['flow.node.index'];
  return typeof v === 'number' ? v : typeof v === 'string' ? Number(v) || 0 : 0;
}

/** Builds the depth-first tree of a trace's spans. */
export function buildTraceTree(input: readonly SpanModel[]): TraceTree {
  const n = input.length;
  const byId = new Map<string, SpanModel>();
  for (const s of input) byId.set(s.spanId, s);
  const unique = byId.size === n ? input : [...byId.values()];
  const children = new Map<string, SpanModel[]>();
  const roots: SpanModel[] = [];
  const orphans: SpanModel[] = [];
  for (const s of unique) {
    const p = s.parentSpanId;
    if (!p) roots.push(s);
    else if (!byId.has(p) || p === s.spanId) orphans.push(s);
    else {
      const list = children.get(p);
      if (list) list.push(s);
      else children.set(p, [s]);
    }
  }
  roots.sort(byStart);
  orphans.sort(byStart);
  for (const list of children.values()) if (list.length > 1) list.sort(byStart);

  const m = unique.length;
  const spans: SpanModel[] = new Array(m);
  const depth = new Int32Array(m);
  const parent = new Int32Array(m);
  const childCount = new Int32Array(m);
  const subtreeEnd = new Int32Array(m);
  const orphan = new Uint8Array(m);
  const indexById = new Map<string, number>();
  let next = 0;
  let maxDepth = 0;
  let startMs = Infinity;
  let endMs = -Infinity;
  let runningCount = 0;

  const place = (top: SpanModel, isOrphan: boolean) => {
    // Explicit stack of [span, depth, parentIndex]; children pushed in reverse keep order.
    const stack: Array<[SpanModel, number, number]> = [[top, 0, -1]];
    const open: number[] = [];
    while (stack.length > 0) {
      const [s, d, p] = stack.pop()!;
      if (indexById.has(s.spanId)) continue;
      while (open.length > 0 && depth[open[open.length - 1]] >= d) subtreeEnd[open.pop()!] = next;
      const i = next++;
      spans[i] = s;
      depth[i] = d;
      parent[i] = p;
      orphan[i] = isOrphan && d === 0 ? 1 : 0;
      indexById.set(s.spanId, i);
      open.push(i);
      if (d > maxDepth) maxDepth = d;
      if (s.startMs < startMs) startMs = s.startMs;
      const end = s.endMs ?? s.startMs;
      if (end > endMs) endMs = end;
      if (s.endMs === null) runningCount++;
      const kids = children.get(s.spanId);
      if (kids) {
        childCount[i] = kids.length;
        for (let k = kids.length - 1; k >= 0; k--) stack.push([kids[k], d + 1, i]);
      }
    }
    while (open.length > 0) subtreeEnd[open.pop()!] = next;
  };
  for (const r of roots) place(r, false);
  for (const o of orphans) place(o, true);
  // Spans caught in a parent cycle never hang off a root: show them as orphans too.
  if (next < m) for (const s of unique) if (!indexById.has(s.spanId)) place(s, true);

  if (!Number.isFinite(startMs)) startMs = endMs = 0;
  return { spans, depth, parent, childCount, subtreeEnd, orphan, indexById, startMs, endMs, maxDepth, runningCount };
}
