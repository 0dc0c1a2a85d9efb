-- The flow of an execution: its flow.name, else "service: root span name", so that plain OTel
-- traces of two services with the same root name are two flows (execution-list-sql.ts FLOW_OF_EXECUTION).
CREATE OR REPLACE MACRO execution_flow(flow_name, service_name, root_name) AS
  coalesce(flow_name, service_name || ': ' || root_name);
