/**
 * Large attributes kept apart. An attribute whose `"key":value` JSON text is longer than
 * LARGE_ATTRIBUTE_CHARS (captured inputs and outputs, bodies, prompts), or that ingest handed
 * down raw (a long string, otlp/attribute-text.ts), is written to the column
 * LARGE_ATTRIBUTES_COLUMN rather than into the attributes JSON, so attribute filters, key
 * suggestions and scans read small text, and payloads are read only when a span is shown or
 * searched.
 *
 * The column's text has two forms (encodeLargeAttributes):
 * - **raw**: when every large attribute of the span is a string, each as RAW_ENTRY, its key,
 *   RAW_VALUE, its text — the payload as sent, never escaped (why: otlp/attribute-text.ts). A key
 *   or text holding RAW_ENTRY or RAW_VALUE cannot be framed so, and takes the JSON form;
 * - **JSON**: one JSON object text of the large attributes (a long array or kvlist, a string
 *   that cannot be framed, and every row an older flowtrace wrote).
 * A JSON object text starts with `{`, the raw form with RAW_ENTRY. Readers render the raw form as
 * the same JSON object text: largeAttributesJson here, the large_attributes_json macro in SQL
 * (attribute-sql.ts), which gives the same text (DuckDB's to_json escapes as JSON.stringify does).
 * Text search reads the column as stored, so a payload is searched as its own text.
 *
 * The column is one plain VARCHAR that asks DuckDB for zstd (tables/span_data.sql), in a file of
 * storage format v1.2 or later (database.ts STORAGE_VERSION), and this is why:
 * - zstd compresses long strings whole; DuckDB's default (FSST) gives up on a segment holding any
 *   string over ~4 KB, which once made us cut payloads into eight piece columns. On the payload
 *   workload the zstd column checkpoints in 162–175 ms against 393–406 for the pieces and keeps
 *   112 against 557 B per span (`node bench/src/payload-layouts.mjs --storage v1.2.0`;
 *   bench/PROFILING.md "Session 10 — payloads in zstd").
 * - Forced, not left to DuckDB: its own choice (with zstd_min_string_length lowered to 128)
 *   takes FSST for payloads under ~4 KB, whose estimate beats zstd's guess of half the text:
 *   140.2 against 14.4 B per row for 1.5 KB JSON payloads on every row. The price of forcing: a
 *   zstd segment keeps a 4-byte length for every row, NULL or not, so a span without payloads
 *   pays ~4 bytes (6.6 against 2.6 B per row with none; `node
 *   bench/src/payload-compression-choice.mjs`, "Session 11 — forced or chosen zstd"). Kept: on
 *   1M spans, 66.9 against 64.2 B/span without payloads before the change, 163.6 against 710.7
 *   with them; a side table or a second span table would spare the length but slow reads
 *   (`node bench/src/no-payload-bytes.mjs`, "Session 13 — the bytes of a span without payloads").
 * - Plain VARCHAR, not a VARCHAR[] list: with a list column each commit logged bytes in
 *   proportion to the list rows written since the last checkpoint (600 one-span requests with a
 *   300-character attribute, 427 KiB sent, left a 55 MiB WAL); one string column logs ~1.5 bytes
 *   per payload byte ("Session 8 — payload storage").
 */

import { isRawValue, rawText, valueJson } from '../../otlp/attribute-text.js';

/** An attribute whose `"key":value` text is longer than this is a large attribute. */
export const LARGE_ATTRIBUTE_CHARS = 256;

/** Starts each entry of the raw form (ASCII record separator). */
export const RAW_ENTRY = '\u001e';
/** Parts an entry's key from its text in the raw form (ASCII unit separator). */
export const RAW_VALUE = '\u001f';

/** True when a key or a string can stand in the raw form: it holds no separator. */
function framable(text: string): boolean {
  return text.indexOf(RAW_ENTRY) < 0 && text.indexOf(RAW_VALUE) < 0;
}

/**
 * The column's text of a span's large attributes, given as key, value, key, value … (values as
 * in an AttributeList: JSON text or raw strings): the raw form when every value is a string
 * (raw, or a JSON string — one just past the limit because of its escapes) whose text and key can
 * be framed, else the JSON form. Strings always raw, not escaped in some rows and not in others,
 * keep every payload in one spelling, which zstd needs: on the quick plan's payload workload the
 * column took 73.5 B/row all raw and 76.1 all JSON, but 91.9 with the 13 % of payloads just past
 * the limit left escaped (bench/PROFILING.md, "Session 12 — payloads kept raw").
 */
export function encodeLargeAttributes(list: readonly string[]): string {
  let raw = '';
  for (let i = 0; i < list.length; i += 2) {
    const value = list[i + 1];
    let text: string;
    if (isRawValue(value)) text = rawText(value);
    else if (value.charCodeAt(0) === 0x22 /* " */) text = JSON.parse(value) as string;
    else return jsonForm(list);
    if (!framable(list[i]) || !framable(text)) return jsonForm(list);
    raw += RAW_ENTRY + list[i] + RAW_VALUE + text;
  }
  return raw;
}

function jsonForm(list: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < list.length; i += 2) out += (i === 0 ? '' : ',') + JSON.stringify(list[i]) + ':' + valueJson(list[i + 1]);
  return out + '}';
}

/** The column's text (either form) as one JSON object text; null stays null (SQL: large_attributes_json). */
export function largeAttributesJson(stored: string | null): string | null {
  if (stored === null || !stored.startsWith(RAW_ENTRY)) return stored;
  let out = '{';
  for (const entry of stored.slice(1).split(RAW_ENTRY)) {
    const cut = entry.indexOf(RAW_VALUE);
    out += (out.length === 1 ? '' : ',') + JSON.stringify(entry.slice(0, cut)) + ':' + JSON.stringify(entry.slice(cut + 1));
  }
  return out + '}';
}

/** The column of span_data and span_starts that holds a row's large attributes (NULL when none). */
export const LARGE_ATTRIBUTES_COLUMN = 'large_attributes';

/** One attributes object text from the small ones and the large ones' column text (SQL: the merged_attributes macro). */
export function mergedAttributes(small: string, stored: string | null): string {
  const large = largeAttributesJson(stored);
  if (large === null) return small;
  if (small === '{}') return large;
  return small.slice(0, -1) + ',' + large.slice(1);
}
