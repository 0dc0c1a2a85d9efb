/**
 * Safe payload serialisation: any value becomes JSON text that never throws and never grows
 * past its cap. Cycles, BigInt, Buffers, Errors, Dates, Maps, Sets, getters that throw and
 * huge strings are handled; secrets are redacted in the same pass (keys, string values, and
 * numbers that are card numbers). Writing stops as soon as
 * the cap is reached, so a 100 MB input costs about as much as a cap-sized one; a cut result
 * ends with TRUNCATION_MARKER (and is then no longer valid JSON, visibly so).
 */
import { MAX_DEPTH_VALUE, REDACTED_VALUE, TRUNCATION_MARKER } from '../conventions.js';
import type { Redactor } from './redact.js';

/** Options of {@link serializePayload}. */
export interface SerializeOptions {
  /** Cap on the result length in characters (the marker comes on top). */
  maxLength: number;
  redactor?: Redactor;
  /** Nesting deeper than this is written as "[Max depth]". Default 24. */
  maxDepth?: number;
}

const FULL = Symbol('full');

/** The text written so far; `push` throws FULL once it is longer than the cap. */
class Writer {
  out = '';
  /** Objects being written, outermost first (a cycle points back to one of them); made at the first object. */
  ancestors: object[] | undefined = undefined;
  constructor(readonly max: number, readonly redactor: Redactor | undefined, readonly maxDepth: number) {}

  push(s: string): void {
    this.out += s;
    if (this.out.length > this.max) throw FULL;
  }

  string(s: string): void {
    const room = this.max - this.out.length + 1;
    let text = s.length > room ? s.slice(0, room) : s;
    if (this.redactor) text = this.redactor.redactText(text);
    this.push(NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`);
  }
}

/** What JSON.stringify escapes in a string: quote, backslash, control characters, surrogates (lone ones; pairs pass too). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Serialises a value to capped, redacted JSON text. Returns undefined for `undefined`
 * (so the caller can leave the attribute out). Never throws.
 */
export function serializePayload(value: unknown, options: SerializeOptions): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') { // common outputs: no writer needed
    const text = typeof value === 'boolean' ? (value ? 'true' : 'false') : numberText(value, options.redactor);
    return text.length > options.maxLength ? text.slice(0, options.maxLength) + TRUNCATION_MARKER : text;
  }
  const w = new Writer(options.maxLength, options.redactor, options.maxDepth ?? 24);
  try {
    write(w, value, 0);
    return w.out;
  } catch (e) {
    if (e !== FULL) return '"[Unserializable]"';
    return w.out.slice(0, options.maxLength) + TRUNCATION_MARKER;
  }
}

/** Caps and redacts a plain text (console lines, TCP data). Never throws. */
export function capText(text: string, maxLength: number, redactor?: Redactor): string {
  let t = text.length > maxLength ? text.slice(0, maxLength) : text;
  if (redactor) t = redactor.redactText(t);
  return text.length > maxLength ? t + TRUNCATION_MARKER : t;
}

/** A number as JSON text: `"[REDACTED]"` for a card number, a string for NaN and ±Infinity. */
function numberText(n: number, redactor: Redactor | undefined): string {
  if (!Number.isFinite(n)) return JSON.stringify(String(n));
  return redactor !== undefined && redactor.isSecretNumber(n) ? REDACTED_JSON : String(n);
}

function write(w: Writer, v: unknown, depth: number): void {
  switch (typeof v) {
    case 'string': return w.string(v);
    case 'number': return w.push(numberText(v, w.redactor));
    case 'boolean': return w.push(v ? 'true' : 'false');
    case 'bigint': return w.string(v.toString()); // a decimal string, scrubbed like any other (a card number as BigInt)
    case 'undefined': return w.push('null');
    case 'symbol': return w.string(v.toString());
    case 'function': return w.string(`[Function ${v.name || 'anonymous'}]`);
    default: break;
  }
  if (v === null) return w.push('null');
  const obj = v as object;
  const ancestors = (w.ancestors ??= []);
  if (ancestors.includes(obj)) return w.string('[Circular]');
  if (depth >= w.maxDepth) return w.string(MAX_DEPTH_VALUE);
  ancestors.push(obj);
  try {
    writeObject(w, obj, depth + 1);
  } finally {
    ancestors.pop();
  }
}

function writeObject(w: Writer, obj: object, depth: number): void {
  if (Array.isArray(obj)) return writeArray(w, obj, depth);
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    if (obj instanceof Date) return w.string(Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString());
    if (obj instanceof Uint8Array) return writeBytes(w, obj);
    if (obj instanceof ArrayBuffer) return writeBytes(w, new Uint8Array(obj));
    if (ArrayBuffer.isView(obj)) return writeArray(w, obj as unknown as ArrayLike<unknown>, depth);
    if (obj instanceof Set) return writeArray(w, Array.from(obj), depth);
    if (obj instanceof Map) return writeMap(w, obj, depth);
    if (obj instanceof Error) return writeError(w, obj, depth);
    if (obj instanceof RegExp) return w.string(obj.toString());
    if (obj instanceof Promise) return w.string('[Promise]');
    if (obj instanceof WeakMap || obj instanceof WeakSet) return w.string('[WeakCollection]');
  }
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    let replaced: unknown;
    try { replaced = toJSON.call(obj); } catch { return w.string('[Unserializable]'); }
    if (replaced !== obj) return write(w, replaced, depth);
  }
  w.push('{');
  let first = true;
  for (const key of Object.keys(obj)) {
    let value: unknown;
    try { value = (obj as Record<string, unknown>)[key]; } catch { value = '[Unserializable]'; }
    first = writeEntry(w, key, value, depth, first);
  }
  w.push('}');
}

/** Writes `"key":value` (after a comma unless first); skips undefined and functions. Returns whether the next is first. */
function writeEntry(w: Writer, key: string, value: unknown, depth: number, first: boolean): boolean {
  if (value === undefined || typeof value === 'function') return first;
  if (!first) w.push(',');
  w.push(keyText(key));
  if (w.redactor && w.redactor.isSecretKey(key)) w.push(REDACTED_JSON);
  else write(w, value, depth);
  return false;
}

const REDACTED_JSON = JSON.stringify(REDACTED_VALUE);

/** `"key":` of recent keys: payloads repeat their keys, and escaping one costs more than a lookup. */
const keyTexts = new Map<string, string>();
const KEY_TEXTS_LIMIT = 4096;

function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    if (keyTexts.size >= KEY_TEXTS_LIMIT) keyTexts.clear();
    text = `${JSON.stringify(key)}:`;
    keyTexts.set(key, text);
  }
  return text;
}

function writeBytes(w: Writer, bytes: Uint8Array): void {
  const room = Math.max(0, Math.ceil((w.max - w.out.length) * 0.75) + 3);
  const shown = bytes.length > room ? bytes.subarray(0, room) : bytes;
  w.push(`{"type":"Buffer","length":${bytes.length},"base64":`);
  w.push(JSON.stringify(Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('base64')));
  w.push('}');
}

function writeArray(w: Writer, arr: ArrayLike<unknown>, depth: number): void {
  w.push('[');
  for (let i = 0; i < arr.length; i++) {
    if (i > 0) w.push(',');
    let item: unknown;
    try { item = arr[i]; } catch { item = '[Unserializable]'; }
    write(w, item, depth);
  }
  w.push(']');
}

function writeMap(w: Writer, map: Map<unknown, unknown>, depth: number): void {
  w.push('{');
  let first = true;
  for (const [k, v] of map) first = writeEntry(w, typeof k === 'string' ? k : mapKeyText(k), v, depth, first);
  w.push('}');
}

function mapKeyText(k: unknown): string {
  if (k !== null && typeof k === 'object') return Object.prototype.toString.call(k);
  return String(k);
}

function writeError(w: Writer, err: Error, depth: number): void {
  w.push('{');
  let first = writeEntry(w, 'name', err.name, depth, true);
  first = writeEntry(w, 'message', err.message, depth, first);
  if (err.stack) first = writeEntry(w, 'stack', err.stack, depth, first);
  const keys = Object.keys(err);
  for (const k of keys) {
    if (k === 'name' || k === 'message' || k === 'stack') continue;
    let value: unknown;
    try { value = (err as unknown as Record<string, unknown>)[k]; } catch { value = '[Unserializable]'; }
    first = writeEntry(w, k, value, depth, first);
  }
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined && !keys.includes('cause')) writeEntry(w, 'cause', cause, depth, first);
  w.push('}');
}
