/**
 * A TCP connection's trace read as an ordered list: the root is the connection, each child
 * is one data-event handler run, numbered in the order they started, named by what it handled
 * (the nodes it ran: `PING`, `SUM`) and marked failed when any span under it failed — a handler
 * that catches its command's error and answers `ERR` still ends OK itself.
 */
import type { TraceTree } from './trace-tree.js';
import type { SpanModel } from './types.js';

export interface HandlerRun {
  index: number;
  spanIndex: number;
  span: SpanModel;
  /** What the run handled: its child nodes' names in order, else its own name. */
  label: string;
  /** Spans of the run (itself included) that failed. */
  errorCount: number;
  /** Gap since the previous run ended, ms (null for the first). */
  gapMs: number | null;
}

const MAX_LABEL_PARTS = 4;

/** The handler runs under the first root, in start order. */
export function tcpHandlerRuns(tree: TraceTree): HandlerRun[] {
  const runs: HandlerRun[] = [];
  if (tree.spans.length === 0) return runs;
  let prevEnd: number | null = null;
  for (let i = 1; i < tree.subtreeEnd[0]; i = tree.subtreeEnd[i]) {
    const span = tree.spans[i];
    runs.push({ index: runs.length + 1, spanIndex: i, span, label: runLabel(tree, i), errorCount: errorsIn(tree, i), gapMs: prevEnd === null ? null : span.startMs - prevEnd });
    prevEnd = span.endMs ?? span.startMs;
  }
  return runs;
}

function runLabel(tree: TraceTree, i: number): string {
  const parts: string[] = [];
  let more = 0;
  for (let c = i + 1; c < tree.subtreeEnd[i]; c = tree.subtreeEnd[c]) {
    if (parts.length < MAX_LABEL_PARTS) parts.push(tree.spans[c].nodeName ?? tree.spans[c].name);
    else more++;
  }
  if (parts.length === 0) return tree.spans[i].nodeName ?? tree.spans[i].name;
  return parts.join(', ') + (more > 0 ? ` +${more}` : '');
}

function errorsIn(tree: TraceTree, i: number): number {
  let n = 0;
  for (let k = i; k < tree.subtreeEnd[i]; k++) if (tree.spans[k].status === 'error') n++;
  return n;
}
