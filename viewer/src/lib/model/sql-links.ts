/**
 * Links from SQL result cells to executions: a `trace_id` cell opens its execution, a
 * `span_id` cell opens it at that span when the row also has the trace id. Only well-formed
 * ids (32 and 16 hex digits) link; other values in such columns stay text.
 */
import { paths } from './routes.js';

const TRACE = /^[0-9a-f]{32}$/i;
const SPAN = /^[0-9a-f]{16}$/i;

/** For the columns of a result: the link of cell (row, column index), or null. */
export function idLinks(columns: ReadonlyArray<{ name: string }>): (row: readonly unknown[], col: number) => string | null {
  const names = columns.map((c) => c.name.toLowerCase());
  const traceCol = names.indexOf('trace_id');
  const spanCols = new Set(names.flatMap((n, i) => (n === 'span_id' || n === 'parent_span_id' ? [i] : [])));
  return (row, col) => {
    const trace = traceCol >= 0 ? row[traceCol] : undefined;
    if (typeof trace !== 'string' || !TRACE.test(trace)) return null;
    if (col === traceCol) return paths.execution(trace.toLowerCase());
    const span = row[col];
    if (spanCols.has(col) && typeof span === 'string' && SPAN.test(span)) return paths.execution(trace.toLowerCase(), span.toLowerCase());
    return null;
  };
}
