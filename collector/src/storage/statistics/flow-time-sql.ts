/**
 * SQL for where a flow's time goes over a time range, per node: self time (a span's duration
 * minus the union of its children's intervals, clipped to it) and time on the critical path
 * (Jaeger's and Tempo's definition, as collector/src/query/critical-path.ts computes it for one
 * trace: from the root's end, descend into the child that finished last before the time
 * reached; a span with no such child holds the path from its start and hands back to its parent).
 *
 * Finished runs only, and their finished spans (a running span has no end to measure).
 * The union of intervals is one window per parent: sorted by start, each child adds what lies
 * past the furthest end before it. The critical path is a recursive walk of all runs at once,
 * one step per iteration (descend or hand back), with a LATERAL pick of the last-finishing child.
 * Params: $flow, $from_ns, $to_ns, $lo, $hi (stats-sql.ts FLOW_SPAN_RANGE_SQL).
 */
import { flowIn } from '../executions/execution-sql.js';

export const FLOW_TIME_SQL = `
WITH RECURSIVE runs AS MATERIALIZED (
  SELECT trace_id, root_span_id, end_ns - start_ns AS duration_ns
  FROM execution_data
  WHERE ${flowIn('$flow')} AND start_ns BETWEEN $from_ns AND $to_ns AND root_finished AND root_span_id IS NOT NULL
),
s AS MATERIALIZED (
  SELECT d.trace_id, d.span_id, d.parent_span_id, d.node_id, d.node_name, d.start_ns, d.end_ns
  FROM span_data d
  WHERE d.start_ns BETWEEN $lo AND $hi AND d.trace_id IN (SELECT trace_id FROM runs)
),
-- Each span's interval clipped to its parent's; parent NULL when it is not in the trace (the root, orphans).
iv AS MATERIALIZED (
  SELECT k.trace_id, k.span_id, p.span_id AS parent_span_id,
         CASE WHEN p.span_id IS NULL THEN k.start_ns ELSE greatest(k.start_ns, p.start_ns) END AS cs,
         CASE WHEN p.span_id IS NULL THEN k.end_ns ELSE greatest(greatest(k.start_ns, p.start_ns), least(k.end_ns, p.end_ns)) END AS ce
  FROM s k LEFT JOIN s p ON p.trace_id = k.trace_id AND p.span_id = k.parent_span_id AND k.span_id <> p.span_id
),
covered AS (
  SELECT trace_id, parent_span_id AS span_id, sum(greatest(0, ce - greatest(cs, coalesce(reach, cs)))) AS covered_ns
  FROM (
    SELECT trace_id, parent_span_id, cs, ce,
           max(ce) OVER (PARTITION BY trace_id, parent_span_id ORDER BY cs, ce ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM iv WHERE parent_span_id IS NOT NULL
  )
  GROUP BY trace_id, parent_span_id
),
walk(trace_id, root_span_id, span_id, t, seg_span_id, seg_ns) AS (
  SELECT r.trace_id, r.root_span_id, r.root_span_id, iv.ce, NULL::VARCHAR, 0::BIGINT
  FROM runs r JOIN iv ON iv.trace_id = r.trace_id AND iv.span_id = r.root_span_id
  UNION ALL
  SELECT w.trace_id, w.root_span_id,
         CASE WHEN l.span_id IS NOT NULL THEN l.span_id WHEN w.span_id = w.root_span_id THEN NULL ELSE cur.parent_span_id END,
         coalesce(l.ce, cur.cs),
         w.span_id,
         w.t - coalesce(l.ce, cur.cs)
  FROM walk w
  JOIN iv cur ON cur.trace_id = w.trace_id AND cur.span_id = w.span_id
  LEFT JOIN LATERAL (
    SELECT k.span_id, k.ce FROM iv k
    WHERE k.trace_id = w.trace_id AND k.parent_span_id = w.span_id AND k.ce <= w.t AND k.cs < w.t
    ORDER BY k.ce DESC, k.cs DESC LIMIT 1
  ) l ON true
  WHERE w.span_id IS NOT NULL
),
critical AS (
  SELECT trace_id, seg_span_id AS span_id, sum(seg_ns) AS critical_ns FROM walk WHERE seg_span_id IS NOT NULL GROUP BY ALL
)
SELECT s.node_id,
       arg_max(s.node_name, s.start_ns) AS node_name,
       count(*) AS count,
       sum(s.end_ns - s.start_ns) / 1e6 AS total_ms,
       sum(greatest(0, s.end_ns - s.start_ns - coalesce(c.covered_ns, 0))) / 1e6 AS self_ms,
       coalesce(sum(k.critical_ns), 0) / 1e6 AS critical_ms,
       (SELECT count(*) FROM runs) AS runs,
       (SELECT coalesce(sum(duration_ns), 0) FROM runs) / 1e6 AS run_ms
FROM s
LEFT JOIN covered c ON c.trace_id = s.trace_id AND c.span_id = s.span_id
LEFT JOIN critical k ON k.trace_id = s.trace_id AND k.span_id = s.span_id
WHERE s.node_id IS NOT NULL
GROUP BY s.node_id
ORDER BY critical_ms DESC, self_ms DESC, s.node_id`;

/** How many finished runs, and their summed duration, when no node matched. Params as FLOW_TIME_SQL. */
export const FLOW_RUNS_SQL = `
SELECT count(*) AS runs, coalesce(sum(end_ns - start_ns), 0) / 1e6 AS run_ms
FROM execution_data
WHERE ${flowIn('$flow')} AND start_ns BETWEEN $from_ns AND $to_ns AND root_finished AND root_span_id IS NOT NULL`;
