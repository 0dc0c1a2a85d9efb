/**
 * The type tree of one AnyValue whose JSON (any-value-json.ts) holds a value JSON cannot type:
 * bytes or a NaN/±Infinity double, at any depth (format: otlp/value-types.ts). It walks the
 * value as anyValueToJson renders it — the same member order, item and depth caps — so every
 * path names a value that is in the JSON. It runs only for the values anyValueToJson counted
 * in CutState.typed: never on the common path.
 */
import type { AnyValue } from '../otlp/shapes.js';
import { BYTES_TYPE, DOUBLE_TYPE, type TypeTree } from '../otlp/value-types.js';
import type { IngestCaps } from './ingest-caps.js';
import { wellFormed } from './well-formed.js';

/** The type tree of `value` at nesting `depth`, or null when it holds no value JSON cannot type. */
export function typeTreeOf(value: AnyValue | null | undefined, caps: IngestCaps, depth: number): TypeTree | null {
  if (value == null || value.stringValue != null || value.intValue != null) return null;
  if (value.doubleValue != null) return Number.isFinite(value.doubleValue) ? null : DOUBLE_TYPE;
  if (value.boolValue != null) return null;
  const array = value.arrayValue;
  const kvlist = array == null ? value.kvlistValue : null;
  if (array == null && kvlist == null) return value.bytesValue != null ? BYTES_TYPE : null;
  if (depth >= caps.maxDepth) return null; // rendered as the truncation marker
  const n = Math.min((array ?? kvlist)?.values?.length ?? 0, caps.maxValueItems);
  let tree: Record<string, TypeTree> | null = null;
  for (let i = 0; i < n; i++) {
    const sub = array != null ? typeTreeOf(array.values![i], caps, depth + 1) : typeTreeOf(kvlist!.values![i].value, caps, depth + 1);
    if (sub === null) continue;
    tree ??= {};
    tree[array != null ? String(i) : wellFormed(kvlist!.values![i].key)] = sub;
  }
  return tree;
}
