/**
 * How a stored span's coded fields read in the API, for the renderers written in JavaScript
 * (query/to-wire.ts for the API's objects, clickhouse/span-json.ts for Span JSON text from
 * ClickHouse rows): the span status rule, and times as ISO 8601. DuckDB's SQL renderers take the
 * same rule from the span_status macro (schema/macros), made from the same conventions lists.
 *
 * Invariant: one rule — a span without an end is running; a stated flow.*.status that is a known
 * node status wins; else OTel's status code 2 is an error and anything else a success.
 */
import { NODE_STATUSES, type NodeStatus } from '@flowtrace/instrumentation/conventions';
import type { SpanRecord } from './decode.js';

const KNOWN_STATUSES: ReadonlySet<string> = new Set(NODE_STATUSES);

/** The status a span shows (the rule above). */
export function spanStatusOf(s: Pick<SpanRecord, 'endTimeUnixNano' | 'flowStatus' | 'statusCode'>): NodeStatus {
  if (s.endTimeUnixNano === null) return 'running';
  if (s.flowStatus !== null && KNOWN_STATUSES.has(s.flowStatus)) return s.flowStatus as NodeStatus;
  return s.statusCode === 2 ? 'error' : 'success';
}

/** ISO 8601 with milliseconds of a nanosecond time, as the API writes every time (the epoch for one out of range). */
export function isoOfNs(ns: bigint): string {
  const date = new Date(Number(ns / 1_000_000n));
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}
