-- Hot attributes stored once (see storage/moved-attributes.ts). Ingest leaves a flow.* attribute
-- out of the attributes JSON when its hot column rebuilds it exactly, and sets its bit in
-- moved_attributes; NULL (rows written before this file) means nothing was moved. Bits:
-- 1 flow.execution.kind, 2 flow.id, 4 flow.name, 8 flow.version, 16 flow.trigger.type,
-- 32 enduser.id, 64 flow.node.id, 128 flow.node.name, 256 flow.node.type, 512 flow.node.index,
-- 1024 flow.execution.status, 2048 flow.node.status, 4096 flow.error.node_id.
ALTER TABLE span_data ADD COLUMN moved_attributes USMALLINT;

-- The "key":value texts of a row's moved attributes joined by commas ('' when none).
CREATE OR REPLACE MACRO moved_attribute_entries(moved, execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id, node_id, node_name, node_type, node_index, flow_status, error_node_id) AS
  concat_ws(',',
    CASE WHEN moved & 1 <> 0 THEN '"flow.execution.kind":' || CAST(to_json(execution_kind) AS VARCHAR) END,
    CASE WHEN moved & 2 <> 0 THEN '"flow.id":' || CAST(to_json(flow_id) AS VARCHAR) END,
    CASE WHEN moved & 4 <> 0 THEN '"flow.name":' || CAST(to_json(flow_name) AS VARCHAR) END,
    CASE WHEN moved & 8 <> 0 THEN '"flow.version":' || CAST(to_json(flow_version) AS VARCHAR) END,
    CASE WHEN moved & 16 <> 0 THEN '"flow.trigger.type":' || CAST(to_json(trigger_type) AS VARCHAR) END,
    CASE WHEN moved & 32 <> 0 THEN '"enduser.id":' || CAST(to_json(user_id) AS VARCHAR) END,
    CASE WHEN moved & 64 <> 0 THEN '"flow.node.id":' || CAST(to_json(node_id) AS VARCHAR) END,
    CASE WHEN moved & 128 <> 0 THEN '"flow.node.name":' || CAST(to_json(node_name) AS VARCHAR) END,
    CASE WHEN moved & 256 <> 0 THEN '"flow.node.type":' || CAST(to_json(node_type) AS VARCHAR) END,
    CASE WHEN moved & 512 <> 0 THEN '"flow.node.index":' || CAST(node_index AS VARCHAR) END,
    CASE WHEN moved & 1024 <> 0 THEN '"flow.execution.status":' || CAST(to_json(flow_status) AS VARCHAR) END,
    CASE WHEN moved & 2048 <> 0 THEN '"flow.node.status":' || CAST(to_json(flow_status) AS VARCHAR) END,
    CASE WHEN moved & 4096 <> 0 THEN '"flow.error.node_id":' || CAST(to_json(error_node_id) AS VARCHAR) END);

-- Every attribute of a span_data row as one JSON object text: the moved ones, then the small
-- and the large ones.
CREATE OR REPLACE MACRO span_attributes(small, large, moved, execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id, node_id, node_name, node_type, node_index, flow_status, error_node_id) AS
  CASE
    WHEN coalesce(moved, 0) = 0 THEN merged_attributes(small, large)
    WHEN small = '{}' AND large IS NULL THEN '{' || moved_attribute_entries(moved, execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id, node_id, node_name, node_type, node_index, flow_status, error_node_id) || '}'
    ELSE '{' || moved_attribute_entries(moved, execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id, node_id, node_name, node_type, node_index, flow_status, error_node_id) || ',' || substr(merged_attributes(small, large), 2)
  END;

-- spans, as in 007_large_attributes.sql, with the moved attributes put back.
CREATE OR REPLACE VIEW spans AS
SELECT
  trace_id, span_id, parent_span_id, name, service_name,
  CASE kind WHEN 1 THEN 'internal' WHEN 2 THEN 'server' WHEN 3 THEN 'client'
            WHEN 4 THEN 'producer' WHEN 5 THEN 'consumer' ELSE 'unspecified' END AS kind,
  make_timestamp_ns(start_ns) AS start_time,
  make_timestamp_ns(end_ns) AS end_time,
  (end_ns - start_ns) / 1e6 AS duration_ms,
  CASE
    WHEN flow_status IS NOT NULL THEN flow_status
    WHEN status_code = 2 THEN 'error'
    ELSE 'success' END AS status,
  CASE status_code WHEN 1 THEN 'ok' WHEN 2 THEN 'error' ELSE 'unset' END AS status_code,
  status_message, exception_message,
  execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id,
  node_id, node_name, node_type, node_index, error_node_id,
  CAST(span_attributes(attributes, large_attributes, moved_attributes, execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id, node_id, node_name, node_type, node_index, flow_status, error_node_id) AS JSON) AS attributes, CAST(resource_attributes AS JSON) AS resource_attributes,
  scope_name, scope_version, CAST(events AS JSON) AS events, CAST(links AS JSON) AS links,
  start_ns, end_ns
FROM span_data
UNION ALL
SELECT
  s.trace_id, s.span_id, s.parent_span_id, s.name, s.service_name,
  CASE s.kind WHEN 1 THEN 'internal' WHEN 2 THEN 'server' WHEN 3 THEN 'client'
              WHEN 4 THEN 'producer' WHEN 5 THEN 'consumer' ELSE 'unspecified' END,
  make_timestamp_ns(s.start_ns), NULL, NULL, 'running', 'unset', NULL, NULL,
  s.execution_kind, s.flow_id, s.flow_name, s.flow_version, s.trigger_type, s.user_id,
  s.node_id, s.node_name, s.node_type, s.node_index, NULL,
  CAST(merged_attributes(s.attributes, s.large_attributes) AS JSON), CAST(s.resource_attributes AS JSON), s.scope_name, s.scope_version,
  CAST('[]' AS JSON), CAST('[]' AS JSON),
  s.start_ns, NULL
FROM span_starts s;
