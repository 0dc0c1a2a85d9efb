/**
 * The span table and the per-trace rollup the materialized view keeps from it (format: schema.ts).
 *
 * span_data — ReplacingMergeTree(version) ORDER BY (trace_id, span_id): both fixed when a span
 * starts, so a start mark's running row (version 0), the finished span (version 1) and any retry
 * of either share one sorting key and collapse to the finished row, whichever collector took
 * them. A read of one trace takes each span's newest version with LIMIT 1 BY (faster than FINAL
 * for small traces, and FINAL's cost grows with the parts a steady ingest leaves: traces.ts has
 * the figures); scans over many traces (statistics, catalog, Grafana) use FINAL. Partitioned by
 * the start day, so a retention age drops whole parts; a running mark and its finished span
 * start at the same instant and share a partition (a retry whose start moved to another day is
 * two rows until retention: the reads' LIMIT 1 BY still show one).
 * Granules of 1024 rows: a trace read is a short primary-key range.
 *
 * execution_rollup — AggregatingMergeTree ORDER BY trace_id, one row per trace after merges. The
 * view sees each inserted block, retries and running marks included, so every aggregate is one a
 * repeated row cannot change: argMin over a rank (the root, packed as text: rollup-sql.ts says why
 * and how), min/max, and uniqExact of span ids for the counts. The root: a span without a parent
 * first, then the earliest span, then the finished copy over its running mark, span ids breaking
 * ties — storage/writer/execution-merge.ts's order. A running mark may carry another start than
 * its finished span (the contract allows it), so the best finished candidate is kept too
 * (finished_root): when it is the root's span, it is the root. Unlike DuckDB's writer, the view
 * cannot ask whether a span's parent is stored, so a trace without a parentless span is rooted at
 * its earliest span (the same span unless a child starts before its parent: clock skew between
 * services; reroot.ts gives the contract's root then).
 */
import { ERROR_RANK_SQL, NO_RANK_SQL, PACKED_ROOT_SQL, RANK_SQL, SPAN_ID_BITS_SQL } from './rollup-sql.js';
import type { TableDdl, MaterializedViewDdl } from './schema-types.js';

const TEXT = 'CODEC(ZSTD(1))';

/** Flow statuses that make a finished span an error (the rule of storage/writer/execution-merge.ts). */
export const ERROR_FLOW_STATUSES = ['error', 'timed_out'] as const;

const IS_ERROR = `toUInt8(ifNull(end_ns IS NOT NULL AND (status_code = 2 OR flow_status IN (${ERROR_FLOW_STATUSES.map((s) => `'${s}'`).join(', ')})), 0))`;

export const SPAN_DATA: TableDdl = {
  kind: 'table',
  name: 'span_data',
  columns: [
    `trace_id String ${TEXT}`,
    `span_id String ${TEXT}`,
    // '' for a span without a parent
    `parent_span_id String ${TEXT}`,
    'trace_state Nullable(String)',
    'name LowCardinality(String)',
    'kind UInt8',
    'service_name LowCardinality(String)',
    'start_ns Int64 CODEC(Delta, ZSTD(1))',
    // NULL: a running span known from its start mark
    'end_ns Nullable(Int64) CODEC(Delta, ZSTD(1))',
    'status_code UInt8',
    'status_message Nullable(String)',
    'exception_message Nullable(String)',
    'execution_kind LowCardinality(Nullable(String))',
    'flow_id Nullable(String)',
    'flow_name LowCardinality(Nullable(String))',
    'flow_version LowCardinality(Nullable(String))',
    'trigger_type LowCardinality(Nullable(String))',
    'user_id Nullable(String)',
    'node_id Nullable(String)',
    'node_name LowCardinality(Nullable(String))',
    'node_type LowCardinality(Nullable(String))',
    'node_index Nullable(Int32)',
    'flow_status LowCardinality(Nullable(String))',
    'error_node_id Nullable(String)',
    // JSON object text of every attribute but the large ones (the hot ones included)
    `attributes String ${TEXT}`,
    // JSON object text of the attributes longer than LARGE_ATTRIBUTE_CHARS (payloads), NULL when none
    'large_attributes Nullable(String) CODEC(ZSTD(3))',
    `resource_attributes String ${TEXT}`,
    'scope_name LowCardinality(Nullable(String))',
    'scope_version LowCardinality(Nullable(String))',
    `events String ${TEXT}`,
    `links String ${TEXT}`,
    'flags UInt32',
    'dropped_attributes_count UInt32',
    'dropped_events_count UInt32',
    'dropped_links_count UInt32',
    'resource_schema_url Nullable(String)',
    'resource_dropped_attributes_count UInt32',
    'scope_attributes Nullable(String)',
    'scope_dropped_attributes_count UInt32',
    'scope_schema_url Nullable(String)',
    'value_types Nullable(String)',
    // 0 a running row from a start mark, 1 the finished span: FINAL keeps the highest
    'version UInt8',
    // when a collector stored the row (server clock): the rollup's last_seen_ns
    'ingest_ns Int64 DEFAULT toUnixTimestamp64Nano(now64(9))',
  ],
  indexes: ['INDEX start_ns_minmax start_ns TYPE minmax GRANULARITY 1'],
  engine: { family: 'ReplacingMergeTree', args: ['version'] },
  partitionBy: 'toDate(fromUnixTimestamp64Nano(start_ns))',
  orderBy: '(trace_id, span_id)',
  ttlTime: 'toDateTime(intDiv(start_ns, 1000000000))',
  settings: ['index_granularity = 1024'],
  shardBy: 'cityHash64(trace_id)',
};

export const EXECUTION_ROLLUP: TableDdl = {
  kind: 'table',
  name: 'execution_rollup',
  columns: [
    `trace_id String ${TEXT}`,
    // the least rank of every span and of the finished ones (rollup-sql.ts): the execution's start without the root's text
    `root_rank SimpleAggregateFunction(min, UInt256) ${TEXT}`,
    `finished_rank SimpleAggregateFunction(min, UInt256) ${TEXT}`,
    // the packed root candidate of least rank, and the finished one of least rank (its finished copy, when its running mark carried another start)
    `root AggregateFunction(argMin, String, UInt256) ${TEXT}`,
    `finished_root AggregateFunction(argMinIf, String, UInt256, UInt8) ${TEXT}`,
    // span ids as their 64 bits
    'span_ids AggregateFunction(uniqExact, UInt64)',
    'error_span_ids AggregateFunction(uniqExactIf, UInt64, UInt8)',
    // the message of the earliest failed span (by start, then span id), '' when it has none
    `first_error AggregateFunction(argMinIf, String, UInt128, UInt8) ${TEXT}`,
    'min_start_ns SimpleAggregateFunction(min, Int64)',
    'max_start_ns SimpleAggregateFunction(max, Int64)',
    // 0 while no span has ended
    'max_end_ns SimpleAggregateFunction(max, Int64)',
    'last_seen_ns SimpleAggregateFunction(max, Int64)',
  ],
  indexes: [],
  engine: { family: 'AggregatingMergeTree', args: [] },
  orderBy: 'trace_id',
  ttlTime: 'toDateTime(intDiv(last_seen_ns, 1000000000))',
  // Small granules: a page reads the rows of 50 random trace ids, each in its own granule.
  settings: ['index_granularity = 256'],
  shardBy: 'cityHash64(trace_id)',
};

export const EXECUTION_ROLLUP_VIEW: MaterializedViewDdl = {
  kind: 'materializedView',
  name: 'execution_rollup_mv',
  to: 'execution_rollup',
  from: 'span_data',
  select: [
    'trace_id',
    `min(${RANK_SQL}) AS root_rank`,
    `min(if(end_ns IS NULL, ${NO_RANK_SQL}, ${RANK_SQL})) AS finished_rank`,
    `argMinState(${PACKED_ROOT_SQL}, ${RANK_SQL}) AS root`,
    `argMinIfState(${PACKED_ROOT_SQL}, ${RANK_SQL}, toUInt8(end_ns IS NOT NULL)) AS finished_root`,
    `uniqExactState(${SPAN_ID_BITS_SQL}) AS span_ids`,
    `uniqExactIfState(${SPAN_ID_BITS_SQL}, ${IS_ERROR}) AS error_span_ids`,
    `argMinIfState(coalesce(exception_message, status_message, ''), ${ERROR_RANK_SQL}, ${IS_ERROR}) AS first_error`,
    'min(start_ns) AS min_start_ns',
    'max(start_ns) AS max_start_ns',
    'max(ifNull(end_ns, 0)) AS max_end_ns',
    'max(ingest_ns) AS last_seen_ns',
  ].join(',\n  '),
  groupBy: 'trace_id',
};

export const SPAN_TABLES = [SPAN_DATA, EXECUTION_ROLLUP, EXECUTION_ROLLUP_VIEW] as const;
