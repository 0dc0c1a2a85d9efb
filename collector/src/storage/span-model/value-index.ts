/**
 * The attribute value index: a table of (trace_id, key, value) for the short attribute values
 * of finished spans (schema/tables/attribute_values.sql), so that "executions where order.id is
 * ord-42" reads a few columns of one small table instead of every span's attributes JSON
 * (10M-span benchmark database: 3.8 s for the JSON scan).
 *
 * The index answers a filter only when it is complete for the value searched: every span
 * attribute whose `json_extract_string` text equals the value must be in it. encode.ts indexes
 * the string, boolean and integer values of the small attributes (not the large ones) whose
 * text passes `isIndexedValue`, and the execution list uses the index only for a key and value
 * that pass `isIndexedFilter`; anything else (long values, doubles with a fraction or exponent,
 * arrays, objects, hot keys kept in their columns) is searched the old way. Resource attributes (a few distinct texts, dictionary-compressed: 33 ms over
 * 10M spans) and running spans (span_starts, small) are scanned as before.
 */
import { LARGE_ATTRIBUTE_CHARS } from './large-attributes.js';
import { movableAttribute } from './moved-attributes.js';

/** Values longer than this are not indexed (captured payloads, messages, stack traces). */
export const INDEXED_VALUE_CHARS = 128;

/** The truncation mark ingest adds after the attributes of a span it cut (ingest/ingest-caps.ts ATTR_TRUNCATED). */
const TRUNCATION_KEY = 'flowtrace.truncated';

/** A JSON number token (the grammar's, no leading zeros or plus sign). */
export const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Integers DuckDB's JSON reader renders back digit for digit. */
const SHORT_INTEGER = /^-?(?:0|[1-9]\d{0,17})$/;

/** True for keys the index holds: not the hot keys searched in their columns, nor the truncation mark. */
export function isIndexedKey(key: string): boolean {
  return key !== TRUNCATION_KEY && movableAttribute(key) === undefined;
}

/**
 * True when a value text may be DuckDB's rendering of a JSON number other than a short integer
 * (1.5, 1e21, 12345678901234567890), which need not be the text ingest wrote (1e+21).
 */
export function mayRenderNumber(text: string): boolean {
  return JSON_NUMBER.test(text) && !SHORT_INTEGER.test(text);
}

/**
 * True when a value text is short enough for the index and cannot be the text of a value the
 * index leaves out: an array or object (starts with [ or {), or a number other than a short
 * integer.
 */
export function isIndexedValue(text: string): boolean {
  if (text.length > INDEXED_VALUE_CHARS) return false;
  const first = text.charCodeAt(0);
  if (first === 0x5b /* [ */ || first === 0x7b /* { */) return false;
  return !mayRenderNumber(text);
}

/**
 * True when the index holds every finished span's attribute `key` whose text is `value`: the key
 * and value are indexed, and even as a string the entry is small (a large one is not indexed).
 */
export function isIndexedFilter(key: string, value: string): boolean {
  return isIndexedKey(key) && isIndexedValue(value)
    && JSON.stringify(key).length + 1 + JSON.stringify(value).length <= LARGE_ATTRIBUTE_CHARS;
}

/**
 * The index text of one attribute entry from the JSON text ingest rendered for its value, or null
 * when the entry is not indexed. Strings give their content, true/false and short integer
 * tokens themselves; null, doubles with a fraction or exponent, arrays and objects give null.
 */
export function indexedValueOf(valueJson: string): string | null {
  if (valueJson.length > INDEXED_VALUE_CHARS * 6 + 2) return null; // longer than any short value's JSON
  const first = valueJson.charCodeAt(0);
  let text: string;
  if (first === 0x22 /* " */) text = valueJson.indexOf('\\') < 0 ? valueJson.slice(1, -1) : (JSON.parse(valueJson) as string);
  else if (valueJson === 'true' || valueJson === 'false' || SHORT_INTEGER.test(valueJson)) return valueJson;
  else return null;
  return isIndexedValue(text) ? text : null;
}
