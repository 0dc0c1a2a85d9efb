/**
 * The hot span fields (real columns) copied out of attributes, keyed by the attribute names of
 * the instrumentation conventions. Values are taken from scalar AnyValues: strings as they are,
 * numbers and booleans as text (flow.node.index as an integer).
 */
import { ATTR_NODE_INDEX } from '@flowtrace/instrumentation/conventions';
import { MOVABLE_ATTRIBUTES } from '../storage/moved-attributes.js';
import type { HotSpanFields } from '../storage/rows.js';
import { int64ToSafeNumber } from './ids-and-times.js';

type StringHotKey = Exclude<keyof HotSpanFields, 'nodeIndex'>;

/** Every hot attribute but flow.node.index (an integer), from the one list storage keeps. */
const HOT_STRING_KEYS = new Map<string, StringHotKey>(
  MOVABLE_ATTRIBUTES.filter((m) => m.field !== 'nodeIndex').map((m) => [m.key, m.field as StringHotKey]),
);

/** Hot fields, all null. */
export function emptyHotFields(): HotSpanFields {
  return {
    executionKind: null, flowId: null, flowName: null, flowVersion: null, triggerType: null,
    userId: null, nodeId: null, nodeName: null, nodeType: null, nodeIndex: null, flowStatus: null,
    errorNodeId: null,
  };
}

/** True when `key` is copied into a hot column. */
export function isHotKey(key: string): boolean {
  return key === ATTR_NODE_INDEX || HOT_STRING_KEYS.has(key);
}

/** Reads a scalar AnyValue (camelCase or snake_case) as a string or number; null otherwise. */
export function scalarOf(value: unknown): string | number | boolean | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const s = v.stringValue ?? v.string_value;
  if (typeof s === 'string') return s;
  const i = v.intValue ?? v.int_value;
  if (i != null) return int64ToSafeNumber(i);
  const d = v.doubleValue ?? v.double_value;
  if (typeof d === 'number') return d;
  const b = v.boolValue ?? v.bool_value;
  if (typeof b === 'boolean') return b;
  return null;
}

/**
 * Copies the attribute `key` = `value` into `hot` when the key is a hot key (first one wins);
 * `cap` cuts a text as the attribute's own value is cut.
 */
export function setHotField(hot: HotSpanFields, key: string, value: unknown, cap: (text: string) => string = (t) => t): void {
  if (key === ATTR_NODE_INDEX) {
    const n = scalarOf(value);
    if (hot.nodeIndex === null && typeof n === 'number' && Number.isInteger(n)) hot.nodeIndex = n;
    return;
  }
  const field = HOT_STRING_KEYS.get(key);
  if (field === undefined || hot[field] !== null) return;
  const s = scalarOf(value);
  if (s !== null) hot[field] = cap(String(s));
}
