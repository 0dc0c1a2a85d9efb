/**
 * Where one execution's time went (Jaeger's trace statistics): per service, flow node and
 * span name the count, total and self time, share of the run and time on the critical path;
 * and a flame graph of self time, frames merged by their stack of (service, name) from the root.
 *
 * Invariants: the self times of all spans add up to at most the root's duration plus what
 * parallel or orphaned spans add; a frame's value is its self time plus its children's
 * values, so a frame is never narrower than its children.
 */
import type { FlameFrame, TimeGroup, TraceStats } from '../api/why-wire-types.js';
import type { CriticalPathResult } from './critical-path.js';
import { depths, selfTimes, type SpanTree } from './span-tree.js';

const ms = (us: number): number => us / 1000;
/** Milliseconds to the microsecond (sums of floats drift below it). */
const round = (v: number): number => Math.round(v * 1000) / 1000;

/** Frames beyond this many are cut, the smallest first. */
export const MAX_FRAMES = 2000;

/** The statistics of one trace, from its tree and critical path. */
export function traceStats(traceId: string, tree: SpanTree, path: CriticalPathResult, maxFrames = MAX_FRAMES): TraceStats {
  const self = selfTimes(tree);
  const durationUs = tree.root < 0 ? 0 : tree.end[tree.root] - tree.start[tree.root];
  const group = (keyOf: (i: number) => string | null, labelOf: (i: number) => string | null = keyOf): TimeGroup[] => {
    const groups = new Map<string, TimeGroup>();
    for (let i = 0; i < tree.count; i++) {
      const key = keyOf(i);
      if (key === null) continue;
      const d = ms(tree.end[i] - tree.start[i]);
      let g = groups.get(key);
      if (!g) {
        g = { key, label: labelOf(i) ?? key, serviceName: tree.services[i], count: 0, totalMs: 0, selfMs: 0, selfPercent: 0, avgMs: 0, minMs: d, maxMs: d, criticalMs: 0 };
        groups.set(key, g);
      }
      g.count++;
      g.totalMs += d;
      g.selfMs += ms(self[i]);
      g.criticalMs += ms(path.criticalUs[i]);
      if (d < g.minMs) g.minMs = d;
      if (d > g.maxMs) g.maxMs = d;
    }
    return [...groups.values()]
      .map((g) => ({
        ...g, totalMs: round(g.totalMs), selfMs: round(g.selfMs), criticalMs: round(g.criticalMs), minMs: round(g.minMs), maxMs: round(g.maxMs),
        avgMs: round(g.totalMs / g.count), selfPercent: durationUs > 0 ? Math.round((g.selfMs / ms(durationUs)) * 1e6) / 1e4 : 0,
      }))
      .sort((a, b) => b.selfMs - a.selfMs || a.key.localeCompare(b.key));
  };
  const { frames, truncated } = flameFrames(tree, self, maxFrames);
  return {
    traceId,
    durationMs: ms(durationUs),
    spanCount: tree.count,
    byService: group((i) => tree.services[i]),
    byNode: group((i) => tree.nodeIds[i], (i) => tree.nodeNames[i]),
    bySpanName: group((i) => tree.names[i]),
    frames,
    framesTruncated: truncated,
  };
}

/** Merges spans into frames by their (service, name) stack, in depth-first order, cut to `max`. */
export function flameFrames(tree: SpanTree, self: Float64Array, max: number): { frames: FlameFrame[]; truncated: boolean } {
  const depth = depths(tree);
  // Parents come before their children in an order by depth, so each span finds its parent's frame.
  const order = Array.from({ length: tree.count }, (_, i) => i).sort((a, b) => depth[a] - depth[b] || a - b);
  const frameOf = new Int32Array(tree.count);
  const raw: Array<FlameFrame & { kids: number[]; longestUs: number }> = [];
  const byKey = new Map<string, number>();
  for (const i of order) {
    const pf = tree.parent[i] >= 0 ? frameOf[tree.parent[i]] : -1;
    const key = `${pf}\u0000${tree.services[i]}\u0000${tree.names[i]}`;
    let f = byKey.get(key);
    if (f === undefined) {
      f = raw.length;
      byKey.set(key, f);
      raw.push({ parent: pf, depth: depth[i], name: tree.names[i], serviceName: tree.services[i], count: 0, selfMs: 0, valueMs: 0, spanId: tree.ids[i], kids: [], longestUs: -1 });
      if (pf >= 0) raw[pf].kids.push(f);
    }
    frameOf[i] = f;
    const frame = raw[f];
    frame.count++;
    frame.selfMs += ms(self[i]);
    const d = tree.end[i] - tree.start[i];
    if (d > frame.longestUs) {
      frame.longestUs = d;
      frame.spanId = tree.ids[i];
    }
  }
  // Values bottom-up: frames were created parents first, so children have higher indexes.
  for (let f = raw.length - 1; f >= 0; f--) {
    raw[f].valueMs += raw[f].selfMs;
    if (raw[f].parent >= 0) raw[raw[f].parent].valueMs += raw[f].valueMs;
  }
  // Keep the `max` widest (a parent is at least as wide as its child, so kept frames keep their parents).
  let keep: Uint8Array | null = null;
  if (raw.length > max) {
    const ranked = raw.map((_, f) => f).sort((a, b) => raw[b].valueMs - raw[a].valueMs || raw[a].depth - raw[b].depth);
    keep = new Uint8Array(raw.length);
    for (const f of ranked.slice(0, max)) keep[f] = 1;
    for (let f = 0; f < raw.length; f++) if (keep[f] && raw[f].parent >= 0 && !keep[raw[f].parent]) keep[f] = 0;
  }
  // Depth-first output, children widest first.
  const out: FlameFrame[] = [];
  const newIndex = new Int32Array(raw.length).fill(-1);
  const roots = raw.map((_, f) => f).filter((f) => raw[f].parent < 0).sort((a, b) => raw[b].valueMs - raw[a].valueMs);
  const stack = roots.reverse();
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (keep && !keep[f]) continue;
    const { kids: _k, longestUs: _l, ...frame } = raw[f];
    newIndex[f] = out.length;
    out.push({ ...frame, selfMs: round(frame.selfMs), valueMs: round(frame.valueMs), parent: frame.parent >= 0 ? newIndex[frame.parent] : -1 });
    const kids = [...raw[f].kids].sort((a, b) => raw[a].valueMs - raw[b].valueMs);
    stack.push(...kids);
  }
  return { frames: out, truncated: keep !== null };
}
