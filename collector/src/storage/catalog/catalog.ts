/**
 * The catalog on DuckDB (the contract's CatalogReads): what there is to filter on — the
 * services that sent spans, and the attribute keys of the most recent spans with their
 * frequent values.
 */
import type { AttributeKeyRecord, CatalogReads, ServiceRecord } from '../contract.js';
import type { ConnectionPool } from '../connection-pool.js';
import { SMALL_SPAN_ATTRIBUTES } from '../span-model/attribute-sql.js';

/** Span counts and last span time per service, of finished spans and running ones (count 0). */
const SERVICES_SQL = `
SELECT service_name, count(*) AS span_count, max(end_ns) AS last_ns FROM span_data GROUP BY service_name
UNION ALL
SELECT service_name, 0, max(start_ns) FROM span_starts GROUP BY service_name`;

/** The keys of the newest $n spans' attributes (short values only as examples). */
const ATTRIBUTE_KEYS_SQL = `
WITH recent AS (
  SELECT ${SMALL_SPAN_ATTRIBUTES} AS attributes FROM span_data WHERE rowid > (SELECT coalesce(max(rowid), 0) FROM span_data) - $n
), pairs AS (
  SELECT k AS key, json_extract_string(attributes, '$."' || replace(k, '"', '\\"') || '"') AS value
  FROM (SELECT attributes, unnest(json_keys(attributes)) AS k FROM recent)
), counted AS (
  SELECT key, value, count(*) AS n FROM pairs GROUP BY key, value
)
SELECT key, sum(n) AS count,
       list(value ORDER BY n DESC) FILTER (WHERE length(value) <= 80) AS values
FROM counted GROUP BY key ORDER BY count DESC, key LIMIT 500`;

export class DuckDbCatalog implements CatalogReads {
  constructor(private readonly pool: ConnectionPool) {}

  /** Services seen, by name, with span counts and the last time each sent a span. */
  async services(): Promise<ServiceRecord[]> {
    const merged = new Map<string, ServiceRecord>();
    for (const r of await this.pool.rows(SERVICES_SQL)) {
      const name = String(r.service_name);
      const last = r.last_ns == null ? null : BigInt(r.last_ns as bigint);
      const prev = merged.get(name) ?? { serviceName: name, spanCount: 0, lastSeenNs: null };
      prev.spanCount += Number(r.span_count);
      if (last !== null && (prev.lastSeenNs === null || last > prev.lastSeenNs)) prev.lastSeenNs = last;
      merged.set(name, prev);
    }
    return [...merged.values()].sort((a, b) => a.serviceName.localeCompare(b.serviceName));
  }

  /** Attribute keys of the most recent spans, with counts and frequent values. */
  async attributeKeys(sampleSize = 20_000): Promise<AttributeKeyRecord[]> {
    const rows = await this.pool.rows(ATTRIBUTE_KEYS_SQL, { n: sampleSize });
    return rows.map((r) => ({
      key: String(r.key),
      count: Number(r.count),
      topValues: Array.isArray(r.values) ? (r.values as unknown[]).slice(0, 10).map(String) : [],
    }));
  }
}
