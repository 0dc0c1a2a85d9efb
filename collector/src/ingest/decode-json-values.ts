/**
 * OTLP/JSON attribute lists (KeyValue / AnyValue) → the one decoded shape (otlp/shapes.ts),
 * which the protobuf decoder gives as it is: camelCase members (snake_case read as a fallback,
 * as OTLP/JSON allows), stringValue a string, boolValue a boolean, intValue an integer number
 * or decimal text in the int64 range, doubleValue a number (the texts "NaN", "Infinity",
 * "-Infinity" and decimal text read as numbers), bytesValue bytes (base64 read), arrayValue and
 * kvlistValue objects whose `values` is a list. A member of the wrong JSON type makes the body
 * undecodable (coded 400 naming the attribute), wherever it is nested.
 *
 * The parsed body is fresh and ours, so values are normalised in place: a value already in
 * the decoded form (the usual camelCase string, int or bool) costs a type check.
 */
import { errors } from '../errors.js';
import type { AnyValue, KeyValue } from '../otlp/shapes.js';
import { int64Token } from './ids-and-times.js';

type Obj = Record<string, unknown>;

/** The AnyValue members in the order a value is read (the first one set wins), camelCase and snake_case. */
const MEMBERS: ReadonlyArray<readonly [keyof AnyValue, string]> = [
  ['stringValue', 'string_value'], ['intValue', 'int_value'], ['doubleValue', 'double_value'], ['boolValue', 'bool_value'],
  ['arrayValue', 'array_value'], ['kvlistValue', 'kvlist_value'], ['bytesValue', 'bytes_value'],
];

/** A JSON number token (the grammar's), for doubles sent as text. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function bad(key: string, what: string): never {
  throw errors.FT_OTLP_UNDECODABLE(`attribute ${JSON.stringify(key)}: ${what}`);
}

/** The member a value holds: camelCase first, then snake_case; null when none is set. */
function memberOf(o: Obj): [keyof AnyValue, unknown] | null {
  for (let i = 0; i < MEMBERS.length; i++) {
    const x = o[MEMBERS[i][0]];
    if (x != null) return [MEMBERS[i][0], x];
  }
  for (let i = 0; i < MEMBERS.length; i++) {
    const x = o[MEMBERS[i][1]];
    if (x != null) return [MEMBERS[i][0], x];
  }
  return null;
}

function listOf(v: unknown, key: string): unknown[] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(key, 'arrayValue/kvlistValue must be an object');
  const values = (v as { values?: unknown }).values;
  if (values == null) return [];
  if (!Array.isArray(values)) bad(key, 'values must be an array');
  return values;
}

function doubleOf(v: unknown, key: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    if (JSON_NUMBER.test(v)) {
      const n = Number(v);
      if (Number.isFinite(n)) return n;
    }
  }
  return bad(key, 'doubleValue must be a number');
}

/** One AnyValue (of attribute `key`, for messages) in the decoded form; null for an absent value. */
export function anyValue(v: unknown, key: string): AnyValue | null {
  if (v == null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) bad(key, 'value must be an AnyValue object');
  const o = v as Obj;
  const m = memberOf(o);
  if (m === null) return o as AnyValue; // an empty value
  const [member, x] = m;
  let value: unknown = x;
  switch (member) {
    case 'stringValue':
      if (typeof x !== 'string') bad(key, 'stringValue must be a string');
      break;
    case 'intValue':
      if ((typeof x !== 'number' && typeof x !== 'string') || int64Token(x) === null) bad(key, 'intValue must be a 64-bit integer');
      break;
    case 'doubleValue':
      value = doubleOf(x, key);
      break;
    case 'boolValue':
      if (typeof x !== 'boolean') bad(key, 'boolValue must be true or false');
      break;
    case 'arrayValue': {
      const items = listOf(x, key);
      for (let i = 0; i < items.length; i++) items[i] = anyValue(items[i], key);
      break;
    }
    case 'kvlistValue': {
      const items = listOf(x, key);
      for (let i = 0; i < items.length; i++) {
        const kv = items[i] as { key?: unknown; value?: unknown } | null;
        if (typeof kv !== 'object' || kv === null || typeof kv.key !== 'string') bad(key, 'kvlist entries need a string key');
        kv.value = anyValue(kv.value, key);
      }
      break;
    }
    case 'bytesValue':
      if (typeof x !== 'string') bad(key, 'bytesValue must be base64 text');
      value = Buffer.from(x, 'base64');
      break;
  }
  if (o[member] !== value) {
    // A snake_case member, or a double or bytes given as text: the one decoded form from now on.
    for (const [camel, snake] of MEMBERS) {
      delete o[snake];
      if (camel !== member) delete o[camel];
    }
    o[member] = value;
  }
  return o as AnyValue;
}

/** A KeyValue list in the decoded form (null when absent); undecodable when it is not one. */
export function keyValues(v: unknown, path: string): KeyValue[] | null {
  if (v == null) return null;
  if (!Array.isArray(v)) throw errors.FT_OTLP_UNDECODABLE(`${path} must be an array of KeyValue`);
  for (let i = 0; i < v.length; i++) {
    const kv = v[i] as { key?: unknown; value?: unknown } | null;
    if (typeof kv !== 'object' || kv === null || typeof kv.key !== 'string') {
      throw errors.FT_OTLP_UNDECODABLE(`${path}[${i}]: attributes must be KeyValue objects with a string key`);
    }
    kv.value = anyValue(kv.value, kv.key);
  }
  return v as KeyValue[];
}
