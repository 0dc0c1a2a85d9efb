-- The status of an execution, from its root and how recently anything arrived for it: running
-- or abandoned (nothing for longer than the abandon_after_ms setting) until the root has ended;
-- then the root's flow.execution.status when it is one a root can state, else error when the
-- root's OTel status is error, else success. {{STATED_EXECUTION_STATUSES}} is filled from
-- @flowtrace/instrumentation, as a list (storage/span-status-sql.ts IN_PLANNED_AS_JOIN says why not IN).
CREATE OR REPLACE MACRO execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, abandon_before_ns) AS
  CASE
    WHEN NOT root_finished THEN (CASE WHEN last_seen_ns < abandon_before_ns THEN 'abandoned' ELSE 'running' END)
    WHEN list_contains({{STATED_EXECUTION_STATUSES}}, root_flow_status) THEN root_flow_status
    WHEN root_status_code = 2 THEN 'error'
    ELSE 'success'
  END;
