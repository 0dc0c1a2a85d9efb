/**
 * A TCP connection's trace read as an ordered list: the root is the connection, each child
 * is one data-event handler run, numbered in the order they started.
 */
import type { TraceTree } from './trace-tree.js';
import type { SpanModel } from './types.js';

export interface HandlerRun {
  index: number;
  spanIndex: number;
  span: SpanModel;
  /** Gap since the previous run ended, ms (null for the first). */
  gapMs: number | null;
}

/** The handler runs under the first root, in start order. */
export function tcpHandlerRuns(tree: TraceTree): HandlerRun[] {
  const runs: HandlerRun[] = [];
  if (tree.spans.length === 0) return runs;
  let prevEnd: number | null = null;
  for (let i = 1; i < tree.subtreeEnd[0]; i++) {
    if (tree.parent[i] !== 0) continue;
    const span = tree.spans[i];
    runs.push({ index: runs.length + 1, spanIndex: i, span, gapMs: prevEnd === null ? null : span.startMs - prevEnd });
    prevEnd = span.endMs ?? span.startMs;
  }
  return runs;
}
