/**
 * Table and column names of the SQL console's views (and of the attribute value index), for the
 * editor's completion. These mirror the collector's schema; a column missing here still works, it just isn't suggested.
 */
export const SQL_SCHEMA: Record<string, string[]> = {
  spans: [
    'trace_id', 'span_id', 'parent_span_id', 'name', 'service_name', 'kind', 'start_time', 'end_time', 'duration_ms',
    'status', 'status_code', 'status_message', 'exception_message', 'execution_kind', 'flow_id', 'flow_name', 'flow_version',
    'trigger_type', 'user_id', 'node_id', 'node_name', 'node_type', 'node_index', 'error_node_id', 'attributes',
    'resource_attributes', 'scope_name', 'events', 'links',
  ],
  executions: [
    'trace_id', 'flow_name', 'flow_id', 'flow_version', 'execution_kind', 'service_name', 'status', 'start_time', 'end_time',
    'duration_ms', 'span_count', 'error_count', 'trigger_type', 'user_id', 'error_node_id', 'error_message', 'root_span_id',
    'continues_remote_trace', 'remote_parent_span_id',
  ],
  logs: ['trace_id', 'span_id', 'time', 'severity_number', 'severity', 'body', 'attributes', 'resource_attributes', 'service_name'],
  /** The short attribute values of finished spans, one row per trace, key and value. */
  attribute_values: ['trace_id', 'key', 'value'],
};
