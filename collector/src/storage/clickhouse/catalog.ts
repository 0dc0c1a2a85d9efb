/**
 * The catalog on ClickHouse (the contract's CatalogReads): the services that sent spans, and the
 * attribute keys of the most recent spans with their frequent short values. "Recent" is the
 * newest spans by ingest time (the server's clock), running marks included.
 */
import type { AttributeKeyRecord, CatalogReads, ServiceRecord } from '../contract.js';
import type { ClickHouseConnection } from './connection.js';
import type { Tables } from './tables.js';

export class ClickHouseCatalog implements CatalogReads {
  constructor(private readonly conn: ClickHouseConnection, private readonly t: Tables) {}

  /** Services by name, with finished span counts and the last time each sent a span. */
  async services(): Promise<ServiceRecord[]> {
    const rows = await this.conn.query(
      `SELECT service_name, countIf(end_ns IS NOT NULL) AS span_count, max(coalesce(end_ns, start_ns)) AS last_ns
       FROM ${this.t.spans} FINAL GROUP BY service_name ORDER BY service_name`,
    );
    return rows.map((r) => ({
      serviceName: String(r.service_name),
      spanCount: Number(r.span_count),
      lastSeenNs: r.last_ns == null ? null : BigInt(r.last_ns as string),
    })).sort((a, b) => a.serviceName.localeCompare(b.serviceName));
  }

  /** Attribute keys of the newest `sampleSize` spans, with counts and up to 10 frequent values of at most 80 characters. */
  async attributeKeys(sampleSize = 20_000): Promise<AttributeKeyRecord[]> {
    const rows = await this.conn.query(
      `WITH recent AS (SELECT attributes FROM ${this.t.spans} ORDER BY ingest_ns DESC LIMIT {n:UInt32}),
       pairs AS (
         SELECT kv.1 AS key, if(JSONType(kv.2) = 'String', JSONExtractString(kv.2), kv.2) AS value
         FROM recent ARRAY JOIN JSONExtractKeysAndValuesRaw(attributes) AS kv
       ),
       counted AS (SELECT key, value, count() AS n FROM pairs GROUP BY key, value)
       SELECT key, sum(n) AS count, arrayMap(x -> x.2, arraySort(x -> -x.1, groupArrayIf((n, value), length(value) <= 80))) AS values
       FROM counted GROUP BY key ORDER BY count DESC, key LIMIT 500`,
      { n: Math.max(1, Math.trunc(sampleSize)) },
    );
    return rows.map((r) => ({ key: String(r.key), count: Number(r.count), topValues: (r.values as unknown[]).slice(0, 10).map(String) }));
  }
}
