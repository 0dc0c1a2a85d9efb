/**
 * The lookups of one group commit. The writer appends the group's keys to a temp table
 * (DuckDB binds long IN-lists slowly; an appended table joins fast), looks up what is
 * already stored (retries are stored once) and the executions the group touches, then
 * appends the new rows straight into the tables.
 *
 * span_data is looked up only inside the start_ns range its traces have stored (their
 * execution rows' min_start_ns..max_start_ns: a stored copy of a span is inside it whatever
 * start the new copy carries), so DuckDB's zone maps skip every row group outside it instead
 * of scanning the whole history.
 */

/**
 * kind 's': a span or start of the group; 'l': a trace id of the group's log lines;
 * 'x': an execution the group rewrites; 'r': a running row a finished span replaces.
 */
export const CREATE_GROUP_KEYS = `CREATE TEMP TABLE IF NOT EXISTS group_keys (kind VARCHAR, trace_id VARCHAR, span_id VARCHAR)`;
export const CLEAR_GROUP_KEYS = `DELETE FROM temp.group_keys`;

const SPAN_KEYS = `(SELECT trace_id, span_id FROM temp.group_keys WHERE kind = 's')`;
const SPAN_TRACES = `(SELECT trace_id FROM temp.group_keys WHERE kind = 's')`;

/** The group's spans that span_data already holds. Params: $lo, $hi (the stored start_ns range of the group's traces). */
export const FIND_STORED_SPANS = `
SELECT d.trace_id, d.span_id
FROM span_data d JOIN ${SPAN_KEYS} k ON d.trace_id = k.trace_id AND d.span_id = k.span_id
WHERE d.start_ns BETWEEN $lo AND $hi`;

/** Running rows of the traces the group touches (a start is known, or a finished span replaces it). */
export const FIND_STARTS_OF_TRACES = `SELECT trace_id, span_id FROM span_starts WHERE trace_id IN ${SPAN_TRACES}`;

/** The newest stored spans, newest first, to seed the writer's memory of recent keys. Params: $n. */
export const NEWEST_SPAN_KEYS = `SELECT trace_id, span_id, start_ns FROM span_data ORDER BY start_ns DESC LIMIT $n`;

/** Every stored trace id, for the writer's memory of what was never stored. */
export const ALL_TRACE_IDS = `SELECT trace_id FROM execution_data`;

/** Every running key (trace id + span id), at most $n of them. */
export const ALL_RUNNING_KEYS = `SELECT trace_id || span_id AS k FROM span_starts LIMIT $n`;

/** Stored rows of the executions the group touches. */
export const READ_TOUCHED_EXECUTIONS = `SELECT * FROM execution_data WHERE trace_id IN ${SPAN_TRACES}`;

/** The stored rows of the executions the group rewrites (kind 'x'). */
export const DELETE_EXECUTIONS = `DELETE FROM execution_data WHERE trace_id IN (SELECT trace_id FROM temp.group_keys WHERE kind = 'x')`;

/** Running rows that the group's finished spans replace (kind 'r'). */
export const DELETE_REPLACED_STARTS = `
DELETE FROM span_starts r WHERE EXISTS (
  SELECT 1 FROM temp.group_keys k WHERE k.kind = 'r' AND k.trace_id = r.trace_id AND k.span_id = r.span_id)`;

/** Stored log lines that may equal the group's. Params: $lo, $hi. */
export const FIND_STORED_LOGS = `
SELECT trace_id, span_id, time_ns, severity_number, body FROM log_data
WHERE time_ns BETWEEN $lo AND $hi AND trace_id IN (SELECT trace_id FROM temp.group_keys WHERE kind = 'l')`;
