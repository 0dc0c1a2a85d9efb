/**
 * One value of a span's AttributeList (storage/span-model/span.ts) as ingest hands it to storage:
 * its JSON text (ingest/any-value-json.ts), or, for a string longer than RAW_STRING_CHARS, the
 * string's own text behind RAW_MARK. Ingest and storage both read this module (it loads nothing).
 *
 * Why raw: the long strings are the payloads flows capture (inputs, outputs, bodies, prompts),
 * mostly JSON documents, full of quotes. Escaping them as JSON strings cost the ingest worker
 * V8's string serializer on every payload, and every later step (the copy to the main thread,
 * the appender, DuckDB's write-ahead log and checkpoint) carried a fifth more bytes for the
 * backslashes. Storage keeps such a string raw (span-model/large-attributes.ts) and renders its
 * JSON only when it is read (bench/PROFILING.md, "Session 12 — payloads kept raw").
 *
 * A raw value is always a large attribute: its `"key":value` JSON would be longer than
 * RAW_STRING_CHARS + 2, past storage's limit for the small attributes (LARGE_ATTRIBUTE_CHARS).
 */

/** Marks a value that is a string's own text, not JSON (JSON text never starts with NUL). */
export const RAW_MARK = '\u0000';

/** A string attribute longer than this (in UTF-16 units) is handed down raw. */
export const RAW_STRING_CHARS = 256;

/** True when an AttributeList value is a raw string (RAW_MARK, then its text). */
export function isRawValue(value: string): boolean {
  return value.charCodeAt(0) === 0;
}

/** The AttributeList value of a string kept raw. */
export function rawValue(text: string): string {
  return RAW_MARK + text;
}

/** The text of a raw value. */
export function rawText(value: string): string {
  return value.slice(1);
}

/** An AttributeList value as JSON text, whichever way it was handed down. */
export function valueJson(value: string): string {
  return isRawValue(value) ? JSON.stringify(value.slice(1)) : value;
}
