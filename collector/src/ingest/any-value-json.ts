/**
 * OTLP attributes (KeyValue lists, AnyValue) → JSON text, written directly so that int64 values
 * beyond 2^53 keep every digit. string → string, bool → bool, int → number token without a point,
 * double → number token with a point or an exponent (2.0, not 2: the type is kept, and DuckDB's
 * json_type says DOUBLE), array → array, kvlist → object, empty AnyValue → null. The two types
 * JSON has no room for — bytes (→ base64 string) and NaN/±Infinity (→ string) — are counted in
 * CutState.typed, and their paths noted beside the JSON (value-types.ts, storage/value-types.ts).
 * Accepts the protobuf objects and raw OTLP/JSON (camelCase or snake_case). Caps cut long
 * values, long lists and deep nesting and record it in a CutState.
 * A value of the wrong JSON type is undecodable: it throws the coded 400 error.
 */
import { TRUNCATION_MARKER } from '@flowtrace/instrumentation/conventions';
import { indexedValueOf, isIndexedKey, JSON_NUMBER } from '../storage/attribute-values.js';
import { movableAttribute, movedEntry } from '../storage/moved-attributes.js';
import { LARGE_ATTRIBUTE_CHARS, type HotSpanFields } from '../storage/rows.js';
import { setHotField } from './hot-fields.js';
import type { IngestCaps } from './ingest-caps.js';
import { ATTR_TRUNCATED } from './ingest-caps.js';
import { undecodableError } from './ingest-errors.js';
import { int64Token } from './ids-and-times.js';
import type { TypeTree } from '../storage/value-types.js';
import { typeTreeOf } from './value-types.js';
import { wellFormed } from './well-formed.js';

/** What the caps cut while writing one span (or record): values cut and entries dropped. */
export interface CutState {
  truncated: boolean;
  dropped: number;
  /**
   * Values written whose JSON does not tell their type (bytes, NaN/±Infinity), counted so that a
   * writer notes their paths only when there are any (absent until the first).
   */
  typed?: number;
}

const MARKER_JSON = JSON.stringify(TRUNCATION_MARKER);
const SNAKE: ReadonlyArray<readonly [string, string]> = [
  ['string_value', 'stringValue'], ['bool_value', 'boolValue'], ['int_value', 'intValue'],
  ['double_value', 'doubleValue'], ['array_value', 'arrayValue'], ['kvlist_value', 'kvlistValue'],
  ['bytes_value', 'bytesValue'],
];

interface AnyValueShape {
  stringValue?: unknown; boolValue?: unknown; intValue?: unknown; doubleValue?: unknown;
  arrayValue?: unknown; kvlistValue?: unknown; bytesValue?: unknown;
}

function bad(key: string, what: string): never {
  throw undecodableError(`attribute ${JSON.stringify(key)}: ${what}`);
}

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

function bytesJson(v: unknown, key: string, caps: IngestCaps, cut: CutState): string {
  cut.typed = (cut.typed ?? 0) + 1;
  if (v instanceof Uint8Array) {
    let len = v.length;
    if (len > caps.maxValueBytes) { len = caps.maxValueBytes; cut.truncated = true; }
    return '"' + Buffer.from(v.buffer, v.byteOffset, len).toString('base64') + '"';
  }
  if (typeof v !== 'string') bad(key, 'bytesValue must be base64 text');
  const maxChars = Math.ceil(caps.maxValueBytes / 3) * 4;
  if (v.length <= maxChars) return JSON.stringify(wellFormed(v));
  cut.truncated = true;
  return JSON.stringify(wellFormed(v.slice(0, maxChars)));
}

/** A finite double as a number token that reads back as a double: 2 → 2.0 (1e+21 and 0.5 have their mark). */
function doubleToken(n: number): string {
  const s = String(n);
  return s.indexOf('.') < 0 && s.indexOf('e') < 0 ? s + '.0' : s;
}

function doubleJson(v: unknown, key: string, cut: CutState): string {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return doubleToken(v);
    cut.typed = (cut.typed ?? 0) + 1;
    return Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Infinity"' : '"-Infinity"';
  }
  if (typeof v === 'string') {
    if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') { cut.typed = (cut.typed ?? 0) + 1; return '"' + v + '"'; }
    if (JSON_NUMBER.test(v)) { const n = Number(v); if (Number.isFinite(n)) return doubleToken(n); }
  }
  return bad(key, 'doubleValue must be a number');
}

function snakeCase(a: Record<string, unknown>): AnyValueShape | null {
  for (let i = 0; i < SNAKE.length; i++) {
    const [snake, camel] = SNAKE[i];
    if (a[snake] != null) return { [camel]: a[snake] };
  }
  return null;
}

function listOf(v: unknown, key: string): unknown[] {
  if (typeof v !== 'object' || v === null) bad(key, 'arrayValue/kvlistValue must be an object');
  const values = (v as { values?: unknown }).values;
  if (values == null) return [];
  if (!Array.isArray(values)) bad(key, 'values must be an array');
  return values;
}

/** One AnyValue as JSON text. `depth` is the nesting level of `value` (0 for an attribute's value). */
export function anyValueToJson(value: unknown, key: string, caps: IngestCaps, cut: CutState, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') bad(key, 'value must be an AnyValue object');
  let a = value as AnyValueShape;
  for (let pass = 0; pass < 2; pass++) {
    let x: unknown;
    if ((x = a.stringValue) != null) {
      if (typeof x !== 'string') bad(key, 'stringValue must be a string');
      return JSON.stringify(capString(x, caps, cut));
    }
    if ((x = a.intValue) != null) {
      const tok = int64Token(x);
      return tok !== null ? tok : bad(key, 'intValue must be a 64-bit integer');
    }
    if ((x = a.doubleValue) != null) return doubleJson(x, key, cut);
    if ((x = a.boolValue) != null) {
      if (typeof x !== 'boolean') bad(key, 'boolValue must be true or false');
      return x ? 'true' : 'false';
    }
    if ((x = a.arrayValue) != null) {
      const items = listOf(x, key);
      if (depth >= caps.maxDepth) { cut.truncated = true; return MARKER_JSON; }
      let n = items.length;
      if (n > caps.maxValueItems) { n = caps.maxValueItems; cut.truncated = true; }
      let out = '[';
      for (let i = 0; i < n; i++) {
        if (i > 0) out += ',';
        out += anyValueToJson(items[i], key, caps, cut, depth + 1);
      }
      return out + ']';
    }
    if ((x = a.kvlistValue) != null) {
      const items = listOf(x, key);
      if (depth >= caps.maxDepth) { cut.truncated = true; return MARKER_JSON; }
      let n = items.length;
      if (n > caps.maxValueItems) { n = caps.maxValueItems; cut.truncated = true; }
      let out = '{';
      for (let i = 0; i < n; i++) {
        const kv = items[i] as { key?: unknown; value?: unknown } | null;
        if (typeof kv !== 'object' || kv === null || typeof kv.key !== 'string') bad(key, 'kvlist entries need a string key');
        if (i > 0) out += ',';
        out += JSON.stringify(wellFormed(kv.key)) + ':' + anyValueToJson(kv.value, key, caps, cut, depth + 1);
      }
      return out + '}';
    }
    if ((x = a.bytesValue) != null) return bytesJson(x, key, caps, cut);
    if (pass === 0) {
      const snake = snakeCase(value as Record<string, unknown>);
      if (snake === null) break;
      a = snake;
    }
  }
  return 'null';
}

/**
 * A KeyValue list as a JSON object text. Keeps the first of duplicate keys and at most
 * `caps.maxAttributes` keys (the rest are counted in `cut.dropped`); copies hot fields into `hot`
 * when given; leaves out the keys in `omit`; with `parts`, splits off large entries, moves hot ones
 * and collects the values to index (see AttributeParts); notes the type tree of each value whose
 * JSON does not tell its type under its key, in `types` or else in `parts.types`.
 */
export function attributesToJson(
  list: unknown, caps: IngestCaps, cut: CutState, hot: HotSpanFields | null, omit: ReadonlySet<string> | null,
  parts: AttributeParts | null = null, types: Record<string, TypeTree> | null = null,
): string {
  if (list == null) return '{}';
  if (!Array.isArray(list)) throw undecodableError('attributes must be an array of KeyValue');
  const seen = list.length > 1 ? new Set<string>() : null;
  let out = '{';
  let kept = 0;
  for (let i = 0; i < list.length; i++) {
    const kv = list[i] as { key?: unknown; value?: unknown } | null;
    if (typeof kv !== 'object' || kv === null || typeof kv.key !== 'string') {
      throw undecodableError('attributes must be KeyValue objects with a string key');
    }
    const key = capString(kv.key, caps, cut);
    if (omit !== null && omit.has(key)) continue;
    if (kept >= caps.maxAttributes) { cut.dropped++; continue; }
    if (seen !== null) { if (seen.has(key)) continue; seen.add(key); }
    const movable = parts !== null && parts.moved !== null && hot !== null ? movableAttribute(key) : undefined;
    const unset = movable !== undefined && hot![movable.field] === null;
    if (hot !== null) setHotField(hot, key, kv.value, (text) => capString(text, caps, cut));
    const typedBefore = cut.typed;
    const valueJson = anyValueToJson(kv.value, key, caps, cut, 0);
    if (cut.typed !== typedBefore) {
      const tree = typeTreeOf(kv.value, caps, 0)!;
      if (types !== null) types[key] = tree;
      else if (parts !== null) (parts.types ??= {})[key] = tree;
    }
    const entry = JSON.stringify(key) + ':' + valueJson;
    if (unset && hot![movable!.field] !== null && entry === movedEntry(movable!, hot!)) {
      parts!.moved! |= movable!.bit; // its column gives it back exactly (storage/moved-attributes.ts)
      kept++;
      continue;
    }
    if (parts !== null && entry.length > LARGE_ATTRIBUTE_CHARS) {
      parts.large = parts.large === null ? '{' + entry + '}' : parts.large.slice(0, -1) + ',' + entry + '}';
    } else {
      out += (out.length === 1 ? '' : ',') + entry;
      if (parts !== null && parts.indexed !== null && isIndexedKey(key)) {
        const indexed = indexedValueOf(valueJson); // storage/attribute-values.ts
        if (indexed !== null) parts.indexed.push(key, indexed);
      }
    }
    kept++;
  }
  return out + '}';
}

/** What attributesToJson splits off a span's attributes besides the small JSON it returns. */
export interface AttributeParts {
  /**
   * Entries longer than LARGE_ATTRIBUTE_CHARS (captured inputs and outputs, bodies, prompts):
   * a JSON object text of their own, null when there is none.
   */
  large: string | null;
  /** Hot attributes left to their columns, as MOVABLE_ATTRIBUTES bits; null: move none. */
  moved: number | null;
  /** key, value, key, value … of the entries for the attribute value index; null: collect none. */
  indexed: string[] | null;
  /** Type trees of the values whose JSON does not tell their type, by key (set when there are any). */
  types?: Record<string, TypeTree>;
}

/** Adds `"flowtrace.truncated": true` to an attributes object text (once). */
export function withTruncatedMark(json: string): string {
  const mark = JSON.stringify(ATTR_TRUNCATED) + ':true';
  if (json.includes(mark)) return json;
  return json.length === 2 ? '{' + mark + '}' : json.slice(0, -1) + ',' + mark + '}';
}
