/**
 * SQL that renders a trace's spans as the API's Span JSON (collector/src/api/wire-types.ts)
 * inside DuckDB. Converting 100,000 rows of 35 columns into JavaScript values costs seconds;
 * building the JSON text in DuckDB and sending it as it is costs a fraction of that, which
 * is what keeps huge traces openable. A test holds this rendering equal to query/to-wire.ts.
 */

import { SPAN_ATTRIBUTES, startAttributesSql } from './span-model/attribute-sql.js';
import { spanStatusSql } from './span-status-sql.js';

const ISO = `'%Y-%m-%dT%H:%M:%S.%gZ'`;
const iso = (ns: string): string => `strftime(make_timestamp_ns(${ns}), ${ISO})`;
/** The OTel span kind's name, lower case, of a kind column. */
export const KIND = (column: string): string =>
  `CASE ${column} WHEN 1 THEN 'internal' WHEN 2 THEN 'server' WHEN 3 THEN 'client' WHEN 4 THEN 'producer' WHEN 5 THEN 'consumer' ELSE 'unspecified' END`;
/** The status a finished span shows (a span_data row): the schema's span_status rule (span-status-sql.ts). */
export const FINISHED_STATUS = spanStatusSql();
/** The OTel status code's name of a span_data row. */
export const STATUS_CODE = `CASE status_code WHEN 1 THEN 'ok' WHEN 2 THEN 'error' ELSE 'unset' END`;
const EVENTS = `CASE WHEN events = '[]' THEN '[]'::JSON ELSE to_json(list_transform(
    json_transform(CAST(events AS JSON), '[{"name":"VARCHAR","timeUnixNano":"VARCHAR","attributes":"JSON"}]'),
    x -> json_object('name', x.name, 'time', ${iso('x.timeUnixNano::BIGINT')}, 'timeUnixNano', x.timeUnixNano,
                     'attributes', coalesce(x.attributes, '{}'::JSON)))) END`;
const LINKS = `CASE WHEN links = '[]' THEN '[]'::JSON ELSE to_json(list_transform(
    json_transform(CAST(links AS JSON), '[{"traceId":"VARCHAR","spanId":"VARCHAR","traceState":"VARCHAR","attributes":"JSON"}]'),
    x -> json_object('traceId', x.traceId, 'spanId', x.spanId, 'traceState', x.traceState,
                     'attributes', coalesce(x.attributes, '{}'::JSON)))) END`;

/** A nullable text column as a JSON value: a quoted, escaped string or null. */
const str = (column: string): string => `coalesce(CAST(to_json(${column}) AS VARCHAR), 'null')`;
/** A timestamp in nanoseconds as a quoted ISO text. */
const isoStr = (ns: string): string => `'"' || ${iso(ns)} || '"'`;

/**
 * Span JSON built by concatenating text. The stored attribute, resource and event columns are
 * already compact JSON written by ingest, so they are spliced in as they are: handing them to
 * json_object would parse every captured payload again, which cost 10× the rest (15 ms for
 * 15 spans with 2–4 KiB payloads).
 */
function spanJson(c: {
  attributes: string; end: string; durationMs: string; status: string; statusCode: string; statusMessage: string; traceState: string;
  events: string; links: string; dropped: [string, string, string];
}): string {
  return `'{"traceId":' || to_json(trace_id) || ',"spanId":' || to_json(span_id)
  || ',"parentSpanId":' || ${str('parent_span_id')} || ',"name":' || to_json(name)
  || ',"serviceName":' || to_json(service_name) || ',"kind":"' || ${KIND('kind')} || '"'
  || ',"startTime":' || ${isoStr('start_ns')} || ',"startTimeUnixNano":"' || CAST(start_ns AS VARCHAR) || '"'
  || ',"endTime":' || ${c.end === 'NULL' ? `'null'` : isoStr(c.end)} || ',"endTimeUnixNano":' || ${c.end === 'NULL' ? `'null'` : `'"' || CAST(${c.end} AS VARCHAR) || '"'`}
  || ',"durationMs":' || ${c.durationMs} || ',"status":"' || ${c.status} || '","statusCode":"' || ${c.statusCode} || '"'
  || ',"statusMessage":' || ${c.statusMessage} || ',"attributes":' || ${c.attributes}
  || ',"resourceAttributes":' || resource_attributes
  || ',"scopeName":' || ${str('scope_name')} || ',"scopeVersion":' || ${str('scope_version')} || ',"traceState":' || ${c.traceState}
  || ',"events":' || ${c.events} || ',"links":' || ${c.links}
  || ',"droppedAttributesCount":' || ${c.dropped[0]} || ',"droppedEventsCount":' || ${c.dropped[1]}
  || ',"droppedLinksCount":' || ${c.dropped[2]} || '}'`;
}

/** Finished spans of one trace as Span JSON text. Params: $trace_id, $lo, $hi. */
export const FINISHED_SPAN_JSON = `
SELECT span_id, parent_span_id, start_ns, ${spanJson({
  attributes: SPAN_ATTRIBUTES,
  end: 'end_ns',
  durationMs: `CAST(to_json((end_ns - start_ns) / 1e6) AS VARCHAR)`,
  status: FINISHED_STATUS,
  statusCode: STATUS_CODE,
  statusMessage: str('status_message'),
  traceState: str('trace_state'),
  events: `CAST(${EVENTS} AS VARCHAR)`,
  links: `CAST(${LINKS} AS VARCHAR)`,
  dropped: ['CAST(dropped_attributes_count AS VARCHAR)', 'CAST(dropped_events_count AS VARCHAR)', 'CAST(dropped_links_count AS VARCHAR)'],
})} AS json
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
SELECT span_id, parent_span_id, start_ns, ${spanJson({
  attributes: startAttributesSql(),
  end: 'NULL', durationMs: `'null'`, status: `'running'`, statusCode: `'unset'`, statusMessage: `'null'`, traceState: `'null'`,
  events: `'[]'`, links: `'[]'`, dropped: ['0', '0', '0'],
})} AS json
FROM span_starts
WHERE trace_id = $trace_id`;
