WITH hits AS MATERIALIZED (
  SELECT trace_id, span_id, start_ns FROM span_data
  WHERE start_ns >= $c0
    AND start_ns <= $c1
), picked AS (
  SELECT trace_id, max(start_ns) AS newest_ns, count(*) AS matched FROM hits
  GROUP BY trace_id ORDER BY newest_ns DESC, trace_id DESC LIMIT 100
)
SELECT p.trace_id, p.matched, e.service_name AS root_service, e.root_name, e.start_ns AS trace_start_ns,
  coalesce(e.end_ns, e.max_start_ns) AS trace_end_ns
FROM picked p LEFT JOIN execution_data e ON e.trace_id = p.trace_id
ORDER BY p.newest_ns DESC, p.trace_id DESC
-- $c0 = 1000n
-- $c1 = 2000n
