/**
 * SQL that renders a trace's outline inside DuckDB: per span only what a waterfall draws,
 * as one JSON array (a tuple) per span. One text crosses into JavaScript, as for the full
 * trace (span-json-sql.ts).
 *
 * Every byte of it is paid four times before a 100,000-span trace paints (rendered here,
 * sent, decoded and parsed in the page), so tuples are kept small where that costs nothing
 * here: kind, status and status code are indexes into fixed lists (OUTLINE_CODES), and times
 * are whole microseconds (what the viewer resolves; exact nanoseconds are in a span's details)
 * as a start after the base and a duration. 100,000 spans: 14.9 MB → 11.5 MB, same SQL time.
 *
 * Measured at 100,000 spans (2 cores, shared; ~110–200 ms alone, two to four times that
 * beside a browser opening the page, so SQL time counts as much as parse time there):
 * - tuples cost one sort; one array per field costs one sort per field, ~650 ms (parsed ~90 ms faster);
 * - the parent as the index of its tuple (a window and a join) cost +70 ms for −1.7 MB;
 * - services and node ids, names and types as indexes into a list of distinct texts cost
 *   +100–200 ms (four joins, or a window sort per field) for −2.5 MB; V8 shares short repeated
 *   strings when parsing, so the page gained little;
 * - concat() of to_json texts was no faster than json_array, printf() +50 %; rows instead of one
 *   string cost +200 ms (a JavaScript value per row); the ordered string_agg split into 8–128
 *   groups to sort in parallel, or without ORDER BY, saved nothing that measured.
 */
import { NODE_STATUSES, SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '@flowtrace/instrumentation/conventions';
import { spanStatusSql, sqlStatusList } from '../span-status-sql.js';

/** The fields of each outline tuple, in order (the API's TraceOutline `fields`; the route checks them against its type). */
export const OUTLINE_FIELDS = [
  'spanId', 'parentSpanId', 'name', 'serviceName', 'kind', 'status', 'statusCode', 'statusMessage',
  'nodeId', 'nodeName', 'nodeType', 'nodeIndex', 'startUs', 'durationUs',
] as const;

/**
 * The coded fields and their lists (the API's TraceOutline `codes`): a tuple holds the index
 * of its value. Kinds and status codes are in OTel's order (an index is OTel's number).
 */
export const OUTLINE_CODES = {
  kind: SPAN_KIND_NAMES,
  status: NODE_STATUSES,
  statusCode: STATUS_CODE_NAMES,
} as const;

const STATUSES = OUTLINE_CODES.status;
const statusIndex = (s: (typeof STATUSES)[number]): number => STATUSES.indexOf(s);
/**
 * The status of a span_data row as its index: flow.*.status wins over the OTel status (as
 * span-json-sql.ts FINISHED_STATUS). The rule is evaluated once; a CASE over it would repeat it
 * in each WHEN (span-status-sql.ts IN_PLANNED_AS_JOIN).
 */
const FINISHED_STATUS_INDEX = `list_position(${sqlStatusList(STATUSES)}, ${spanStatusSql()}) - 1`;
/** OTel's kind number, unknown ones as unspecified (as span-json-sql.ts KIND). */
const KIND_INDEX = `CASE WHEN kind BETWEEN 1 AND 5 THEN kind ELSE 0 END`;
/** OTel's status code, unknown ones as unset (as span-json-sql.ts STATUS_CODE). */
const STATUS_CODE_INDEX = `CASE WHEN status_code IN (1, 2) THEN status_code ELSE 0 END`;

/**
 * The tuple of one span as JSON text, in the order of OUTLINE_FIELDS. json_array renders and
 * escapes the whole row in one call: ~25 % faster than concatenating to_json of each text.
 * Microseconds are cut from the epoch (start_ns // 1000), so base + start + duration is the
 * epoch microsecond of the start and of the end exactly.
 */
const TUPLE = `CAST(json_array(span_id, parent_span_id, name, service_name, kind, status, status_code, status_message,
  node_id, node_name, node_type, node_index, start_ns // 1000 - base.ns // 1000, end_ns // 1000 - start_ns // 1000) AS VARCHAR)`;

/**
 * The outline of one trace, one row: base_ns (the earliest start, which the tuples' times
 * count from), span_count, orphan_count (spans whose parent is not in the trace, the root
 * excepted) and spans_json (the tuples joined by commas, in start order). Finished spans and
 * running ones (start marks) alike. Params: $trace_id, $lo, $hi (the execution's start_ns
 * range), $root_span_id.
 */
export const TRACE_OUTLINE_SQL = `
WITH s AS MATERIALIZED (
  SELECT span_id, parent_span_id, name, service_name, ${KIND_INDEX} AS kind, start_ns, end_ns,
         ${FINISHED_STATUS_INDEX} AS status, ${STATUS_CODE_INDEX} AS status_code, status_message,
         node_id, node_name, node_type, node_index
  FROM span_data
  WHERE start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id
  UNION ALL
  SELECT span_id, parent_span_id, name, service_name, ${KIND_INDEX}, start_ns, NULL,
         ${statusIndex('running')}, 0, NULL, node_id, node_name, node_type, node_index
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
