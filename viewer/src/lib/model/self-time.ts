/**
 * A span's self time, for the span panel: its duration minus the union of its direct
 * children's intervals clipped to it (the definition the collector's time statistics use,
 * collector/src/query/span-tree.ts selfTimes; the viewer may not import the collector's code,
 * so the one rule is written here for one span of the tree it already holds). Running spans
 * last until `now`.
 */
import type { TraceTree } from './trace-tree.js';

export function selfTimeMs(tree: TraceTree, i: number, now: number): number {
  const s = tree.spans[i];
  const start = s.startMs;
  const end = s.endMs ?? Math.max(now, start);
  // Direct children lie in (i, subtreeEnd[i]); each child's subtree is skipped in one jump.
  const kids: Array<[number, number]> = [];
  for (let c = i + 1; c < tree.subtreeEnd[i]; c = tree.subtreeEnd[c]) {
    const k = tree.spans[c];
    const ks = Math.max(start, k.startMs);
    const ke = Math.min(end, k.endMs ?? Math.max(now, k.startMs));
    if (ke > ks) kids.push([ks, ke]);
  }
  kids.sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let reach = -Infinity;
  for (const [ks, ke] of kids) {
    const from = Math.max(ks, reach);
    if (ke > from) covered += ke - from;
    if (ke > reach) reach = ke;
  }
  return Math.max(0, end - start - covered);
}
