/**
 * Example queries for the SQL console: the questions users ask, written against the
 * collector's `spans`, `executions` and `logs` views.
 */
export interface SqlExample {
  title: string;
  sql: string;
}

export const SQL_EXAMPLES: SqlExample[] = [
  {
    title: 'Slowest nodes (p95)',
    sql: `SELECT flow_name, node_name, count(*) AS runs,
       round(quantile_cont(duration_ms, 0.95), 1) AS p95_ms,
       round(avg(duration_ms), 1) AS avg_ms
FROM spans
WHERE node_name IS NOT NULL
GROUP BY flow_name, node_name
ORDER BY p95_ms DESC
LIMIT 20`,
  },
  {
    title: 'Error rate by flow per hour',
    sql: `SELECT date_trunc('hour', start_time) AS hour,
       round(100.0 * count(*) FILTER (WHERE status = 'error') / count(*), 2) AS error_pct,
       count(*) AS executions
FROM spans
WHERE parent_span_id IS NULL
GROUP BY hour
ORDER BY hour`,
  },
  {
    title: 'Executions by user',
    sql: `SELECT coalesce(user_id, '(anonymous)') AS user_id, count(*) AS executions,
       count(*) FILTER (WHERE status = 'error') AS errors
FROM spans
WHERE parent_span_id IS NULL
GROUP BY 1
ORDER BY executions DESC
LIMIT 25`,
  },
  {
    title: 'Which node fails most',
    sql: `SELECT flow_name, node_name, count(*) AS failures
FROM spans
WHERE status = 'error' AND node_name IS NOT NULL
GROUP BY flow_name, node_name
ORDER BY failures DESC
LIMIT 20`,
  },
  {
    title: 'Recent executions',
    sql: `SELECT *
FROM executions
ORDER BY start_time DESC
LIMIT 50`,
  },
  {
    title: 'Errors in console output',
    sql: `SELECT *
FROM logs
WHERE severity_text IN ('ERROR', 'FATAL')
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
