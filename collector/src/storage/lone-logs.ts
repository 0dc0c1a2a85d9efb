/**
 * Console lines that belong to no span (the logs page of the "why" views), newest first
 * (the contract's Storage.loneLogs). User text is a bound value, never part of the statement.
 */
import type { ConnectionPool, Params } from './connection-pool.js';
import type { LoneLogQuery } from './contract.js';
import { decodeLog, type LogRecord } from './span-model/decode.js';

/** Lines with no span: span_id '' (a log record outside any span, with or without a trace). */
const LONE_LOGS_SQL = (withText: boolean) => `
SELECT * FROM log_data
WHERE span_id = '' AND time_ns BETWEEN $from_ns AND $to_ns AND severity_number >= $min_severity
  ${withText ? 'AND contains(lower(body), lower($text))' : ''}
ORDER BY time_ns DESC
LIMIT $limit`;

/** Lines with no span in a time range, newest first; one more than `limit` tells that more follow. */
export async function loneLogs(pool: ConnectionPool, q: LoneLogQuery): Promise<LogRecord[]> {
  const text = q.text?.trim() ?? '';
  const params: Params = { from_ns: q.fromNs, to_ns: q.toNs, min_severity: q.minSeverity ?? 0, limit: q.limit + 1 };
  if (text !== '') params.text = text;
  return (await pool.rows(LONE_LOGS_SQL(text !== ''), params)).map(decodeLog);
}
