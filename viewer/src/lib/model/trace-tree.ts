/**
 * Spans → a tree laid out in depth-first order with depths: the first stage of the
 * waterfall pipeline (tree → row states → virtualized rows). Flat typed arrays keep a
 * 100k-span trace cheap: `subtreeEnd[i]` lets collapse skip a whole subtree in one jump.
 * From 32,768 spans on, span ids are looked up in an open-addressing table of positions
 * (SpanIdTable), not a Map: filling a Map of 100,000 ids cost ~30–65 ms and rewriting it to
 * tree indices ~20 ms, a third to a half of the whole build, where the table costs a few ms
 * once V8 has compiled it; before that (a first build of 10,000 spans) a Map is quicker.
 *
 * Invariants: every span appears exactly once; children follow their parent ordered by
 * start time; spans whose parent is not in the trace (orphans) become extra roots, marked
 * in `orphan`, after the real roots; a cycle in parent links cannot loop forever. The root of
 * a trace continued from elsewhere (its parent is remote) is a real root, not an orphan.
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
  indexById: SpanIdLookup;
  /** Earliest start, epoch ms. */
  startMs: number;
  /** Latest known end (or start, for running spans), epoch ms. */
  endMs: number;
  maxDepth: number;
  /** Count of spans still running (endMs null). */
  runningCount: number;
}

/** spanId → index, as TraceTree.indexById answers it. */
export interface SpanIdLookup {
  get(spanId: string): number | undefined;
}

/** Span ids → positions in a list, answering `get` with answer[position]. */
interface SpanIdPositions extends SpanIdLookup {
  /** True when an id is in the list twice. */
  readonly duplicate: boolean;
  /** The position of `id` in the list, or -1. */
  position(id: string): number;
}

/** From this many spans on, ids go into a SpanIdTable; below, a Map (see the top). */
const TABLE_FROM = 32_768;

function spanIdPositions(spans: readonly SpanModel[], answer: Int32Array): SpanIdPositions {
  return spans.length >= TABLE_FROM ? new SpanIdTable(spans, answer) : new SpanIdMap(spans, answer);
}

class SpanIdMap implements SpanIdPositions {
  private readonly at = new Map<string, number>();
  readonly duplicate: boolean;

  constructor(
    spans: readonly SpanModel[],
    private readonly answer: Int32Array,
  ) {
    for (let i = 0; i < spans.length; i++) this.at.set(spans[i].spanId, i);
    this.duplicate = this.at.size < spans.length;
  }

  position(id: string): number {
    return this.at.get(id) ?? -1;
  }

  get(id: string): number | undefined {
    const at = this.at.get(id);
    return at === undefined ? undefined : this.answer[at];
  }
}

/**
 * Open addressing over a power-of-two table of position + 1, hashed with FNV-1a over the
 * id's characters (span ids are 16 hex digits, but any text works).
 */
class SpanIdTable implements SpanIdPositions {
  private readonly slots: Int32Array;
  private readonly mask: number;
  duplicate = false;

  constructor(
    private readonly spans: readonly SpanModel[],
    private readonly answer: Int32Array,
  ) {
    let size = 16;
    while (size < spans.length * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < spans.length; i++) this.add(i);
  }

  private static hash(id: string): number {
    let h = 0x811c9dc5;
    for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
    return h >>> 0;
  }

  private add(position: number): void {
    const id = this.spans[position].spanId;
    for (let slot = SpanIdTable.hash(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const held = this.slots[slot];
      if (held === 0) {
        this.slots[slot] = position + 1;
        return;
      }
      if (this.spans[held - 1].spanId === id) {
        this.duplicate = true;
        return;
      }
    }
  }

  position(id: string): number {
    for (let slot = SpanIdTable.hash(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const held = this.slots[slot];
      if (held === 0) return -1;
      if (this.spans[held - 1].spanId === id) return held - 1;
    }
  }

  get(id: string): number | undefined {
    const at = this.position(id);
    return at < 0 ? undefined : this.answer[at];
  }
}

function byStart(a: SpanModel, b: SpanModel): number {
  return a.startMs - b.startMs || (a.nodeIndex ?? 0) - (b.nodeIndex ?? 0) || (a.spanId < b.spanId ? -1 : 1);
}

/**
 * Builds the depth-first tree of a trace's spans. `remoteParentSpanId`: the parent of the
 * execution's root when it continues a trace from elsewhere; spans under it are real roots.
 */
export function buildTraceTree(input: readonly SpanModel[], remoteParentSpanId: string | null = null): TraceTree {
  // One sort of all spans (the collector sends them in start order, so it is quick); the
  // child lists filled in that order are then sorted too, without a sort per parent.
  let sorted = input.slice().sort(byStart);
  // spanId → position in `sorted`; the same table answers tree indices (indexById) in the end.
  const treeIndexOf = new Int32Array(sorted.length);
  let at = spanIdPositions(sorted, treeIndexOf);
  if (at.duplicate) {
    // A span id twice (a finished span and its start mark, say): keep one, the finished one if any.
    const keep = new Map<string, SpanModel>();
    for (const s of sorted) {
      const seen = keep.get(s.spanId);
      if (!seen || (seen.endMs === null && s.endMs !== null)) keep.set(s.spanId, s);
    }
    sorted = [...keep.values()].sort(byStart);
    at = spanIdPositions(sorted, treeIndexOf);
  }
  const m = sorted.length;

  // Children as linked lists over sorted positions: firstChild[p] → nextSibling[c] → ….
  const firstChild = new Int32Array(m).fill(-1);
  const lastChild = new Int32Array(m).fill(-1);
  const nextSibling = new Int32Array(m).fill(-1);
  const kids = new Int32Array(m);
  const roots: number[] = [];
  const orphans: number[] = [];
  for (let i = 0; i < m; i++) {
    const p = sorted[i].parentSpanId;
    const pi = p ? at.position(p) : -1;
    if (!p || (p === remoteParentSpanId && pi < 0)) roots.push(i);
    else if (pi < 0 || pi === i) orphans.push(i);
    else {
      if (lastChild[pi] < 0) firstChild[pi] = i;
      else nextSibling[lastChild[pi]] = i;
      lastChild[pi] = i;
      kids[pi]++;
    }
  }

  const spans: SpanModel[] = new Array(m);
  const depth = new Int32Array(m);
  const parent = new Int32Array(m);
  const childCount = new Int32Array(m);
  const subtreeEnd = new Int32Array(m);
  const orphan = new Uint8Array(m);
  const placed = new Uint8Array(m);
  let next = 0;
  let maxDepth = 0;
  let startMs = Infinity;
  let endMs = -Infinity;
  let runningCount = 0;
  // Explicit stacks (no recursion, no allocation per span): sorted position, depth, parent's tree index.
  const stackSpan = new Int32Array(m);
  const stackDepth = new Int32Array(m);
  const stackParent = new Int32Array(m);
  const open = new Int32Array(m);

  const place = (top: number, isOrphan: boolean) => {
    let sp = 0;
    let openTop = 0;
    stackSpan[0] = top;
    stackDepth[0] = 0;
    stackParent[0] = -1;
    sp = 1;
    while (sp > 0) {
      sp--;
      const k = stackSpan[sp];
      const d = stackDepth[sp];
      const p = stackParent[sp];
      if (placed[k]) continue;
      placed[k] = 1;
      while (openTop > 0 && depth[open[openTop - 1]] >= d) subtreeEnd[open[--openTop]] = next;
      const s = sorted[k];
      const i = next++;
      spans[i] = s;
      treeIndexOf[k] = i;
      depth[i] = d;
      parent[i] = p;
      orphan[i] = isOrphan && d === 0 ? 1 : 0;
      open[openTop++] = i;
      if (d > maxDepth) maxDepth = d;
      if (s.startMs < startMs) startMs = s.startMs;
      const end = s.endMs ?? s.startMs;
      if (end > endMs) endMs = end;
      if (s.endMs === null) runningCount++;
      childCount[i] = kids[k];
      // Push children last-first so that they pop in start order.
      const base = sp;
      for (let c = firstChild[k]; c >= 0; c = nextSibling[c]) {
        stackSpan[sp] = c;
        stackDepth[sp] = d + 1;
        stackParent[sp] = i;
        sp++;
      }
      for (let a = base, b = sp - 1; a < b; a++, b--) {
        const t = stackSpan[a];
        stackSpan[a] = stackSpan[b];
        stackSpan[b] = t;
      }
    }
    while (openTop > 0) subtreeEnd[open[--openTop]] = next;
  };
  for (const r of roots) place(r, false);
  for (const o of orphans) place(o, true);
  // Spans caught in a parent cycle never hang off a root: show them as orphans too.
  if (next < m) for (let k = 0; k < m; k++) if (!placed[k]) place(k, true);

  // Every span is placed once, so `at` answers tree indices through treeIndexOf.
  const indexById: SpanIdLookup = at;
  if (!Number.isFinite(startMs)) startMs = endMs = 0;
  return { spans, depth, parent, childCount, subtreeEnd, orphan, indexById, startMs, endMs, maxDepth, runningCount };
}
