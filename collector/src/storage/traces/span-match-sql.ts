/**
 * Which spans of one trace hold a text in their attribute values (span and resource
 * attributes, payloads, events) or carry attribute key = value: what the trace view's search
 * and span filters ask of what its outline lacks. A pure function with golden tests; user text
 * travels only as bound parameters. Finished spans are read inside the trace's start range
 * (zone maps prune the rest of span_data); running ones from span_starts.
 */
import { jsonPathForKey } from '../executions/execution-sql.js';
import { LARGE_ATTRIBUTES } from '../span-model/attribute-sql.js';
import { renderSpanCondition, type SpanCondition } from '../span-search-sql.js';

export interface SpanMatch {
  /** Case-insensitive text in attribute values. */
  text?: string;
  /** Every pair must hold, on the span's attributes or its resource's. */
  attributes?: Array<{ key: string; value: string }>;
}

export interface BuiltSpanMatch {
  sql: string;
  params: Record<string, string | number | bigint | boolean>;
}

/** Params besides the condition's: $trace_id, $lo, $hi (the execution's span start range). */
export function buildSpanMatchQuery(match: SpanMatch): BuiltSpanMatch {
  const params: BuiltSpanMatch['params'] = {};
  const finished: string[] = [];
  const running: string[] = [];
  if (match.text !== undefined && match.text !== '') {
    params.text = match.text.toLowerCase();
    const has = (column: string) => `contains(lower(${column}), $text)`;
    // Hot attributes ingest moved to columns (moved-attributes.ts) are searched there.
    const common = [has('attributes'), has('resource_attributes'), has(`concat_ws(' ', flow_id, user_id, trigger_type, node_id, node_name, node_type)`)];
    finished.push(`(${[...common, has(`coalesce(${LARGE_ATTRIBUTES}, '')`), has('events')].join(' OR ')})`);
    running.push(`(${common.join(' OR ')})`);
  }
  if (match.attributes && match.attributes.length > 0) {
    const condition: SpanCondition = { and: match.attributes.map(({ key, value }) => ({ field: { attribute: key, scope: 'any' as const }, op: '=' as const, value })) };
    const rendered = renderSpanCondition(condition);
    Object.assign(params, rendered.params);
    finished.push(rendered.sql);
    // Running spans have no large attributes or moved columns: their attributes JSON holds all.
    running.push(`(${match.attributes.map((_, i) => `(json_extract_string(attributes, $r_path${i}) = $r_value${i} OR json_extract_string(resource_attributes, $r_path${i}) = $r_value${i})`).join(' AND ')})`);
    match.attributes.forEach(({ key, value }, i) => {
      params[`r_path${i}`] = jsonPathForKey(key);
      params[`r_value${i}`] = value;
    });
  }
  const where = (parts: string[]) => (parts.length === 0 ? '' : ` AND ${parts.join(' AND ')}`);
  const sql = `SELECT span_id FROM span_data WHERE start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id${where(finished)}
UNION
SELECT span_id FROM span_starts WHERE trace_id = $trace_id${where(running)}
ORDER BY span_id`;
  return { sql, params };
}
