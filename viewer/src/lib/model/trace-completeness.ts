/**
 * Whether an opened trace is whole, continues a trace from elsewhere, or is missing its root.
 * The collector roots an execution at its earliest span whose parent is not in the trace, and
 * calls that parent remote. It cannot always be: a flow node is never an execution's root, and
 * spans that share one absent parent (the data events of a TCP connection still open, children
 * sent before their root) are waiting for that parent. Such a trace is shown as incomplete at
 * once — never as a run still going, nor as a trace continued from elsewhere.
 */
import type { TraceTree } from './trace-tree.js';
import type { ExecutionDetailModel } from './types.js';

export interface Completeness {
  /** Spans whose parent is not in the trace (the execution's root among them, when its parent is remote). */
  parentless: number;
  /** The root has not arrived: the spans shown hang from a parent that is missing. */
  missingRoot: boolean;
  /** The root and every span's parent are here. */
  complete: boolean;
}

export function traceCompleteness(e: Pick<ExecutionDetailModel, 'hasRoot' | 'status'>, tree: TraceTree): Completeness {
  let parentless = 0;
  const missingParents = new Map<string, number>();
  for (let i = 0; i < tree.spans.length; i++) {
    const p = tree.spans[i].parentSpanId;
    if (tree.parent[i] !== -1 || p === null) continue;
    parentless++;
    missingParents.set(p, (missingParents.get(p) ?? 0) + 1);
  }
  const root = tree.spans[0];
  const rootParent = root?.parentSpanId ?? null;
  const missingRoot = rootParent !== null && (root.nodeId !== null || (missingParents.get(rootParent) ?? 0) > 1);
  const orphans = tree.orphan.reduce((n, v) => n + v, 0);
  return { parentless, missingRoot, complete: e.hasRoot && orphans === 0 && !missingRoot };
}
