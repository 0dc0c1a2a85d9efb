/**
 * SQL that renders a trace's outline inside DuckDB: per span only what a waterfall draws,
 * as one JSON array (a tuple) per span with times in nanoseconds after the trace's first
 * start. One text crosses into JavaScript, as for the full trace (span-json-sql.ts); a
 * 100,000-span outline is a few MB where the full trace is tens.
 *
 * Measured at 100,000 spans (2 cores, shared): tuples cost one sort, ~350 ms; one array per
 * field costs one sort per field, ~650 ms (parsed ~90 ms faster); coding names and services
 * as indexes into a list of distinct texts cost ~200 ms more (six joins) and saved no parse time.
 */
import { FINISHED_STATUS, KIND, STATUS_CODE } from './span-json-sql.js';

/** The fields of each outline tuple, in order (the API's TraceOutline `fields`). */
export const OUTLINE_FIELDS = [
  'spanId', 'parentSpanId', 'name', 'serviceName', 'kind', 'status', 'statusCode', 'statusMessage',
  'nodeId', 'nodeName', 'nodeType', 'nodeIndex', 'startNs', 'endNs',
] as const;

/**
 * The tuple of one span as JSON text, in the order of OUTLINE_FIELDS. json_array renders and
 * escapes the whole row in one call: ~25 % faster than concatenating to_json of each text.
 */
const TUPLE = `CAST(json_array(span_id, parent_span_id, name, service_name, kind, status, status_code, status_message,
  node_id, node_name, node_type, node_index, start_ns - base.ns, end_ns - base.ns) AS VARCHAR)`;

/**
 * The outline of one trace, one row: base_ns (the earliest start, which the tuples' times
 * count from), span_count, orphan_count (spans whose parent is not in the trace, the root
 * excepted) and spans_json (the tuples joined by commas, in start order). Finished spans and
 * running ones (start marks) alike. Params: $trace_id, $lo, $hi (the execution's start_ns
 * range), $root_span_id.
 */
export const TRACE_OUTLINE_SQL = `
WITH s AS MATERIALIZED (
  SELECT span_id, parent_span_id, name, service_name, ${KIND('kind')} AS kind, start_ns, end_ns,
         ${FINISHED_STATUS} AS status, ${STATUS_CODE} AS status_code, status_message,
         node_id, node_name, node_type, node_index
  FROM span_data
  WHERE start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id
  UNION ALL
  SELECT span_id, parent_span_id, name, service_name, ${KIND('kind')}, start_ns, NULL,
         'running', 'unset', NULL, node_id, node_name, node_type, node_index
  FROM span_starts
  WHERE trace_id = $trace_id
),
base AS (SELECT coalesce(min(start_ns), 0) AS ns FROM s)
SELECT (SELECT ns FROM base) AS base_ns,
       count(*) AS span_count,
       count(*) FILTER (WHERE parent_span_id IS NOT NULL AND span_id <> $root_span_id
                          AND parent_span_id NOT IN (SELECT span_id FROM s)) AS orphan_count,
       coalesce(string_agg(${TUPLE}, ',' ORDER BY start_ns, span_id), '') AS spans_json
FROM s CROSS JOIN base`;
