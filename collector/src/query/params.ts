/**
 * Parsing of query parameters that JSON schema alone cannot check: times (ISO 8601 or
 * epoch milliseconds), cursors, attribute filters and ids. Bad input is a coded 400.
 */
import { errors } from '../errors.js';
import type { ExecutionCursor } from '../storage/index.js';

const HEX32 = /^[0-9a-f]{32}$/;

/** Nanoseconds from an ISO 8601 time or epoch milliseconds. */
export function parseTime(value: string | undefined, name: string): bigint | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d{1,16}$/.test(value)) return BigInt(value) * 1_000_000n;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw errors.FT_BAD_FILTER(`${name} must be an ISO 8601 time or epoch milliseconds, got "${value.slice(0, 40)}"`);
  return BigInt(ms) * 1_000_000n;
}

export function encodeCursor(cursor: ExecutionCursor): string {
  return Buffer.from(`${cursor.startNs}:${cursor.traceId}`).toString('base64url');
}

export function decodeCursor(value: string | undefined): ExecutionCursor | undefined {
  if (value === undefined || value === '') return undefined;
  const text = Buffer.from(value, 'base64url').toString('utf8');
  const match = /^(-?\d{1,20}):([0-9a-f]{32})$/.exec(text);
  if (!match) throw errors.FT_BAD_CURSOR('pass the nextCursor of a previous page unchanged');
  return { startNs: BigInt(match[1]), traceId: match[2] };
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
