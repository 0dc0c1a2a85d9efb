/**
 * SQL that renders a trace's spans as the API's Span JSON (collector/src/api/wire-types.ts)
 * inside DuckDB. Converting 100,000 rows of 35 columns into JavaScript values costs seconds;
 * building the JSON text in DuckDB and sending it as it is costs a fraction of that, which
 * is what keeps huge traces openable. A test holds this rendering equal to query/to-wire.ts.
 */

const ISO = `'%Y-%m-%dT%H:%M:%S.%gZ'`;
const iso = (ns: string): string => `strftime(make_timestamp_ns(${ns}), ${ISO})`;
const KIND = (column: string): string =>
  `CASE ${column} WHEN 1 THEN 'internal' WHEN 2 THEN 'server' WHEN 3 THEN 'client' WHEN 4 THEN 'producer' WHEN 5 THEN 'consumer' ELSE 'unspecified' END`;
const NODE_STATUSES = `('running', 'success', 'error', 'cancelled', 'timed_out', 'skipped', 'abandoned')`;
const EVENTS = `CASE WHEN events = '[]' THEN '[]'::JSON ELSE to_json(list_transform(
    json_transform(CAST(events AS JSON), '[{"name":"VARCHAR","timeUnixNano":"VARCHAR","attributes":"JSON"}]'),
    x -> json_object('name', x.name, 'time', ${iso('x.timeUnixNano::BIGINT')}, 'timeUnixNano', x.timeUnixNano,
                     'attributes', coalesce(x.attributes, '{}'::JSON)))) END`;
const LINKS = `CASE WHEN links = '[]' THEN '[]'::JSON ELSE to_json(list_transform(
    json_transform(CAST(links AS JSON), '[{"traceId":"VARCHAR","spanId":"VARCHAR","traceState":"VARCHAR","attributes":"JSON"}]'),
    x -> json_object('traceId', x.traceId, 'spanId', x.spanId, 'traceState', x.traceState,
                     'attributes', coalesce(x.attributes, '{}'::JSON)))) END`;

/** Finished spans of one trace as Span JSON text. Params: $trace_id, $lo, $hi. */
export const FINISHED_SPAN_JSON = `
SELECT span_id, parent_span_id, start_ns, CAST(json_object(
  'traceId', trace_id, 'spanId', span_id, 'parentSpanId', parent_span_id, 'name', name,
  'serviceName', service_name, 'kind', ${KIND('kind')},
  'startTime', ${iso('start_ns')}, 'startTimeUnixNano', CAST(start_ns AS VARCHAR),
  'endTime', ${iso('end_ns')}, 'endTimeUnixNano', CAST(end_ns AS VARCHAR),
  'durationMs', (end_ns - start_ns) / 1e6,
  'status', CASE WHEN flow_status IN ${NODE_STATUSES} THEN flow_status WHEN status_code = 2 THEN 'error' ELSE 'success' END,
  'statusCode', CASE status_code WHEN 1 THEN 'ok' WHEN 2 THEN 'error' ELSE 'unset' END,
  'statusMessage', status_message, 'attributes', CAST(attributes AS JSON),
  'resourceAttributes', CAST(resource_attributes AS JSON),
  'scopeName', scope_name, 'scopeVersion', scope_version, 'traceState', trace_state,
  'events', ${EVENTS}, 'links', ${LINKS},
  'droppedAttributesCount', dropped_attributes_count, 'droppedEventsCount', dropped_events_count,
  'droppedLinksCount', dropped_links_count) AS VARCHAR) AS json
FROM span_data
WHERE start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id`;

/**
 * All spans of one trace, in start order: their ids and parents as lists, and their Span
 * JSON joined into one text (one string crosses into JavaScript instead of 100,000).
 * Params: $trace_id, $lo, $hi.
 */
export const TRACE_SPANS_JSON = () => `
WITH s AS (${FINISHED_SPAN_JSON} UNION ALL ${RUNNING_SPAN_JSON})
SELECT list(span_id ORDER BY start_ns, span_id) AS span_ids,
       list(parent_span_id ORDER BY start_ns, span_id) AS parent_span_ids,
       coalesce(string_agg(json, ',' ORDER BY start_ns, span_id), '') AS spans_json
FROM s`;

/** Running spans of one trace as Span JSON text. Params: $trace_id. */
export const RUNNING_SPAN_JSON = `
SELECT span_id, parent_span_id, start_ns, CAST(json_object(
  'traceId', trace_id, 'spanId', span_id, 'parentSpanId', parent_span_id, 'name', name,
  'serviceName', service_name, 'kind', ${KIND('kind')},
  'startTime', ${iso('start_ns')}, 'startTimeUnixNano', CAST(start_ns AS VARCHAR),
  'endTime', NULL, 'endTimeUnixNano', NULL, 'durationMs', NULL, 'status', 'running', 'statusCode', 'unset',
  'statusMessage', NULL, 'attributes', CAST(attributes AS JSON), 'resourceAttributes', CAST(resource_attributes AS JSON),
  'scopeName', scope_name, 'scopeVersion', scope_version, 'traceState', NULL,
  'events', '[]'::JSON, 'links', '[]'::JSON,
  'droppedAttributesCount', 0, 'droppedEventsCount', 0, 'droppedLinksCount', 0) AS VARCHAR) AS json
FROM span_starts
WHERE trace_id = $trace_id`;
