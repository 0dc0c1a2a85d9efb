/**
 * The rows DuckDB appends for spans and log lines, exactly: one type per table, whose columns
 * (names, types, order) table-columns.ts lists and test/storage/table-columns.test.ts holds
 * equal to the schema. A span row is the logical span's fields (span.ts) beside what encode.ts
 * made of its attributes; these encoded fields exist only here — a span read back
 * (decode.ts SpanRecord) has every attribute in one JSON object again.
 */
import type { IngestLog, IngestSpan } from './span.js';

/** A span_data row: a finished span and its encoded attributes. */
export interface SpanDataRow {
  span: IngestSpan;
  /** JSON object text of the attributes left in the small JSON: not moved, not large. */
  attributes: string;
  /** The JSON object text of the large attributes (large-attributes.ts); null when the span has none. */
  largeAttributes: string | null;
  /** MOVABLE_ATTRIBUTES bits of the attributes left to their hot column (moved-attributes.ts). */
  movedAttributes: number;
}

/** A span_starts row: a running span (no end yet) from its start mark. Nothing is moved. */
export interface SpanStartRow {
  span: IngestSpan;
  attributes: string;
  largeAttributes: string | null;
}

/** An attribute_values row (value-index.ts): trace id, attribute key, indexed value text. */
export type AttributeValueRow = readonly [string, string, string];

/** A log_data row: the log line as ingest made it (nothing is split). */
export type LogDataRow = IngestLog;
