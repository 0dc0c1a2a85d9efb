-- Finished spans, one row each, appended in arrival order (so start_ns zone maps prune well).
-- Hot fields are real columns; every attribute stays queryable as JSON text (VARCHAR, not the
-- JSON type: DuckDB compresses VARCHAR with FSST and dictionaries, JSON columns not at all;
-- the views cast it back to JSON).
-- No primary key: (trace_id, span_id) uniqueness is kept by the writer's anti-join, which
-- costs far less than an ART index over every span (see storage/writer.ts).
-- Columns in the order the appender writes them (storage/table-columns.ts); new ones at the end.
CREATE TABLE IF NOT EXISTS span_data (
  trace_id                 VARCHAR  NOT NULL,
  span_id                  VARCHAR  NOT NULL,
  parent_span_id           VARCHAR,
  trace_state              VARCHAR,
  name                     VARCHAR  NOT NULL,
  kind                     UTINYINT NOT NULL,
  service_name             VARCHAR  NOT NULL,
  start_ns                 BIGINT   NOT NULL,
  end_ns                   BIGINT   NOT NULL,
  status_code              UTINYINT NOT NULL,
  status_message           VARCHAR,
  exception_message        VARCHAR,
  execution_kind           VARCHAR,
  flow_id                  VARCHAR,
  flow_name                VARCHAR,
  flow_version             VARCHAR,
  trigger_type             VARCHAR,
  user_id                  VARCHAR,
  node_id                  VARCHAR,
  node_name                VARCHAR,
  node_type                VARCHAR,
  node_index               INTEGER,
  -- flow.execution.status or flow.node.status as sent; the status shown is span_status() of it
  flow_status              VARCHAR,
  error_node_id            VARCHAR,
  attributes               VARCHAR  NOT NULL,
  resource_attributes      VARCHAR  NOT NULL,
  scope_name               VARCHAR,
  scope_version            VARCHAR,
  events                   VARCHAR  NOT NULL,
  links                    VARCHAR  NOT NULL,
  flags                    UINTEGER NOT NULL,
  dropped_attributes_count UINTEGER NOT NULL,
  dropped_events_count     UINTEGER NOT NULL,
  dropped_links_count      UINTEGER NOT NULL,
  -- Hot attributes stored once (storage/span-model/moved-attributes.ts): the writer leaves a flow.* attribute
  -- out of the attributes JSON when its hot column rebuilds it exactly and sets its bit here;
  -- NULL (rows written before version 8) means nothing was moved. Bits: 1 flow.execution.kind,
  -- 2 flow.id, 4 flow.name, 8 flow.version, 16 flow.trigger.type, 32 enduser.id, 64 flow.node.id,
  -- 128 flow.node.name, 256 flow.node.type, 512 flow.node.index, 1024 flow.execution.status,
  -- 2048 flow.node.status, 4096 flow.error.node_id.
  moved_attributes         USMALLINT,
  -- What an OTLP export needs to give back what was sent (query/otlp-export.ts): the resource's
  -- and scope's fields beyond their attributes and names, and the value types the JSON cannot
  -- tell (storage/value-types.ts). Rows written before version 13 read as sent without them.
  resource_schema_url      VARCHAR,
  resource_dropped_attributes_count UINTEGER DEFAULT 0,
  scope_attributes         VARCHAR,
  scope_dropped_attributes_count UINTEGER DEFAULT 0,
  scope_schema_url         VARCHAR,
  value_types              VARCHAR,
  -- Large attributes (captured inputs and outputs, bodies, prompts): an attribute whose
  -- "key":value JSON text is longer than 256 characters goes here instead of attributes, so
  -- attribute filters, suggestions and scans read small text and payloads are read only when a
  -- span is shown or searched. Strings as sent (per attribute: a record separator, the key, a
  -- unit separator, the text), else one JSON object text; NULL when a span has none. zstd: DuckDB's
  -- default (FSST) leaves a segment uncompressed once one string passes ~4 KB; zstd needs storage
  -- format v1.2 (storage/database.ts) and is ignored in an older file. Forced, at a 4-byte length
  -- per row with or without payloads. Plain VARCHAR, not a list: a VARCHAR[] column made every
  -- commit log bytes in proportion to the list rows since the last checkpoint. Why each:
  -- storage/span-model/large-attributes.ts.
  large_attributes         VARCHAR USING COMPRESSION zstd
);
