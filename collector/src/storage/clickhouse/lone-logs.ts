/**
 * Console lines that belong to no span (the "why" views' logs page), newest first: span_id ''
 * in a time range, at or above a severity, optionally holding a text (case-insensitive). A
 * scan of log_data's time range; user text is a query parameter.
 */
import type { LoneLogQuery } from '../contract.js';
import type { LogRecord } from '../records.js';
import type { ClickHouseConnection, Params } from './connection.js';
import { logRecordOf } from './span-rows.js';
import type { Tables } from './tables.js';

/** Lines with no span in a time range, newest first; one more than `limit` tells that more follow. */
export async function loneLogs(conn: ClickHouseConnection, t: Tables, q: LoneLogQuery): Promise<LogRecord[]> {
  const text = q.text?.trim() ?? '';
  const params: Params = {
    from_ns: q.fromNs.toString(), to_ns: q.toNs.toString(), min_severity: q.minSeverity ?? 0, limit: Math.max(1, Math.trunc(q.limit) + 1),
  };
  if (text !== '') params.text = text;
  const rows = await conn.query(
    `SELECT * FROM ${t.logs} FINAL
     WHERE span_id = '' AND time_ns BETWEEN {from_ns:Int64} AND {to_ns:Int64} AND severity_number >= {min_severity:UInt8}
     ${text !== '' ? 'AND positionCaseInsensitiveUTF8(body, {text:String}) > 0' : ''}
     ORDER BY time_ns DESC LIMIT {limit:UInt32}`,
    params,
  );
  return rows.map(logRecordOf);
}
