/**
 * SQL for one span of a trace, as the span panel asks for it: the span's Span JSON and its
 * console lines. The JSON is the very rendering of the full trace (span-json-sql.ts),
 * narrowed by span id, so the two can never say different things about a span.
 */
import { FINISHED_SPAN_JSON, RUNNING_SPAN_JSON } from './span-json-sql.js';

/**
 * One span as Span JSON text: the finished row when there is one, else its start mark.
 * DuckDB pushes the span id filter below the rendering, so only that row is rendered.
 * Params: $trace_id, $span_id, $lo, $hi (the execution's start_ns range).
 */
export const ONE_SPAN_JSON = (): string => `
SELECT json FROM (
  SELECT 0 AS preference, json FROM (${FINISHED_SPAN_JSON}) WHERE span_id = $span_id
  UNION ALL
  SELECT 1 AS preference, json FROM (${RUNNING_SPAN_JSON}) WHERE span_id = $span_id
) ORDER BY preference LIMIT 1`;

/**
 * The console lines (log records) of one span, in time order, within the execution's window of
 * console lines (traces/trace-lines.ts linesFrom / linesUntil), as for the whole trace.
 * Params: $trace_id, $span_id, $lo, $hi.
 */
export const SPAN_LOGS = `
SELECT * FROM log_data WHERE time_ns BETWEEN $lo AND $hi AND trace_id = $trace_id AND span_id = $span_id ORDER BY time_ns`;
