/**
 * Which console lines (log records) belong with a trace view: those of the trace id, timed
 * inside the execution's window of lines. The window is what lets log_data's time_ns zone
 * maps skip the rest of history; the whole trace and one span's panel use the same window.
 */
import type { ExecutionRecord } from '../records.js';

/** Lines are looked for from a minute before the execution's first span (clock skew between processes). */
export function linesFrom(execution: ExecutionRecord): bigint {
  return execution.minStartNs - 60_000_000_000n;
}

const LINES_AFTER_NS = 3_600_000_000_000n;
const NO_END = 2n ** 63n - 1n;

/**
 * …and until an hour after the end of a finished one (or its last span's start, when later),
 * in the services' clocks like the lines' own stamps; the hour leaves room for work that logs
 * after the root ended. log_data's time_ns zone maps then skip the rest of history (10M-span
 * benchmark database: 11.7 → 5.2 ms median for a trace's lines). A running execution has no end yet.
 */
export function linesUntil(execution: ExecutionRecord): bigint {
  if (!execution.rootFinished) return NO_END;
  const last = execution.endNs !== null && execution.endNs > execution.maxStartNs ? execution.endNs : execution.maxStartNs;
  return last + LINES_AFTER_NS;
}

/** A trace's lines in time order. Params: $trace_id, $lo, $hi (linesFrom, linesUntil). */
export const TRACE_LINES_SQL = `SELECT * FROM log_data WHERE time_ns BETWEEN $lo AND $hi AND trace_id = $trace_id ORDER BY time_ns`;

/** The window parameters of an execution's lines. */
export function linesWindow(execution: ExecutionRecord): { trace_id: string; lo: bigint; hi: bigint } {
  return { trace_id: execution.traceId, lo: linesFrom(execution), hi: linesUntil(execution) };
}
