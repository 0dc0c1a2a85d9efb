/**
 * Logical span → the rows DuckDB stores (rows.ts), by the rules of this folder: the hot
 * columns are the span's flow fields; an attribute its hot column gives back exactly is left
 * out of the JSON and marked moved (moved-attributes.ts); an attribute whose `"key":value`
 * text is long goes to the large attributes (large-attributes.ts); the short string, boolean
 * and integer values of the rest are the span's attribute value index rows (value-index.ts).
 * A running span (span_starts) keeps its large attributes apart too, but moves and indexes
 * nothing. Engine-neutral: encodeAttributes is what another engine reuses to split the same way.
 */
import { isRawValue } from '../../otlp/attribute-text.js';
import { encodeLargeAttributes, LARGE_ATTRIBUTE_CHARS } from './large-attributes.js';
import { isMovedValue, movableAttribute } from './moved-attributes.js';
import type { AttributeValueRow, SpanDataRow, SpanStartRow } from './rows.js';
import type { AttributeList, FlowFields, IngestSpan } from './span.js';
import { indexedValueOf, isIndexedKey } from './value-index.js';

/** A span's attributes as stored. */
export interface EncodedAttributes {
  /** JSON object text of the attributes neither moved nor large. */
  small: string;
  /** The large attributes as their column holds them (large-attributes.ts), null when none. */
  large: string | null;
  /** MOVABLE_ATTRIBUTES bits of the attributes left to their column. */
  moved: number;
}

/** The quoted JSON text of a key (keys repeat from span to span: the first 10,000 short ones are quoted once each). */
const quotedKeys = new Map<string, string>();
function quoted(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (key.length <= 128 && quotedKeys.size < 10_000) quotedKeys.set(key, q);
  }
  return q;
}

/**
 * Splits an attribute list: `move` leaves attributes their flow field rebuilds exactly to the
 * column (finished spans); `indexed`, when given, receives key, value, key, value … of the
 * value index entries of the small ones.
 */
export function encodeAttributes(list: AttributeList, flow: FlowFields, move: boolean, indexed: string[] | null): EncodedAttributes {
  let small = '{';
  let large: AttributeList | null = null;
  let moved = 0;
  for (let i = 0; i < list.length; i += 2) {
    const key = list[i];
    const value = list[i + 1];
    // A string ingest handed down raw is long: always a large attribute, never moved or indexed.
    if (isRawValue(value)) {
      (large ??= []).push(key, value);
      continue;
    }
    if (move) {
      const m = movableAttribute(key);
      if (m !== undefined && isMovedValue(m, flow, value)) {
        moved |= m.bit;
        continue;
      }
    }
    const entry = quoted(key) + ':' + value;
    if (entry.length > LARGE_ATTRIBUTE_CHARS) {
      (large ??= []).push(key, value);
      continue;
    }
    small += small.length === 1 ? entry : ',' + entry;
    if (indexed !== null && isIndexedKey(key)) {
      const text = indexedValueOf(value);
      if (text !== null) indexed.push(key, text);
    }
  }
  return { small: small + '}', large: large === null ? null : encodeLargeAttributes(large), moved };
}

/** A finished span as its span_data row; `indexed`, when given, receives its value index entries (key, value …). */
export function encodeSpan(span: IngestSpan, indexed: string[] | null = null): SpanDataRow {
  const a = encodeAttributes(span.attributes, span, true, indexed);
  return { span, attributes: a.small, largeAttributes: a.large, movedAttributes: a.moved };
}

/** A running span as its span_starts row. */
export function encodeStart(span: IngestSpan): SpanStartRow {
  const a = encodeAttributes(span.attributes, span, false, null);
  return { span, attributes: a.small, largeAttributes: a.large };
}

/** The rows of a group's finished spans: span_data rows, and attribute_values rows, each (trace, key, value) once. */
export function encodeSpans(spans: readonly IngestSpan[]): { rows: SpanDataRow[]; attributeValues: AttributeValueRow[] } {
  const rows: SpanDataRow[] = new Array(spans.length);
  const attributeValues: AttributeValueRow[] = [];
  const seen = new Set<string>();
  const indexed: string[] = [];
  for (let s = 0; s < spans.length; s++) {
    rows[s] = encodeSpan(spans[s], indexed);
    if (indexed.length === 0) continue;
    const traceId = spans[s].traceId;
    for (let i = 0; i < indexed.length; i += 2) {
      const k = traceId + '\u0000' + indexed[i] + '\u0000' + indexed[i + 1];
      if (seen.has(k)) continue;
      seen.add(k);
      attributeValues.push([traceId, indexed[i], indexed[i + 1]]);
    }
    indexed.length = 0;
  }
  return { rows, attributeValues };
}
