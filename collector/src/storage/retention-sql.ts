/**
 * What retention may delete, as SQL. Two kinds of data age out: executions (with every row of
 * their trace, see deleter.ts), by their start, once finished or abandoned; and console lines
 * that belong to no stored execution (no trace id, or a trace id whose spans never came), by
 * their own time. Lines of a stored execution are never candidates on their own: they go with it.
 * Metric points belong to no execution: they age out by their own time (time_ns).
 *
 * Parameters: $abandon_before (ns): a running execution silent since before it is abandoned.
 */

/** A line's own time: its timestamp, or the observed time when the sender left that 0. */
export const LOG_TIME = `(CASE WHEN time_ns > 0 THEN time_ns ELSE observed_time_ns END)`;

/** A line that belongs to no stored execution. */
export const ORPHAN_LOG = `(trace_id = '' OR trace_id NOT IN (SELECT trace_id FROM execution_data))`;

/** An execution retention may delete: finished, or running but abandoned. */
export const DELETABLE_EXECUTION = `(root_finished OR last_seen_ns < $abandon_before)`;

/** Deletable executions that started before $cutoff, oldest first, at most $n. */
export const OLD_EXECUTIONS = `
SELECT trace_id FROM execution_data
WHERE start_ns < $cutoff AND ${DELETABLE_EXECUTION}
ORDER BY start_ns LIMIT $n`;

/** Deletes at most $n orphan lines timed before $cutoff, oldest first. */
export const DELETE_OLD_ORPHAN_LOGS = `
DELETE FROM log_data WHERE rowid IN (
  SELECT rowid FROM log_data WHERE ${LOG_TIME} < $cutoff AND ${ORPHAN_LOG}
  ORDER BY ${LOG_TIME} LIMIT $n)`;

/**
 * Deletes the error texts of console lines that belong to no stored execution, timed before
 * $cutoff (the error-level ones among the orphan lines DELETE_OLD_ORPHAN_LOGS removes; a span's
 * error texts always have their execution, and go with it).
 */
export const DELETE_OLD_ORPHAN_ERROR_TEXTS = `
DELETE FROM error_texts WHERE time_ns < $cutoff AND trace_id NOT IN (SELECT trace_id FROM execution_data)`;

/** Deletes at most $n metric points timed before $cutoff, oldest first. */
export const DELETE_OLD_METRIC_POINTS = `
DELETE FROM metric_data WHERE rowid IN (
  SELECT rowid FROM metric_data WHERE time_ns < $cutoff ORDER BY time_ns LIMIT $n)`;

/** Everything retention may delete under a size cap, each with its time: executions, orphan lines, metric points. */
const CANDIDATES = `
SELECT start_ns AS t FROM execution_data WHERE ${DELETABLE_EXECUTION}
UNION ALL
SELECT ${LOG_TIME} AS t FROM log_data WHERE ${ORPHAN_LOG}
UNION ALL
SELECT time_ns AS t FROM metric_data`;

/** How many candidates there are ($abandon_before). */
export const COUNT_CANDIDATES = `SELECT count(*) AS n FROM (${CANDIDATES})`;

/** The time of the $n-th oldest candidate: deleting everything up to it deletes the oldest $n. */
export const NTH_OLDEST_CANDIDATE = `SELECT max(t) AS t FROM (SELECT t FROM (${CANDIDATES}) ORDER BY t LIMIT $n)`;
