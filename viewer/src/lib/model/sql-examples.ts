/**
 * Example queries for the SQL console: the questions users ask, written against the
 * collector's `spans`, `executions` and `logs` views. Node spans carry no flow name of
 * their own, so per-flow node questions join `executions` on trace_id.
 */
export interface SqlExample {
  title: string;
  sql: string;
}

export const SQL_EXAMPLES: SqlExample[] = [
  {
    title: 'Slowest nodes (p95)',
    sql: `SELECT e.flow_name, s.node_name, count(*) AS runs,
       round(quantile_cont(s.duration_ms, 0.95), 1) AS p95_ms,
       round(avg(s.duration_ms), 1) AS avg_ms
FROM spans s JOIN executions e USING (trace_id)
WHERE s.node_name IS NOT NULL AND s.duration_ms IS NOT NULL
GROUP BY e.flow_name, s.node_name
ORDER BY p95_ms DESC
LIMIT 20`,
  },
  {
    title: 'Error rate by flow per hour',
    sql: `SELECT date_trunc('hour', start_time) AS hour, flow_name,
       round(100.0 * count(*) FILTER (WHERE status = 'error') / count(*), 2) AS error_pct,
       count(*) AS executions
FROM executions
GROUP BY hour, flow_name
ORDER BY hour, flow_name`,
  },
  {
    title: 'Executions and errors per hour',
    sql: `SELECT date_trunc('hour', start_time) AS hour,
       count(*) AS executions,
       count(*) FILTER (WHERE status = 'error') AS errors
FROM executions
GROUP BY hour
ORDER BY hour`,
  },
  {
    title: 'Executions by user',
    sql: `SELECT coalesce(user_id, '(anonymous)') AS user_id,
       count(*) AS executions,
       count(*) FILTER (WHERE status = 'error') AS errors
FROM executions
GROUP BY 1
ORDER BY executions DESC
LIMIT 25`,
  },
  {
    title: 'Which node fails most',
    sql: `SELECT e.flow_name, s.node_name, count(*) AS failures
FROM spans s JOIN executions e USING (trace_id)
WHERE s.status = 'error' AND s.node_name IS NOT NULL
GROUP BY e.flow_name, s.node_name
ORDER BY failures DESC
LIMIT 20`,
  },
  {
    title: 'Recent executions',
    sql: `SELECT trace_id, flow_name, status, start_time, duration_ms, span_count, user_id
FROM executions
ORDER BY start_time DESC
LIMIT 50`,
  },
  {
    title: 'Warnings and errors in console output',
    sql: `SELECT l.time, e.flow_name, l.severity, l.body
FROM logs l JOIN executions e USING (trace_id)
WHERE l.severity_number >= 13
ORDER BY l.time DESC
LIMIT 100`,
  },
  {
    title: 'Spans by HTTP route',
    sql: `SELECT (attributes->>'$."http.route"') AS route, count(*) AS spans,
       round(avg(duration_ms), 1) AS avg_ms
FROM spans
WHERE (attributes->>'$."http.route"') IS NOT NULL
GROUP BY route
ORDER BY spans DESC`,
  },
];
