/**
 * The run drawn as its flow (n8n's execution view): the spans under a parent become boxes
 * left to right in start order; siblings that overlap in time share a column (they ran in
 * parallel); consecutive siblings that are the same node (same name once digits are set
 * aside, same type and service) collapse into one box ×N, so a 10k-node loop stays a few
 * boxes. A box holds the graph of its first span's children, down to `maxDepth` levels.
 *
 * Invariants: boxes keep the tree's order; a column's boxes overlap in time; a level holds
 * at most `maxColumns` columns, the rest counted in `hiddenColumns`.
 */
import type { NodeStatus } from './types.js';
import type { TraceTree } from './trace-tree.js';

export interface GraphBox {
  /** Tree index of the box's first span (what a click selects). */
  index: number;
  label: string;
  type: string | null;
  count: number;
  /** The worst status of its spans (error over running over the rest). */
  status: NodeStatus;
  errors: number;
  /** From the first span's start to the last one's end. */
  durationMs: number;
  inner: FlowGraph | null;
  /** Spans under the first span that are not drawn (below maxDepth). */
  hiddenInside: number;
}

export interface FlowGraph {
  columns: GraphBox[][];
  hiddenColumns: number;
}

const RANK: Record<string, number> = { error: 5, timed_out: 4, running: 3, cancelled: 2, abandoned: 2, success: 1, skipped: 0 };

/** What makes two sibling spans "the same node" for collapsing. */
function keyOf(tree: TraceTree, i: number): string {
  const s = tree.spans[i];
  return `${s.serviceName}\u0000${s.nodeType ?? ''}\u0000${(s.nodeName ?? s.name).replace(/\d+/g, '#')}`;
}

/** The graph of span `parent`'s children (or of the trees' top spans for parent -1). */
export function buildFlowGraph(tree: TraceTree, parent: number, now: number, maxDepth = 3, maxColumns = 40): FlowGraph {
  const kids: number[] = [];
  if (parent < 0) {
    for (let i = 0; i < tree.spans.length; i = tree.subtreeEnd[i]) kids.push(i);
  } else {
    for (let c = parent + 1; c < tree.subtreeEnd[parent]; c = tree.subtreeEnd[c]) kids.push(c);
  }
  const endOf = (i: number) => tree.spans[i].endMs ?? Math.max(now, tree.spans[i].startMs);
  // Collapse runs of the same node.
  const groups: Array<{ first: number; count: number; status: NodeStatus; errors: number; start: number; end: number }> = [];
  for (const i of kids) {
    const s = tree.spans[i];
    const last = groups.at(-1);
    if (last && keyOf(tree, last.first) === keyOf(tree, i)) {
      last.count++;
      if ((RANK[s.status] ?? 1) > (RANK[last.status] ?? 1)) last.status = s.status;
      if (s.status === 'error') last.errors++;
      last.end = Math.max(last.end, endOf(i));
    } else groups.push({ first: i, count: 1, status: s.status, errors: s.status === 'error' ? 1 : 0, start: s.startMs, end: endOf(i) });
  }
  // Columns: a group that starts before the column's work has ended ran beside it.
  const columns: GraphBox[][] = [];
  let columnEnd = -Infinity;
  let hiddenColumns = 0;
  for (const g of groups) {
    const parallel = columns.length > 0 && g.start < columnEnd;
    if (!parallel && columns.length >= maxColumns) {
      hiddenColumns++;
      columnEnd = Math.max(columnEnd, g.end);
      continue;
    }
    if (parallel && hiddenColumns > 0) continue;
    const s = tree.spans[g.first];
    const hasKids = tree.childCount[g.first] > 0;
    const box: GraphBox = {
      index: g.first,
      // A collapsed run of numbered nodes (item 0, item 1, …) is named with # for the number.
      label: g.count > 1 ? (s.nodeName ?? s.name).replace(/\d+/g, '#') : (s.nodeName ?? s.name),
      type: s.nodeType,
      count: g.count,
      status: g.status,
      errors: g.errors,
      durationMs: g.end - g.start,
      inner: hasKids && maxDepth > 1 ? buildFlowGraph(tree, g.first, now, maxDepth - 1, Math.min(maxColumns, 12)) : null,
      hiddenInside: hasKids && maxDepth <= 1 ? tree.subtreeEnd[g.first] - g.first - 1 : 0,
    };
    if (parallel) columns[columns.length - 1].push(box);
    else columns.push([box]);
    columnEnd = parallel ? Math.max(columnEnd, g.end) : g.end;
  }
  return { columns, hiddenColumns };
}
