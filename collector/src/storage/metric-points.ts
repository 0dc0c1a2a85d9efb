/**
 * The write side of metric data points (schema/012_metrics.sql): how the writer appends a
 * MetricRow, and how a group commit keeps a point sent twice once. A point is
 * identified by its stream (service, resource, scope, metric name and type, point attributes)
 * and its start and end times; a retried export repeats all of them exactly.
 */
import { LIST, listValue, VARCHAR, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { MetricRow } from './metric-rows.js';

function varcharOrNull(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}

function doubleOrNull(appender: DuckDBAppender, value: number | null): void {
  if (value === null) appender.appendNull();
  else appender.appendDouble(value);
}

/** One row of metric_data, in the table's column order. */
export function appendMetricPoint(appender: DuckDBAppender, row: MetricRow): void {
  appender.appendVarchar(row.serviceName);
  appender.appendVarchar(row.resourceAttributes);
  varcharOrNull(appender, row.scopeName);
  varcharOrNull(appender, row.scopeVersion);
  appender.appendVarchar(row.scopeAttributes);
  appender.appendVarchar(row.name);
  varcharOrNull(appender, row.description);
  varcharOrNull(appender, row.unit);
  appender.appendUTinyInt(row.type);
  appender.appendUTinyInt(row.temporality);
  if (row.isMonotonic === null) appender.appendNull();
  else appender.appendBoolean(row.isMonotonic);
  appender.appendVarchar(row.attributes);
  if (row.startTimeUnixNano === null) appender.appendNull();
  else appender.appendBigInt(row.startTimeUnixNano);
  appender.appendBigInt(row.timeUnixNano);
  doubleOrNull(appender, row.value);
  if (row.intValue === null) appender.appendNull();
  else appender.appendBigInt(row.intValue);
  if (row.count === null) appender.appendNull();
  else appender.appendUBigInt(row.count);
  doubleOrNull(appender, row.sum);
  doubleOrNull(appender, row.min);
  doubleOrNull(appender, row.max);
  varcharOrNull(appender, row.buckets);
  appender.appendVarchar(row.exemplars);
  appender.appendUInteger(row.flags);
  appender.endRow();
}

/**
 * Stored points that may equal the group's: inside the group's time_ns range (zone maps skip
 * the rest of the history) and of the group's metric names. Params: $lo, $hi, $names.
 */
const FIND_STORED_POINTS = `
SELECT service_name, resource_attributes, scope_name, scope_version, scope_attributes, name, type,
       attributes, start_ns, time_ns
FROM metric_data
WHERE time_ns BETWEEN $lo AND $hi AND list_contains($names, name)`;

function pointKey(
  service: string, resource: string, scopeName: string | null, scopeVersion: string | null, scopeAttributes: string,
  name: string, type: number, attributes: string, start: bigint | null, time: bigint,
): string {
  return [service, resource, scopeName ?? '', scopeVersion ?? '', scopeAttributes, name, type, attributes, start ?? '', time].join('\u0000');
}

const NAMES = LIST(VARCHAR);

/** The group's points not stored yet, each once (a retried export repeats them exactly). */
export async function newMetricPoints(connection: DuckDBConnection, points: MetricRow[]): Promise<MetricRow[]> {
  if (points.length === 0) return points;
  let lo = points[0].timeUnixNano;
  let hi = lo;
  const names = new Set<string>();
  for (const p of points) {
    if (p.timeUnixNano < lo) lo = p.timeUnixNano;
    if (p.timeUnixNano > hi) hi = p.timeUnixNano;
    names.add(p.name);
  }
  const params = { lo, hi, names: listValue([...names]) };
  const found = (await connection.runAndReadAll(FIND_STORED_POINTS, params, { names: NAMES })).getRowObjectsJS();
  const seen = new Set<string>();
  for (const r of found) {
    seen.add(pointKey(
      String(r.service_name), String(r.resource_attributes), r.scope_name as string | null, r.scope_version as string | null,
      String(r.scope_attributes), String(r.name), Number(r.type), String(r.attributes),
      r.start_ns === null ? null : BigInt(r.start_ns as bigint), BigInt(r.time_ns as bigint),
    ));
  }
  return points.filter((p) => {
    const key = pointKey(p.serviceName, p.resourceAttributes, p.scopeName, p.scopeVersion, p.scopeAttributes, p.name, p.type,
      p.attributes, p.startTimeUnixNano, p.timeUnixNano);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
