/**
 * A trace's spans as flat arrays with their parent links, read from storage's outline (the
 * fast read that opens 100,000 spans): what the critical path, the time statistics and the
 * comparison of executions compute from. Times are microseconds after the outline's base.
 *
 * Invariants: children lists keep the outline's start order; a span whose parent is not in
 * the trace has parent -1; a running span ends at the trace's last known time, so a run still
 * in flight is measured up to now-as-far-as-stored.
 */
import { OUTLINE_CODES, OUTLINE_FIELDS } from '../storage/index.js';
import type { NodeStatus } from '../api/wire-types.js';

export interface SpanTree {
  count: number;
  ids: string[];
  names: string[];
  services: string[];
  nodeIds: Array<string | null>;
  nodeNames: Array<string | null>;
  statuses: NodeStatus[];
  /** Microseconds after the base. */
  start: Float64Array;
  /** Running spans: the trace's last known time. */
  end: Float64Array;
  running: Uint8Array;
  /** Index of the parent, -1 when it is not in the trace. */
  parent: Int32Array;
  /** Children of span i: childList[childStart[i] .. childStart[i + 1]), in start order. */
  childStart: Int32Array;
  childList: Int32Array;
  /** The execution's root (its root span, or the longest parentless span), -1 when empty. */
  root: number;
}

const at = (field: (typeof OUTLINE_FIELDS)[number]): number => OUTLINE_FIELDS.indexOf(field);
const F = {
  id: at('spanId'), parent: at('parentSpanId'), name: at('name'), service: at('serviceName'), status: at('status'),
  nodeId: at('nodeId'), nodeName: at('nodeName'), start: at('startUs'), duration: at('durationUs'),
};

type Tuple = Array<string | number | null>;

/** Parses the outline's tuples (storage's `spansJson`, the inside of a JSON array) into a SpanTree. */
export function spanTreeFromOutline(spansJson: string, rootSpanId: string | null): SpanTree {
  const tuples = JSON.parse(`[${spansJson}]`) as Tuple[];
  // A span id twice (a finished span and its start mark): keep the finished one.
  const byId = new Map<string, number>();
  const kept: Tuple[] = [];
  for (const t of tuples) {
    const id = String(t[F.id]);
    const seen = byId.get(id);
    if (seen === undefined) {
      byId.set(id, kept.length);
      kept.push(t);
    } else if (kept[seen][F.duration] === null && t[F.duration] !== null) kept[seen] = t;
  }
  const n = kept.length;
  const tree: SpanTree = {
    count: n, ids: new Array(n), names: new Array(n), services: new Array(n), nodeIds: new Array(n), nodeNames: new Array(n),
    statuses: new Array(n), start: new Float64Array(n), end: new Float64Array(n), running: new Uint8Array(n),
    parent: new Int32Array(n).fill(-1), childStart: new Int32Array(n + 1), childList: new Int32Array(n), root: -1,
  };
  let last = 0;
  for (let i = 0; i < n; i++) {
    const t = kept[i];
    tree.ids[i] = String(t[F.id]);
    tree.names[i] = String(t[F.name]);
    tree.services[i] = String(t[F.service]);
    tree.nodeIds[i] = t[F.nodeId] === null ? null : String(t[F.nodeId]);
    tree.nodeNames[i] = t[F.nodeName] === null ? null : String(t[F.nodeName]);
    tree.statuses[i] = OUTLINE_CODES.status[Number(t[F.status])] ?? 'success';
    tree.start[i] = Number(t[F.start]);
    const d = t[F.duration];
    tree.running[i] = d === null ? 1 : 0;
    tree.end[i] = d === null ? Number.NaN : tree.start[i] + Number(d);
    last = Math.max(last, tree.start[i], Number.isNaN(tree.end[i]) ? 0 : tree.end[i]);
  }
  for (let i = 0; i < n; i++) {
    if (tree.running[i]) tree.end[i] = last;
    const p = kept[i][F.parent];
    const pi = p === null ? undefined : byId.get(String(p));
    if (pi !== undefined && pi !== i && String(kept[i][F.id]) !== rootSpanId) tree.parent[i] = pi;
  }
  // Children in CSR form, in index (= start) order.
  for (let i = 0; i < n; i++) if (tree.parent[i] >= 0) tree.childStart[tree.parent[i] + 1]++;
  for (let i = 0; i < n; i++) tree.childStart[i + 1] += tree.childStart[i];
  const fill = tree.childStart.slice(0, n);
  for (let i = 0; i < n; i++) if (tree.parent[i] >= 0) tree.childList[fill[tree.parent[i]]++] = i;
  tree.root = rootOf(tree, rootSpanId === null ? undefined : byId.get(rootSpanId));
  breakCycles(tree);
  return tree;
}

/** The execution's root span, or else the parentless span that lasts longest (earliest on a tie). */
function rootOf(tree: SpanTree, known: number | undefined): number {
  if (known !== undefined) return known;
  let best = -1;
  for (let i = 0; i < tree.count; i++) {
    if (tree.parent[i] >= 0) continue;
    if (best < 0 || tree.end[i] - tree.start[i] > tree.end[best] - tree.start[best]) best = i;
  }
  return best;
}

/** Spans caught in a parent cycle are cut loose (parent -1), so every walk up ends. */
function breakCycles(tree: SpanTree): void {
  const state = new Uint8Array(tree.count); // 0 unknown, 1 on the current walk, 2 reaches a root
  for (let i = 0; i < tree.count; i++) {
    let j = i;
    while (j >= 0 && state[j] === 0) {
      state[j] = 1;
      j = tree.parent[j];
    }
    if (j >= 0 && state[j] === 1) tree.parent[j] = -1; // came back to this walk: a cycle
    for (let k = i; k >= 0 && state[k] === 1; k = tree.parent[k]) state[k] = 2;
  }
}

/** Children of i as a subarray view. */
export function childrenOf(tree: SpanTree, i: number): Int32Array {
  return tree.childList.subarray(tree.childStart[i], tree.childStart[i + 1]);
}

/** A child's interval clipped to its parent's: what of it can hold the parent up. */
export function clipped(tree: SpanTree, child: number, parent: number): [number, number] {
  const s = Math.max(tree.start[child], tree.start[parent]);
  const e = Math.min(tree.end[child], tree.end[parent]);
  return [s, Math.max(s, e)];
}

/**
 * Self time of every span: its duration minus the union of its children's intervals (clipped
 * to it). Children are in start order, so one sweep per parent merges their overlaps.
 */
export function selfTimes(tree: SpanTree): Float64Array {
  const self = new Float64Array(tree.count);
  for (let i = 0; i < tree.count; i++) {
    let covered = 0;
    let reach = -Infinity;
    for (const c of childrenOf(tree, i)) {
      const [s, e] = clipped(tree, c, i);
      const from = Math.max(s, reach);
      if (e > from) covered += e - from;
      if (e > reach) reach = e;
    }
    self[i] = Math.max(0, tree.end[i] - tree.start[i] - covered);
  }
  return self;
}

/** Depth of every span (orphans and the root at 0). */
export function depths(tree: SpanTree): Int32Array {
  const depth = new Int32Array(tree.count).fill(-1);
  for (let i = 0; i < tree.count; i++) {
    let d = 0;
    let j = i;
    const walk: number[] = [];
    while (j >= 0 && depth[j] < 0) {
      walk.push(j);
      j = tree.parent[j];
    }
    d = j >= 0 ? depth[j] + 1 : 0;
    for (let k = walk.length - 1; k >= 0; k--) depth[walk[k]] = d++;
  }
  return depth;
}
