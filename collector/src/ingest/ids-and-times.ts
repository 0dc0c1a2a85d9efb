/**
 * Ids and 64-bit numbers from either decoder, normalised: ids to lower-case hex (bytes from
 * protobuf, hex text of any case from JSON), unsigned 64-bit times to bigint, signed 64-bit
 * integers to a JSON number token without precision loss. Invalid input gives null; callers
 * decide whether that rejects a span or the request.
 */
import type { Decoded, Int64 as Int64In } from '../otlp/shapes.js';

type IdIn = Decoded['id'];

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

const HEX_RE = /^[0-9a-fA-F]*$/;
const UINT_RE = /^\d{1,20}$/;
const INT_RE = /^-?\d{1,20}$/;
const TWO_32 = 4294967296;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Lower-case hex of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

/**
 * An id as lower-case hex, or null when it is not hex text or bytes. An absent id gives ''.
 * The length is not checked here.
 */
export function idToHex(id: IdIn | null | undefined): string | null {
  if (id == null) return '';
  if (typeof id === 'string') return HEX_RE.test(id) && (id.length & 1) === 0 ? id.toLowerCase() : null;
  if (id instanceof Uint8Array) return bytesToHex(id);
  return null;
}

/** True when a hex id consists only of zeros. */
export function isZeroHex(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 48) return false;
  return true;
}

function isLong(v: unknown): v is { low: number; high: number; unsigned: boolean } {
  return typeof v === 'object' && v !== null && typeof (v as { low?: unknown }).low === 'number'
    && typeof (v as { high?: unknown }).high === 'number';
}

/** An unsigned 64-bit value as bigint; null when absent or not a valid unsigned 64-bit integer. */
export function toUint64(v: Int64In | null | undefined): bigint | null {
  if (v == null) return null;
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v < 2 ** 64 ? BigInt(v) : null;
  if (typeof v === 'string') {
    if (!UINT_RE.test(v)) return null;
    const b = BigInt(v);
    return b <= UINT64_MAX ? b : null;
  }
  if (typeof v === 'bigint') return v >= 0n && v <= UINT64_MAX ? v : null;
  if (isLong(v)) return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return null;
}

/**
 * A signed 64-bit integer as a JSON number token (exact beyond 2^53), or null when the value is
 * not an integer in the int64 range.
 */
export function int64Token(v: unknown): string | null {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return null;
    if (Number.isSafeInteger(v)) return String(v);
    const b = BigInt(v);
    return b >= INT64_MIN && b <= INT64_MAX ? b.toString() : null;
  }
  if (typeof v === 'string') {
    if (!INT_RE.test(v)) return null;
    const b = BigInt(v);
    return b >= INT64_MIN && b <= INT64_MAX ? b.toString() : null;
  }
  if (typeof v === 'bigint') return v >= INT64_MIN && v <= INT64_MAX ? v.toString() : null;
  if (isLong(v)) {
    const n = (v.unsigned ? v.high >>> 0 : v.high | 0) * TWO_32 + (v.low >>> 0);
    if (Number.isSafeInteger(n)) return String(n);
    const u = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
    return (v.unsigned ? u : BigInt.asIntN(64, u)).toString();
  }
  return null;
}

/** A signed 64-bit integer as a JS number when it is safe, else null (for hot columns). */
export function int64ToSafeNumber(v: unknown): number | null {
  const tok = int64Token(v);
  if (tok === null) return null;
  const n = Number(tok);
  return Number.isSafeInteger(n) ? n : null;
}
