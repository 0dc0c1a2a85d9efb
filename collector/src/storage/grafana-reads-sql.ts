/**
 * The fixed SQL of grafana-reads.ts. Every value is a bound parameter; the texts vary only with
 * a column picked from a closed list and the attributes macro of moved-attributes.ts.
 */

/** Parents are looked for from an hour before the children's range (and a minute after, for clock skew). */
const PARENT_BEFORE_NS = 3_600_000_000_000n;
const PARENT_AFTER_NS = 60_000_000_000n;

/** The newest SAMPLE rows (by rowid, which follows arrival) inside a span start window. */
const SAMPLE_WHERE = `rowid > (SELECT coalesce(max(rowid), 0) FROM span_data) - $n AND start_ns BETWEEN $from_ns AND $to_ns`;

const COLUMNS = { name: 'name', service: 'service_name', statusMessage: 'status_message' } as const;

export const GRAFANA_SQL = {
  operations: `SELECT name, kind FROM span_data WHERE service_name = $service GROUP BY name, kind ORDER BY name, kind`,
  operationsOfKind: `SELECT name, kind FROM span_data WHERE service_name = $service AND kind = $kind GROUP BY name, kind ORDER BY name`,

  dependencies: `
SELECT p.service_name AS parent, c.service_name AS child, count(*) AS call_count
FROM span_data c
JOIN span_data p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
WHERE c.start_ns BETWEEN $from_ns AND $to_ns
  AND p.start_ns BETWEEN $from_ns - ${PARENT_BEFORE_NS} AND $to_ns + ${PARENT_AFTER_NS}
  AND p.service_name <> c.service_name
GROUP BY p.service_name, c.service_name
ORDER BY parent, child`,

  // The traces' spans, read inside the start range their execution rows give (zone maps skip
  // the rest of span_data). $ids: trace ids joined by commas (hex, from a search).
  spansOfTraces: `
WITH wanted AS (
  SELECT trace_id, min_start_ns, max_start_ns FROM execution_data
  WHERE trace_id IN (SELECT unnest(string_split($ids, ',')))
)
SELECT * FROM span_data
WHERE start_ns BETWEEN (SELECT min(min_start_ns) FROM wanted) AND (SELECT max(max_start_ns) FROM wanted)
  AND trace_id IN (SELECT trace_id FROM wanted)
ORDER BY trace_id, start_ns, span_id`,

  /** Keys of the sampled spans' attributes (`attributesSql`: the macro call that rebuilds them). */
  spanKeys: (attributesSql: string) => `
SELECT DISTINCT unnest(json_keys(a)) AS key
FROM (SELECT ${attributesSql} AS a FROM span_data WHERE ${SAMPLE_WHERE})
ORDER BY key`,

  // Resources repeat: their distinct texts are few, so keys are read from those.
  resourceKeys: `
SELECT DISTINCT unnest(json_keys(a)) AS key
FROM (SELECT DISTINCT resource_attributes AS a FROM span_data WHERE ${SAMPLE_WHERE})
ORDER BY key`,

  spanValues: (attributesSql: string) => valuesOf(`SELECT ${attributesSql} AS a FROM span_data WHERE ${SAMPLE_WHERE}`),
  resourceValues: valuesOf(`SELECT DISTINCT resource_attributes AS a FROM span_data WHERE ${SAMPLE_WHERE}`),

  columnValues: (column: keyof typeof COLUMNS) => `
SELECT DISTINCT ${COLUMNS[column]} AS value FROM span_data
WHERE ${SAMPLE_WHERE} AND ${COLUMNS[column]} IS NOT NULL AND ${COLUMNS[column]} <> ''
ORDER BY value LIMIT $max_values`,
};

/** Distinct scalar values (with json_type) of the attribute at $path in the JSON texts `a` of a subquery. */
function valuesOf(source: string): string {
  return `
SELECT value, json_type FROM (
  SELECT json_extract_string(a, $path) AS value, json_type(a, $path) AS json_type
  FROM (${source})
  WHERE json_exists(a, $path)
)
WHERE json_type IN ('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN')
GROUP BY value, json_type
ORDER BY count(*) DESC, value
LIMIT $max_values`;
}
