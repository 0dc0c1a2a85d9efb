-- The status a finished span shows: its flow.execution.status / flow.node.status when that is
-- one of the conventions' node statuses, else error when its OTel status is error, else success.
-- A span still running (span_starts) shows 'running'. The same rule as the API's
-- (query/to-wire.ts spanStatus); TypeScript that builds SQL calls this macro through
-- storage/span-status-sql.ts. {{NODE_STATUSES}} is filled from @flowtrace/instrumentation, as a
-- list: list_contains, not IN, which DuckDB plans as a join for five statuses or more
-- (span-status-sql.ts IN_PLANNED_AS_JOIN).
CREATE OR REPLACE MACRO span_status(flow_status, status_code) AS
  CASE
    WHEN list_contains({{NODE_STATUSES}}, flow_status) THEN flow_status
    WHEN status_code = 2 THEN 'error'
    ELSE 'success'
  END;
