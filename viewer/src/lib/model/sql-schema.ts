/**
 * Table and column names of the SQL console's views, for the editor's completion. These
 * mirror the collector's views; a column missing here still works, it just isn't suggested.
 */
export const SQL_SCHEMA: Record<string, string[]> = {
  spans: [
    'trace_id', 'span_id', 'parent_span_id', 'name', 'service_name', 'kind', 'start_time', 'end_time', 'duration_ms',
    'status', 'status_message', 'flow_name', 'node_id', 'node_name', 'node_type', 'user_id', 'trigger_type', 'attributes',
  ],
  executions: ['trace_id', 'flow_name', 'service_name', 'status', 'start_time', 'end_time', 'duration_ms', 'span_count', 'user_id', 'trigger_type'],
  logs: ['trace_id', 'span_id', 'time', 'severity_text', 'severity_number', 'body', 'attributes'],
};
