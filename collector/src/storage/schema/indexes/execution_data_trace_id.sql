-- Point lookups of one execution by trace id (the writer's merge, trace reads).
CREATE INDEX IF NOT EXISTS execution_data_trace_id ON execution_data (trace_id);
