/**
 * Stored JSON → OTLP/JSON AnyValues and KeyValue lists (otlp/shapes.ts in its Json spelling), for
 * the exports (otlp-export.ts, otlp-logs-export.ts). Ingest rendered each AnyValue as JSON that
 * keeps its type (ingest/any-value-json.ts): integer tokens are intValue (decimal text, exact: json-int64.ts
 * parseJsonTyped), other numbers doubleValue (2.0 included), strings stringValue unless the row's
 * value types (otlp/value-types.ts) note them as bytes (→ bytesValue, base64) or as a NaN or
 * ±Infinity double, arrays arrayValue, objects kvlistValue, null an empty AnyValue. Rows written
 * before schema/014 stored whole doubles as integers: those come back as intValue.
 */
import type { AnyValue, Json, KeyValue } from '../otlp/shapes.js';
import { BYTES_TYPE, DOUBLE_TYPE, type TypeTree, type ValueTypes } from '../otlp/value-types.js';
import { parseJsonTyped, type JsonValue } from './json-int64.js';

/** An AnyValue and a KeyValue in OTLP/JSON's spelling (otlp/shapes.ts, the one declaration of OTLP's shapes). */
export type OtlpJsonAnyValue = AnyValue<Json>;
export type OtlpJsonKeyValue = KeyValue<Json>;

/** The tree of a member of an array or kvlist (by index or key), if the tree notes any. */
function member(tree: TypeTree | undefined, key: string): TypeTree | undefined {
  return tree !== undefined && typeof tree === 'object' && Object.hasOwn(tree, key) ? tree[key] : undefined;
}

/** A stored value (parsed with parseJsonTyped) and its type tree as an OTLP AnyValue. */
export function storedToAnyValue(v: JsonValue, tree?: TypeTree): OtlpJsonAnyValue {
  if (tree === BYTES_TYPE && typeof v === 'string') return { bytesValue: v };
  if (tree === DOUBLE_TYPE && typeof v === 'string') return { doubleValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (typeof v === 'number') return { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map((x, i) => storedToAnyValue(x, member(tree, String(i)))) } };
  if (v !== null && typeof v === 'object') return { kvlistValue: { values: storedKeyValues(v, tree) } };
  return {};
}

/** A stored attributes object (parsed) and its type tree as a KeyValue list. */
export function storedKeyValues(o: { [key: string]: JsonValue } | null | undefined, tree?: TypeTree): OtlpJsonKeyValue[] {
  const out: OtlpJsonKeyValue[] = [];
  if (o == null) return out;
  for (const key of Object.keys(o)) out.push({ key, value: storedToAnyValue(o[key], member(tree, key)) });
  return out;
}

/** Stored JSON text parsed with its number types; `fallback` for empty or broken text. */
export function parseStored<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  try {
    return parseJsonTyped(text) as T;
  } catch {
    return fallback; // stored text is written by ingest and is valid JSON; a broken row exports empty.
  }
}

/** A stored attributes JSON text and its type tree as a KeyValue list. */
export function attributesOf(text: string | null, tree?: TypeTree): OtlpJsonKeyValue[] {
  return storedKeyValues(parseStored<{ [key: string]: JsonValue } | null>(text, null), tree);
}

/** A row's value_types text, parsed (empty when NULL). */
export function valueTypesOf(text: string | null): ValueTypes {
  if (text === null) return {};
  try {
    return JSON.parse(text) as ValueTypes;
  } catch {
    return {};
  }
}

/** A plain JSON value (integers as numbers) as an OTLP AnyValue, for answers not read from stored rows. */
export function jsonToAnyValue(v: unknown): OtlpJsonAnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(jsonToAnyValue) } };
  if (v !== null && typeof v === 'object') return { kvlistValue: { values: objectToKeyValues(v as Record<string, unknown>) } };
  return {};
}

/** A plain JSON object as an OTLP KeyValue list. */
export function objectToKeyValues(o: Record<string, unknown> | null | undefined): OtlpJsonKeyValue[] {
  const out: OtlpJsonKeyValue[] = [];
  if (o == null) return out;
  for (const key of Object.keys(o)) out.push({ key, value: jsonToAnyValue(o[key]) });
  return out;
}
