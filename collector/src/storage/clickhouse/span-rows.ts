/**
 * This engine's rows read back as the storage records every engine returns (the shared decoders
 * of records.ts and span-model/decode.ts); the rows a commit writes are insert-rows.ts's.
 *
 * Invariants: times are Int64 nanoseconds, read back as bigint from the decimal strings the
 * connection asks for (never through a double); '' is "no parent"; the large attributes are one
 * JSON object text (span-model's decoder reads them as its one piece).
 */
import { executionRecordFromRow, type ExecutionRecord } from '../records.js';
import { decodeLog, decodeSpan, type LogRecord, type SpanRecord } from '../span-model/decode.js';
import type { Row } from './connection.js';

/** span_data.version of a running row (start mark) and of a finished span: FINAL keeps the higher. */
export const RUNNING_VERSION = 0;
export const FINISHED_VERSION = 1;


/** Int64 columns arrive as decimal strings (quoted 64-bit integers): bigint, null kept. */
function withBigints(row: Row, columns: readonly string[]): Row {
  const out: Row = { ...row };
  for (const c of columns) {
    const v = row[c];
    if (v !== null && v !== undefined) out[c] = BigInt(v as string);
  }
  return out;
}

const SPAN_NS = ['start_ns', 'end_ns'] as const;
const LOG_NS = ['time_ns', 'observed_time_ns'] as const;
const EXECUTION_NS = ['start_ns', 'end_ns', 'min_start_ns', 'max_start_ns', 'last_seen_ns'] as const;

/** A span_data row read back (FINAL: the finished row over its running mark) as the stored span. */
export function spanRecordOf(row: Row): SpanRecord {
  return decodeSpan({
    ...withBigints(row, SPAN_NS),
    parent_span_id: row.parent_span_id === '' ? null : row.parent_span_id,
    moved_attributes: 0,
  });
}

export function logRecordOf(row: Row): LogRecord {
  return decodeLog(withBigints(row, LOG_NS));
}

/** A row of the rollup's merged form (execution-rows-sql.ts) as the execution record. */
export function executionRecordOf(row: Row): ExecutionRecord {
  return executionRecordFromRow(withBigints(row, EXECUTION_NS));
}
