/**
 * Safe payload serialisation: any value becomes JSON text that never throws and never grows
 * past its cap. Cycles, BigInt, Buffers, Errors, Dates, Maps, Sets, getters that throw and
 * huge strings are handled; secrets are redacted in the same pass. Writing stops as soon as
 * the cap is reached, so a 100 MB input costs about as much as a cap-sized one; a cut result
 * ends with TRUNCATION_MARKER (and is then no longer valid JSON, visibly so).
 */
import { REDACTED_VALUE, TRUNCATION_MARKER } from '../conventions.js';
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

class Writer {
  parts: string[] = [];
  length = 0;
  readonly ancestors = new Set<object>();
  constructor(readonly max: number, readonly redactor: Redactor | undefined, readonly maxDepth: number) {}

  push(s: string): void {
    this.parts.push(s);
    this.length += s.length;
    if (this.length > this.max) throw FULL;
  }

  string(s: string): void {
    const room = this.max - this.length + 1;
    let text = s.length > room ? s.slice(0, room) : s;
    if (this.redactor) text = this.redactor.redactText(text);
    this.push(JSON.stringify(text));
  }
}

/**
 * Serialises a value to capped, redacted JSON text. Returns undefined for `undefined`
 * (so the caller can leave the attribute out). Never throws.
 */
export function serializePayload(value: unknown, options: SerializeOptions): string | undefined {
  if (value === undefined) return undefined;
  const w = new Writer(options.maxLength, options.redactor, options.maxDepth ?? 24);
  try {
    write(w, value, 0);
    return w.parts.join('');
  } catch (e) {
    if (e !== FULL) return '"[Unserializable]"';
    return w.parts.join('').slice(0, options.maxLength) + TRUNCATION_MARKER;
  }
}

/** Caps and redacts a plain text (console lines, TCP data). Never throws. */
export function capText(text: string, maxLength: number, redactor?: Redactor): string {
  let t = text.length > maxLength ? text.slice(0, maxLength) : text;
  if (redactor) t = redactor.redactText(t);
  return text.length > maxLength ? t + TRUNCATION_MARKER : t;
}

function write(w: Writer, v: unknown, depth: number): void {
  switch (typeof v) {
    case 'string': return w.string(v);
    case 'number': return w.push(Number.isFinite(v) ? String(v) : JSON.stringify(String(v)));
    case 'boolean': return w.push(v ? 'true' : 'false');
    case 'bigint': return w.push(JSON.stringify(v.toString()));
    case 'undefined': return w.push('null');
    case 'symbol': return w.string(v.toString());
    case 'function': return w.string(`[Function ${v.name || 'anonymous'}]`);
    default: break;
  }
  if (v === null) return w.push('null');
  const obj = v as object;
  if (w.ancestors.has(obj)) return w.string('[Circular]');
  if (depth >= w.maxDepth) return w.string('[Max depth]');
  w.ancestors.add(obj);
  try {
    writeObject(w, obj, depth + 1);
  } finally {
    w.ancestors.delete(obj);
  }
}

function writeObject(w: Writer, obj: object, depth: number): void {
  if (obj instanceof Date) return w.string(Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString());
  if (obj instanceof Uint8Array) return writeBytes(w, obj);
  if (obj instanceof ArrayBuffer) return writeBytes(w, new Uint8Array(obj));
  if (Array.isArray(obj) || ArrayBuffer.isView(obj)) return writeArray(w, obj as ArrayLike<unknown>, depth);
  if (obj instanceof Set) return writeArray(w, Array.from(obj), depth);
  if (obj instanceof Map) return writeEntries(w, mapEntries(obj), depth);
  if (obj instanceof Error) return writeEntries(w, errorEntries(obj), depth);
  if (obj instanceof RegExp) return w.string(obj.toString());
  if (obj instanceof Promise) return w.string('[Promise]');
  if (obj instanceof WeakMap || obj instanceof WeakSet) return w.string('[WeakCollection]');
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    let replaced: unknown;
    try { replaced = toJSON.call(obj); } catch { return w.string('[Unserializable]'); }
    if (replaced !== obj) return write(w, replaced, depth);
  }
  writeEntries(w, ownEntries(obj), depth);
}

function writeBytes(w: Writer, bytes: Uint8Array): void {
  const room = Math.max(0, Math.ceil((w.max - w.length) * 0.75) + 3);
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

function writeEntries(w: Writer, entries: Iterable<[string, unknown]>, depth: number): void {
  w.push('{');
  let first = true;
  for (const [key, value] of entries) {
    if (value === undefined || typeof value === 'function') continue;
    if (!first) w.push(',');
    first = false;
    w.push(JSON.stringify(key));
    w.push(':');
    if (w.redactor && w.redactor.isSecretKey(key)) w.push(JSON.stringify(REDACTED_VALUE));
    else write(w, value, depth);
  }
  w.push('}');
}

function* ownEntries(obj: object): Iterable<[string, unknown]> {
  for (const key of Object.keys(obj)) {
    let value: unknown;
    try { value = (obj as Record<string, unknown>)[key]; } catch { value = '[Unserializable]'; }
    yield [key, value];
  }
}

function* mapEntries(map: Map<unknown, unknown>): Iterable<[string, unknown]> {
  for (const [k, v] of map) yield [typeof k === 'string' ? k : keyText(k), v];
}

function keyText(k: unknown): string {
  if (k !== null && typeof k === 'object') return Object.prototype.toString.call(k);
  return String(k);
}

function* errorEntries(err: Error): Iterable<[string, unknown]> {
  yield ['name', err.name];
  yield ['message', err.message];
  if (err.stack) yield ['stack', err.stack];
  for (const [k, v] of ownEntries(err)) if (k !== 'name' && k !== 'message' && k !== 'stack') yield [k, v];
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined && !Object.keys(err).includes('cause')) yield ['cause', cause];
}
