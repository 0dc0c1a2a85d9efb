/**
 * The type tree of one AnyValue whose JSON (any-value-json.ts) holds a value JSON cannot type:
 * bytes or a NaN/±Infinity double, at any depth (format: storage/value-types.ts). It walks the
 * value as anyValueToJson wrote it — the same oneof order, snake_case fallback, item and depth
 * caps — so every path names a value that is in the JSON. It runs only for the values
 * anyValueToJson counted in CutState.typed: never on the common path.
 */
import { BYTES_TYPE, DOUBLE_TYPE, type TypeTree } from '../storage/value-types.js';
import type { IngestCaps } from './ingest-caps.js';
import { wellFormed } from './well-formed.js';

type Shape = Record<string, unknown>;

const FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['stringValue', 'string_value'], ['intValue', 'int_value'], ['doubleValue', 'double_value'], ['boolValue', 'bool_value'],
  ['arrayValue', 'array_value'], ['kvlistValue', 'kvlist_value'], ['bytesValue', 'bytes_value'],
];

/** The oneof member anyValueToJson writes: camelCase first, then snake_case. */
function member(a: Shape): [string, unknown] | null {
  for (const [camel] of FIELDS) if (a[camel] != null) return [camel, a[camel]];
  for (const [camel, snake] of FIELDS) if (a[snake] != null) return [camel, a[snake]];
  return null;
}

function isNonFinite(v: unknown): boolean {
  return typeof v === 'number' ? !Number.isFinite(v) : v === 'NaN' || v === 'Infinity' || v === '-Infinity';
}

/** The type tree of `value` at nesting `depth`, or null when it holds no value JSON cannot type. */
export function typeTreeOf(value: unknown, caps: IngestCaps, depth: number): TypeTree | null {
  if (value === null || typeof value !== 'object') return null;
  const m = member(value as Shape);
  if (m === null) return null;
  const [field, x] = m;
  if (field === 'bytesValue') return BYTES_TYPE;
  if (field === 'doubleValue') return isNonFinite(x) ? DOUBLE_TYPE : null;
  if (field !== 'arrayValue' && field !== 'kvlistValue') return null;
  if (depth >= caps.maxDepth) return null; // written as the truncation marker
  const items = (x as { values?: unknown }).values;
  if (!Array.isArray(items)) return null;
  const n = Math.min(items.length, caps.maxValueItems);
  let tree: Record<string, TypeTree> | null = null;
  for (let i = 0; i < n; i++) {
    const item = items[i] as { key?: unknown; value?: unknown };
    const sub = typeTreeOf(field === 'arrayValue' ? item : item.value, caps, depth + 1);
    if (sub === null) continue;
    tree ??= {};
    tree[field === 'arrayValue' ? String(i) : wellFormed(String(item.key))] = sub;
  }
  return tree;
}
