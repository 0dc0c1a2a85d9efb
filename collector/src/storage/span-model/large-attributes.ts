/**
 * Large attributes kept apart. An attribute whose `"key":value` JSON text is longer than
 * LARGE_ATTRIBUTE_CHARS (captured inputs and outputs, bodies, prompts) is written as a JSON
 * object text of its own, in the column LARGE_ATTRIBUTES_COLUMN, rather than into the attributes
 * JSON, so attribute filters, key suggestions and scans read small text, and payloads are read
 * only when a span is shown or searched.
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
 *   bench/src/payload-compression-choice.mjs`, "Session 11 — forced or chosen zstd").
 * - Plain VARCHAR, not a VARCHAR[] list: with a list column each commit logged bytes in
 *   proportion to the list rows written since the last checkpoint (600 one-span requests with a
 *   300-character attribute, 427 KiB sent, left a 55 MiB WAL); one string column logs ~1.5 bytes
 *   per payload byte ("Session 8 — payload storage").
 */

/** An attribute whose `"key":value` text is longer than this is a large attribute. */
export const LARGE_ATTRIBUTE_CHARS = 256;

/** The column of span_data and span_starts that holds a row's large attributes (NULL when none). */
export const LARGE_ATTRIBUTES_COLUMN = 'large_attributes';

/** One attributes object text from the small and the large ones (SQL: the merged_attributes macro). */
export function mergedAttributes(small: string, large: string | null): string {
  if (large === null) return small;
  if (small === '{}') return large;
  return small.slice(0, -1) + ',' + large.slice(1);
}
