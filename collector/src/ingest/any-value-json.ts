/**
 * OTLP attribute values (otlp/shapes.ts AnyValue, as both decoders give them) → JSON text,
 * written directly so that int64 values beyond 2^53 keep every digit: string → string, bool →
 * bool, int → number token without a point, double → number token with a point or an exponent
 * (2.0, not 2: the type is kept, and DuckDB's json_type says DOUBLE), array → array, kvlist →
 * object, empty AnyValue → null. The two types JSON has no room for — bytes (→ base64 string)
 * and NaN/±Infinity (→ string) — are counted in CutState.typed and their paths noted beside the
 * JSON (value-types.ts, otlp/value-types.ts).
 *
 * Ingest renders values; where they are stored is storage's business (storage/span-model).
 * Caps cut long values, long lists and deep nesting and record it in a CutState.
 */
import { TRUNCATION_MARKER } from '@flowtrace/instrumentation/conventions';
import type { AnyValue } from '../otlp/shapes.js';
import { ATTR_TRUNCATED, type IngestCaps } from './ingest-caps.js';
import { int64Token } from './ids-and-times.js';
import { wellFormed } from './well-formed.js';

/** What the caps cut while rendering one span (or record): values cut and entries dropped. */
export interface CutState {
  truncated: boolean;
  dropped: number;
  /**
   * Values rendered whose JSON does not tell their type (bytes, NaN/±Infinity), counted so that a
   * converter notes their paths only when there are any (absent until the first).
   */
  typed?: number;
}

/** A fresh CutState. */
export const noCut = (): CutState => ({ truncated: false, dropped: 0 });

const MARKER_JSON = JSON.stringify(TRUNCATION_MARKER);

/**
 * A string value made well-formed (lone surrogates → U+FFFD, see well-formed.ts) and cut to the
 * byte cap (on a character boundary), with the truncation marker. Every text of a span, record,
 * scope and resource passes here on its way to storage.
 */
export function capString(text: string, caps: IngestCaps, cut: CutState): string {
  const s = wellFormed(text);
  const max = caps.maxValueBytes;
  if (s.length * 3 <= max || Buffer.byteLength(s, 'utf8') <= max) return s;
  cut.truncated = true;
  let head = Buffer.from(s, 'utf8').subarray(0, max).toString('utf8');
  if (head.endsWith('\uFFFD')) head = head.slice(0, -1);
  return head + TRUNCATION_MARKER;
}

/** capString for an optional text field (span name, status message, trace state …). */
export function capText(s: string | null, caps: IngestCaps, cut: CutState): string | null {
  return s === null ? null : capString(s, caps, cut);
}

function bytesJson(v: Uint8Array, caps: IngestCaps, cut: CutState): string {
  cut.typed = (cut.typed ?? 0) + 1;
  let len = v.length;
  if (len > caps.maxValueBytes) {
    len = caps.maxValueBytes;
    cut.truncated = true;
  }
  return '"' + Buffer.from(v.buffer, v.byteOffset, len).toString('base64') + '"';
}

/** A double as a number token that reads back as a double (2 → 2.0); NaN and ±Infinity as text. */
function doubleJson(n: number, cut: CutState): string {
  if (!Number.isFinite(n)) {
    cut.typed = (cut.typed ?? 0) + 1;
    return Number.isNaN(n) ? '"NaN"' : n > 0 ? '"Infinity"' : '"-Infinity"';
  }
  const s = String(n);
  return s.indexOf('.') < 0 && s.indexOf('e') < 0 ? s + '.0' : s;
}

/** One AnyValue as JSON text. `depth` is the nesting level of `value` (0 for an attribute's value). */
export function anyValueToJson(value: AnyValue | null | undefined, caps: IngestCaps, cut: CutState, depth: number): string {
  if (value == null) return 'null';
  let x: unknown;
  if ((x = value.stringValue) != null) return JSON.stringify(capString(x as string, caps, cut));
  if ((x = value.intValue) != null) return int64Token(x) ?? 'null';
  if ((x = value.doubleValue) != null) return doubleJson(x as number, cut);
  if ((x = value.boolValue) != null) return x ? 'true' : 'false';
  if (value.arrayValue != null) {
    const items = value.arrayValue.values ?? [];
    if (depth >= caps.maxDepth) { cut.truncated = true; return MARKER_JSON; }
    let n = items.length;
    if (n > caps.maxValueItems) { n = caps.maxValueItems; cut.truncated = true; }
    let out = '[';
    for (let i = 0; i < n; i++) out += (i > 0 ? ',' : '') + anyValueToJson(items[i], caps, cut, depth + 1);
    return out + ']';
  }
  if (value.kvlistValue != null) {
    const items = value.kvlistValue.values ?? [];
    if (depth >= caps.maxDepth) { cut.truncated = true; return MARKER_JSON; }
    let n = items.length;
    if (n > caps.maxValueItems) { n = caps.maxValueItems; cut.truncated = true; }
    let out = '{';
    for (let i = 0; i < n; i++) {
      out += (i > 0 ? ',' : '') + JSON.stringify(wellFormed(items[i].key)) + ':' + anyValueToJson(items[i].value, caps, cut, depth + 1);
    }
    return out + '}';
  }
  if ((x = value.bytesValue) != null) return bytesJson(x as Uint8Array, caps, cut);
  return 'null';
}

const TRUNCATED_ENTRY = JSON.stringify(ATTR_TRUNCATED) + ':true';

/** Adds `"flowtrace.truncated": true` to an attributes object text (once). */
export function withTruncatedMark(json: string): string {
  const entry = TRUNCATED_ENTRY;
  if (json.includes(entry)) return json;
  return json.length === 2 ? '{' + entry + '}' : json.slice(0, -1) + ',' + entry + '}';
}
