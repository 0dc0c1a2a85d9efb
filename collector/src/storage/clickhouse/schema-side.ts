/**
 * The tables beside the spans (format: schema.ts): console lines, the attribute value index,
 * metric points, the control log, the change feed and the schema's own meta row.
 * Every table a retry may write twice is a ReplacingMergeTree whose sorting key is what
 * identifies a row, so a retry collapses on merge and FINAL reads see it once.
 */
import type { TableDdl } from './schema-types.js';

const TEXT = 'CODEC(ZSTD(1))';
const DAY_OF = (ns: string): string => `toDate(fromUnixTimestamp64Nano(${ns}))`;
const TIME_OF = (ns: string): string => `toDateTime(intDiv(${ns}, 1000000000))`;

/**
 * Console lines and other log records, '' trace/span ids when absent. A line is identified by
 * trace, span, time, severity and body (as DuckDB's writer keeps it once). Ordered by trace then
 * time: a trace's lines are one key range in time order, and the lines of no trace ('') are read
 * by a time range of that one prefix.
 */
export const LOG_DATA: TableDdl = {
  kind: 'table',
  name: 'log_data',
  columns: [
    `trace_id String ${TEXT}`,
    `span_id String ${TEXT}`,
    'time_ns Int64 CODEC(Delta, ZSTD(1))',
    'observed_time_ns Int64 CODEC(Delta, ZSTD(1))',
    'severity_number UInt8',
    'severity_text LowCardinality(Nullable(String))',
    `body String ${TEXT}`,
    'body_type UInt8',
    `attributes String ${TEXT}`,
    `resource_attributes String ${TEXT}`,
    'service_name LowCardinality(String)',
    'scope_name LowCardinality(Nullable(String))',
    'scope_version LowCardinality(Nullable(String))',
    'event_name Nullable(String)',
    'flags UInt32',
    'dropped_attributes_count UInt32',
    'resource_schema_url Nullable(String)',
    'resource_dropped_attributes_count UInt32',
    'scope_attributes Nullable(String)',
    'scope_dropped_attributes_count UInt32',
    'scope_schema_url Nullable(String)',
    'value_types Nullable(String)',
    'ingest_ns Int64 DEFAULT toUnixTimestamp64Nano(now64(9))',
  ],
  indexes: [],
  engine: { family: 'ReplacingMergeTree', args: [] },
  partitionBy: DAY_OF('time_ns'),
  orderBy: '(trace_id, time_ns, span_id, severity_number, cityHash64(body))',
  ttlTime: TIME_OF('time_ns'),
  settings: ['index_granularity = 1024'],
  shardBy: 'cityHash64(trace_id)',
};

/**
 * The attribute value index (storage/span-model/value-index.ts decides what is in it): one row
 * per trace, key and short value — of its finished spans' small attributes and of its spans'
 * resource attributes (span_id ''), and of a running span's small attributes (span_id: that span,
 * so a search counts the row only while the span still runs). Ordered by key and value:
 * `attr=key=value` is one primary-key range; the trace ids it yields select rollup rows.
 */
export const ATTRIBUTE_VALUES: TableDdl = {
  kind: 'table',
  name: 'attribute_values',
  columns: [
    'key LowCardinality(String)',
    `value String ${TEXT}`,
    `trace_id String ${TEXT}`,
    // the span's start, for the retention age
    'start_ns Int64 CODEC(Delta, ZSTD(1))',
    // '' for a finished span's or a resource attribute; a running span's id (schema version 2)
    `span_id String ${TEXT}`,
  ],
  indexes: [],
  engine: { family: 'ReplacingMergeTree', args: [] },
  orderBy: '(key, value, trace_id, span_id)',
  ttlTime: TIME_OF('start_ns'),
  settings: [],
  shardBy: 'cityHash64(trace_id)',
};

/**
 * OTLP metric data points (the columns of DuckDB's metric_data). A point is identified by its
 * stream (service, resource, scope, name, type, attributes) and its start and end times.
 */
export const METRIC_DATA: TableDdl = {
  kind: 'table',
  name: 'metric_data',
  columns: [
    'service_name LowCardinality(String)',
    `resource_attributes String ${TEXT}`,
    'scope_name LowCardinality(Nullable(String))',
    'scope_version LowCardinality(Nullable(String))',
    `scope_attributes String ${TEXT}`,
    'name LowCardinality(String)',
    'description Nullable(String)',
    'unit LowCardinality(Nullable(String))',
    // 1 gauge, 2 sum, 3 histogram, 4 exponential_histogram, 5 summary
    'type UInt8',
    'temporality UInt8',
    'is_monotonic Nullable(Bool)',
    `attributes String ${TEXT}`,
    'start_ns Nullable(Int64)',
    'time_ns Int64 CODEC(Delta, ZSTD(1))',
    'value Nullable(Float64)',
    'int_value Nullable(Int64)',
    'count Nullable(UInt64)',
    'sum Nullable(Float64)',
    'min Nullable(Float64)',
    'max Nullable(Float64)',
    'buckets Nullable(String)',
    `exemplars String ${TEXT}`,
    'flags UInt32',
    'ingest_ns Int64 DEFAULT toUnixTimestamp64Nano(now64(9))',
  ],
  indexes: [],
  engine: { family: 'ReplacingMergeTree', args: [] },
  partitionBy: DAY_OF('time_ns'),
  orderBy: '(service_name, name, type, time_ns, cityHash64(resource_attributes, ifNull(scope_name, \'\'), ifNull(scope_version, \'\'), scope_attributes, attributes), ifNull(start_ns, -1))',
  ttlTime: TIME_OF('time_ns'),
  settings: [],
  shardBy: 'cityHash64(service_name, name)',
};

/** One row per answered control request (an audit record: deletion and retention keep it). */
export const CONTROL_LOG: TableDdl = {
  kind: 'table',
  name: 'control_log',
  columns: [
    'request_id String',
    'requested_at Int64',
    'answered_at Int64',
    'action LowCardinality(String)',
    'target_trace_id String',
    'service_name Nullable(String)',
    'flow_id Nullable(String)',
    'requested_by String',
    'client String',
    'outcome LowCardinality(String)',
    'message Nullable(String)',
    'instance_id Nullable(String)',
    'new_trace_id Nullable(String)',
    'input_edited Nullable(Bool)',
  ],
  indexes: [],
  engine: { family: 'MergeTree', args: [] },
  orderBy: '(target_trace_id, requested_at, request_id)',
  settings: [],
  shardBy: 'cityHash64(target_trace_id)',
};

/**
 * The change feed across collectors: one row per commit naming what it stored — the traces it
 * touched (with what changed about each execution), its spans and running marks by id, its
 * trace-bound lines by identity — never the spans themselves: a collector that announces another's
 * commit reads them from the tables (change-feed.ts). Polled on the ingest watermark; kept an hour.
 */
export const CHANGE_FEED: TableDdl = {
  kind: 'table',
  name: 'change_feed',
  columns: [
    'ingest_ns Int64 DEFAULT toUnixTimestamp64Nano(now64(9))',
    'commit_id String',
    'collector_id LowCardinality(String)',
    `trace_ids Array(String) ${TEXT}`,
    // per trace: bit 0 execution created, 1 its root finished now, 2 its root started now, 3 an execution is announced
    'trace_flags Array(UInt8)',
    // (index into trace_ids, span id) of the finished spans and of the running marks stored
    `spans Array(Tuple(UInt32, String)) ${TEXT}`,
    `starts Array(Tuple(UInt32, String)) ${TEXT}`,
    // (index into trace_ids, span id, time, severity, first 16 hex digits of the body's MD5) of the trace-bound lines
    `lines Array(Tuple(UInt32, String, Int64, UInt8, String)) ${TEXT}`,
    'log_count UInt32',
    'metric_point_count UInt32',
  ],
  indexes: [],
  engine: { family: 'MergeTree', args: [] },
  orderBy: '(ingest_ns, commit_id)',
  fixedTtl: 'toDateTime(intDiv(ingest_ns, 1000000000)) + INTERVAL 1 HOUR',
  settings: [],
  shardBy: 'cityHash64(commit_id)',
};

/** Schema bookkeeping: `schema_version` and settings every collector must agree on. */
export const FLOWTRACE_META: TableDdl = {
  kind: 'table',
  name: 'flowtrace_meta',
  columns: ['key String', 'value String', 'updated_ns Int64 DEFAULT toUnixTimestamp64Nano(now64(9))'],
  indexes: [],
  engine: { family: 'ReplacingMergeTree', args: ['updated_ns'] },
  orderBy: 'key',
  settings: [],
  shardBy: 'cityHash64(key)',
};

export const SIDE_TABLES = [LOG_DATA, ATTRIBUTE_VALUES, METRIC_DATA, CONTROL_LOG, CHANGE_FEED, FLOWTRACE_META] as const;
