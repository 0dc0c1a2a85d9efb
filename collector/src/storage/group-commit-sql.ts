/**
 * The lookups of one group commit. The writer appends new rows straight into the tables
 * (no staging copy); before it does, these find what is already stored, so retries are
 * stored once, and read the executions the group touches. Keys travel as list parameters.
 *
 * span_data is looked up only inside the group's start_ns range, so DuckDB's zone maps skip
 * every row group outside it instead of scanning the whole history; the candidates it
 * returns are checked against the exact (trace id, span id) pairs by the writer.
 */

/** Stored finished spans among the group's. Params: $lo, $hi, $traces, $spans. */
export const FIND_STORED_SPANS = `
SELECT trace_id, span_id FROM span_data
WHERE start_ns BETWEEN $lo AND $hi
  AND trace_id IN (SELECT unnest($traces)) AND span_id IN (SELECT unnest($spans))`;

/** Running rows of the traces the group touches. Params: $traces. */
export const FIND_STARTS_OF_TRACES = `SELECT trace_id, span_id FROM span_starts WHERE trace_id IN (SELECT unnest($traces))`;

/** Stored rows of the executions the group touches. Params: $traces. */
export const READ_TOUCHED_EXECUTIONS = `SELECT * FROM execution_data WHERE trace_id IN (SELECT unnest($traces))`;
export const DELETE_EXECUTIONS = `DELETE FROM execution_data WHERE trace_id IN (SELECT unnest($traces))`;

/** Params: $keys (trace id + span id). */
export const DELETE_STARTS = `DELETE FROM span_starts WHERE trace_id || span_id IN (SELECT unnest($keys))`;

/** Stored log lines that may equal the group's. Params: $lo, $hi, $traces. */
export const FIND_STORED_LOGS = `
SELECT trace_id, span_id, time_ns, severity_number, body FROM log_data
WHERE time_ns BETWEEN $lo AND $hi AND trace_id IN (SELECT unnest($traces))`;
