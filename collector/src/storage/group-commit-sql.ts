/**
 * The statements of one group commit, run by the writer inside one transaction after the
 * group's rows are appended to the temp staging tables. In order they: drop rows already
 * stored (retries are stored once), fold the group into execution_data, move spans and
 * starts into place (a finished span replaces its running row) and keep the new log lines.
 *
 * Duplicate checks look up span_data only inside the group's start_ns range, so DuckDB's
 * zone maps skip every row group outside it instead of scanning the whole history.
 */

export const CREATE_STAGING = [
  `CREATE TEMP TABLE IF NOT EXISTS stage_spans AS SELECT *, false AS replaces_start FROM span_data LIMIT 0`,
  `CREATE TEMP TABLE IF NOT EXISTS stage_starts AS SELECT * FROM span_starts LIMIT 0`,
  `CREATE TEMP TABLE IF NOT EXISTS stage_logs AS SELECT * FROM log_data LIMIT 0`,
];

/** Drops staged finished spans that are already stored. Params: $lo, $hi (start_ns range of the group). */
export const DROP_STORED_SPANS = `
DELETE FROM temp.stage_spans s WHERE EXISTS (
  SELECT 1 FROM span_data d
  WHERE d.start_ns BETWEEN $lo AND $hi AND d.trace_id = s.trace_id AND d.span_id = s.span_id)`;

/** Drops staged starts whose span is finished or already running. Params: $lo, $hi (start range of the starts). */
export const DROP_KNOWN_STARTS = `
DELETE FROM temp.stage_starts s WHERE EXISTS (
    SELECT 1 FROM span_data d
    WHERE d.start_ns BETWEEN $lo AND $hi AND d.trace_id = s.trace_id AND d.span_id = s.span_id)
  OR EXISTS (SELECT 1 FROM span_starts r WHERE r.trace_id = s.trace_id AND r.span_id = s.span_id)
  OR EXISTS (SELECT 1 FROM temp.stage_spans f WHERE f.trace_id = s.trace_id AND f.span_id = s.span_id)`;

export const MARK_REPLACED_STARTS = `
UPDATE temp.stage_spans s SET replaces_start = true WHERE EXISTS (
  SELECT 1 FROM span_starts r WHERE r.trace_id = s.trace_id AND r.span_id = s.span_id)`;

/** What the group adds to each execution it touches. */
export const BUILD_STAGE_EXECUTIONS = `
CREATE OR REPLACE TEMP TABLE stage_exec AS
WITH u AS (
  SELECT trace_id, span_id, name, service_name, start_ns, end_ns, status_code, flow_status,
         coalesce(exception_message, status_message) AS message,
         execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id, error_node_id,
         true AS finished, replaces_start,
         (parent_span_id IS NULL OR execution_kind IS NOT NULL) AS is_root
  FROM temp.stage_spans
  UNION ALL
  SELECT trace_id, span_id, name, service_name, start_ns, NULL, 0, NULL, NULL,
         execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id, NULL,
         false, false,
         (parent_span_id IS NULL OR execution_kind IS NOT NULL)
  FROM temp.stage_starts
), g AS (
  SELECT trace_id,
    bool_or(is_root AND finished) AS root_finished,
    bool_or(is_root) AS root_started,
    arg_max(span_id, finished::INT) FILTER (WHERE is_root) AS root_span_id,
    -- a trace whose root has not arrived is named after its earliest span meanwhile
    coalesce(arg_max(name, finished::INT) FILTER (WHERE is_root), arg_min(name, start_ns)) AS root_name,
    arg_max(status_code, finished::INT) FILTER (WHERE is_root AND finished) AS root_status_code,
    arg_max(flow_status, finished::INT) FILTER (WHERE is_root AND finished) AS root_flow_status,
    arg_max(service_name, finished::INT) FILTER (WHERE is_root) AS root_service,
    arg_min(service_name, start_ns) AS first_service,
    arg_max(execution_kind, finished::INT) FILTER (WHERE is_root) AS execution_kind,
    arg_max(flow_id, finished::INT) FILTER (WHERE is_root) AS flow_id,
    arg_max(flow_name, finished::INT) FILTER (WHERE is_root) AS flow_name,
    arg_max(flow_version, finished::INT) FILTER (WHERE is_root) AS flow_version,
    arg_max(trigger_type, finished::INT) FILTER (WHERE is_root) AS trigger_type,
    arg_max(user_id, finished::INT) FILTER (WHERE is_root) AS user_id,
    arg_max(error_node_id, finished::INT) FILTER (WHERE is_root AND finished) AS error_node_id,
    arg_max(message, finished::INT) FILTER (WHERE is_root AND finished AND status_code = 2) AS root_message,
    min(message) FILTER (WHERE finished AND status_code = 2) AS any_message,
    arg_max(start_ns, finished::INT) FILTER (WHERE is_root) AS root_start_ns,
    arg_max(end_ns, finished::INT) FILTER (WHERE is_root AND finished) AS root_end_ns,
    min(start_ns) AS min_start_ns,
    max(start_ns) AS max_start_ns,
    max(end_ns) AS max_end_ns,
    (count(*) FILTER (WHERE NOT replaces_start))::INTEGER AS span_delta,
    (count(*) FILTER (WHERE finished AND (status_code = 2 OR flow_status IN ('error', 'timed_out'))))::INTEGER AS error_delta
  FROM u GROUP BY trace_id
)
SELECT g.*, e.trace_id IS NULL AS created
FROM g LEFT JOIN execution_data e USING (trace_id)`;

/** Root fields: the group's value wins when it brings a finished root, or a root start while none finished. */
const ROOT_FIELDS = [
  'root_span_id', 'root_name', 'root_status_code', 'root_flow_status', 'execution_kind', 'flow_id',
  'flow_name', 'flow_version', 'trigger_type', 'user_id', 'error_node_id',
];
const TAKE_NEW = `(excluded.root_finished OR (excluded.root_started AND NOT execution_data.root_finished))`;

/** Folds stage_exec into execution_data. Params: $now (ns). */
export const UPSERT_EXECUTIONS = `
INSERT INTO execution_data (
  trace_id, root_span_id, root_name, root_finished, root_started, root_status_code, root_flow_status,
  service_name, execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id,
  error_node_id, error_message, start_ns, end_ns, min_start_ns, max_start_ns, span_count,
  error_count, last_seen_ns)
SELECT trace_id, root_span_id, root_name, root_finished, root_started, root_status_code, root_flow_status,
  coalesce(root_service, first_service), execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id,
  error_node_id, coalesce(root_message, any_message),
  coalesce(root_start_ns, min_start_ns),
  CASE WHEN root_finished THEN root_end_ns ELSE max_end_ns END,
  min_start_ns, max_start_ns, span_delta, error_delta, $now
FROM temp.stage_exec
ON CONFLICT (trace_id) DO UPDATE SET
  ${ROOT_FIELDS.map(
    (f) =>
      `${f} = CASE WHEN ${TAKE_NEW} THEN coalesce(excluded.${f}, execution_data.${f}) ELSE coalesce(execution_data.${f}, excluded.${f}) END`,
  ).join(',\n  ')},
  service_name = CASE WHEN excluded.root_started AND NOT execution_data.root_finished THEN excluded.service_name ELSE execution_data.service_name END,
  root_finished = execution_data.root_finished OR excluded.root_finished,
  root_started = execution_data.root_started OR excluded.root_started,
  error_message = CASE WHEN excluded.root_finished AND excluded.error_message IS NOT NULL THEN excluded.error_message
                       ELSE coalesce(execution_data.error_message, excluded.error_message) END,
  start_ns = CASE WHEN ${TAKE_NEW} THEN excluded.start_ns
                  WHEN execution_data.root_started THEN execution_data.start_ns
                  ELSE least(execution_data.start_ns, excluded.start_ns) END,
  end_ns = CASE WHEN excluded.root_finished THEN excluded.end_ns
                WHEN execution_data.root_finished THEN execution_data.end_ns
                ELSE greatest(coalesce(execution_data.end_ns, excluded.end_ns), coalesce(excluded.end_ns, execution_data.end_ns)) END,
  min_start_ns = least(execution_data.min_start_ns, excluded.min_start_ns),
  max_start_ns = greatest(execution_data.max_start_ns, excluded.max_start_ns),
  span_count = execution_data.span_count + excluded.span_count,
  error_count = execution_data.error_count + excluded.error_count,
  last_seen_ns = excluded.last_seen_ns`;

export const MOVE_SPANS = [
  `INSERT INTO span_data SELECT * EXCLUDE (replaces_start) FROM temp.stage_spans`,
  `DELETE FROM span_starts r WHERE EXISTS (
     SELECT 1 FROM temp.stage_spans s WHERE s.replaces_start AND s.trace_id = r.trace_id AND s.span_id = r.span_id)`,
  `INSERT INTO span_starts SELECT * FROM temp.stage_starts`,
];

/** Keeps the staged log lines not stored yet. Params: $lo, $hi (time range of the staged lines). */
export const MOVE_LOGS = [
  `DELETE FROM temp.stage_logs s WHERE EXISTS (
     SELECT 1 FROM log_data l
     WHERE l.time_ns BETWEEN $lo AND $hi AND l.trace_id = s.trace_id AND l.span_id = s.span_id
       AND l.time_ns = s.time_ns AND l.severity_number = s.severity_number AND l.body = s.body)`,
  `INSERT INTO log_data SELECT * FROM temp.stage_logs`,
];

/** The executions the group touched, after the upsert, for live events. */
export const READ_TOUCHED_EXECUTIONS = `
SELECT e.*, x.created, x.root_finished AS group_root_finished, x.root_started AS group_root_started
FROM execution_data e JOIN temp.stage_exec x USING (trace_id)`;

export const CLEAR_STAGING = [
  `DELETE FROM temp.stage_spans`,
  `DELETE FROM temp.stage_starts`,
  `DELETE FROM temp.stage_logs`,
];
