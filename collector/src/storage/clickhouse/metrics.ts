/**
 * The Metrics page's reads on ClickHouse: the engine-neutral MetricReads (../metric-reads.ts)
 * over the four queries in ClickHouse's dialect (metrics-sql.ts), so a chart means the same on
 * both engines. ClickHouse takes 64-bit parameters as decimal text.
 */
import type { MetricQuery, MetricQueryName } from '../metric-reads.js';
import type { ClickHouseConnection } from './connection.js';
import { metricBucketsSql, metricExemplarsSql, metricInfoSql, metricListSql } from './metrics-sql.js';
import type { Tables } from './tables.js';

/** The metric reads' queries on ClickHouse. */
export function clickHouseMetricQuery(conn: ClickHouseConnection, t: Tables): MetricQuery {
  const sql: Record<MetricQueryName, string> = {
    list: metricListSql(t), info: metricInfoSql(t), buckets: metricBucketsSql(t), exemplars: metricExemplarsSql(t),
  };
  return (which, params) => conn.query(sql[which], Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v])));
}
