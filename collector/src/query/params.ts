/**
 * Parsing of query parameters that JSON schema alone cannot check: times (ISO 8601 or
 * epoch milliseconds), cursors, attribute filters and ids. Bad input is a coded 400.
 */
import { errors } from '../errors.js';
import type { ExecutionCursor } from '../storage/index.js';

const HEX32 = /^[0-9a-f]{32}$/;
const INT64_MAX = 2n ** 63n - 1n;
// ISO 8601 only: Date.parse alone also takes legacy forms such as "-1" or "1 x 2001".
const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const INT64_MIN = -(2n ** 63n);

/**
 * Nanoseconds from an ISO 8601 time or epoch milliseconds, between 1970 and 2262 (what a
 * signed 64-bit nanosecond count holds); anything else is FT_BAD_FILTER, never passed on.
 */
export function parseTime(value: string | undefined, name: string): bigint | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = ISO_8601.test(value) ? Date.parse(value) : Number.NaN;
  const ms = /^\d{1,16}$/.test(value) ? BigInt(value) : Number.isNaN(parsed) ? undefined : BigInt(parsed);
  if (ms === undefined) throw errors.FT_BAD_FILTER(`${name} must be an ISO 8601 time or epoch milliseconds, got "${value.slice(0, 40)}"`);
  const ns = ms * 1_000_000n;
  if (ns < 0n || ns > INT64_MAX) throw errors.FT_BAD_FILTER(`${name} must be between 1970 and 2262, got "${value.slice(0, 40)}"`);
  return ns;
}

/** A cursor as the API hands it out: `start:trace` (newest first) or `d<duration>:start:trace` (longest first). */
export function encodeCursor(cursor: ExecutionCursor): string {
  const order = cursor.durationNs === undefined ? '' : `d${cursor.durationNs}:`;
  return Buffer.from(`${order}${cursor.startNs}:${cursor.traceId}`).toString('base64url');
}

/** Reads a cursor of the list's order `sort`; a cursor of the other order is FT_BAD_CURSOR. */
export function decodeCursor(value: string | undefined, sort: 'start' | 'duration' = 'start'): ExecutionCursor | undefined {
  if (value === undefined || value === '') return undefined;
  const text = Buffer.from(value, 'base64url').toString('utf8');
  const match = /^(?:d(\d{1,20}):)?(-?\d{1,20}):([0-9a-f]{32})$/.exec(text);
  const inRange = (n: bigint) => n >= INT64_MIN && n <= INT64_MAX;
  const startNs = match ? BigInt(match[2]) : undefined;
  const durationNs = match?.[1] === undefined ? undefined : BigInt(match[1]);
  if (!match || startNs === undefined || !inRange(startNs) || (durationNs !== undefined && !inRange(durationNs))) {
    throw errors.FT_BAD_CURSOR('pass the nextCursor of a previous page unchanged');
  }
  if ((durationNs !== undefined) !== (sort === 'duration')) {
    throw errors.FT_BAD_CURSOR(`this cursor belongs to the other order of the list; pass it with the sort it came from`);
  }
  return durationNs === undefined ? { startNs, traceId: match[3] } : { startNs, traceId: match[3], durationNs };
}

/** `key=value` pairs of the repeatable attr parameter. */
export function parseAttributeFilters(values: string[] | undefined): Array<{ key: string; value: string }> {
  return (values ?? []).map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw errors.FT_BAD_FILTER(`attr must be key=value, got "${pair.slice(0, 80)}"`);
    return { key: pair.slice(0, at), value: pair.slice(at + 1) };
  });
}

/** A trace id as the API takes it: 32 hex digits, any case. */
export function parseTraceId(value: string): string {
  const id = value.toLowerCase();
  if (!HEX32.test(id)) throw errors.FT_BAD_REQUEST('a trace id is 32 hexadecimal digits');
  return id;
}

/** Splits comma-separated and repeated values into one list. */
export function listParam(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return list.length === 0 ? undefined : list;
}
