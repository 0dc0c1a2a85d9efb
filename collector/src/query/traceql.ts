/**
 * A parser for the subset of TraceQL that Grafana's Tempo query builder writes: one span
 * selector `{ … }` of comparisons joined by `&&` and `||` (with parentheses), e.g.
 * `{ resource.service.name = "api" && name = "GET /" && status = error && duration > 100ms }`.
 * `{}` matches every span. Fields: the intrinsics name, status, kind, duration, statusMessage
 * (also spelled span:name …), span attributes `span.key`, resource attributes `resource.key`,
 * and `.key` for either. Values: "strings" (or `raw`), numbers, durations, true/false, and the
 * status (error, ok, unset) and kind (server, client …) keywords.
 *
 * Anything else (pipelines, several selectors, structural operators, aggregates) is refused with
 * a TraceQLError that says what was found and where. Whether a value suits its field (a duration
 * for duration, a status for status) is checked by traceql-condition.ts, not here.
 */
import { SPAN_KIND_NAMES } from '@flowtrace/instrumentation/conventions';
import { GrafanaInputError } from './grafana-errors.js';

export type TraceQLOp = '=' | '!=' | '>' | '<' | '>=' | '<=' | '=~' | '!~';
export type Intrinsic = 'name' | 'status' | 'kind' | 'duration' | 'statusMessage';
export type TraceQLField =
  | { kind: 'intrinsic'; name: Intrinsic }
  | { kind: 'attribute'; scope: 'span' | 'resource' | 'any'; key: string };
export type TraceQLValue =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'duration'; ns: bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'keyword'; value: string };
export type TraceQLExpr =
  | { type: 'and' | 'or'; left: TraceQLExpr; right: TraceQLExpr }
  | { type: 'compare'; field: TraceQLField; op: TraceQLOp; value: TraceQLValue };

export class TraceQLError extends GrafanaInputError {
  constructor(message: string, readonly position: number) {
    super(`${message} (at character ${position + 1})`);
    this.name = 'TraceQLError';
  }
}

const INTRINSICS = new Set<string>(['name', 'status', 'kind', 'duration', 'statusMessage']);
/** Keywords a comparison may take as its value. */
export const STATUS_KEYWORDS = ['error', 'ok', 'unset'] as const;
/** TraceQL's kind keywords are OTel's kind names, in OTel's order (an index is the SpanKind number). */
export const KIND_KEYWORDS = SPAN_KIND_NAMES;
const KEYWORDS = new Set<string>([...STATUS_KEYWORDS, ...KIND_KEYWORDS]);
const UNIT_NS: Record<string, bigint> = { ns: 1n, us: 1_000n, µs: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
const OPS: readonly TraceQLOp[] = ['!=', '>=', '<=', '=~', '!~', '=', '>', '<']; // longest first

type Token =
  | { t: 'punct'; v: '{' | '}' | '(' | ')' | '&&' | '||'; at: number }
  | { t: 'op'; v: TraceQLOp; at: number }
  | { t: 'field'; v: TraceQLField; at: number }
  | { t: 'value'; v: TraceQLValue; at: number }
  | { t: 'end'; at: number };

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_.\-/]/;

/** Splits a query into tokens; refuses characters the subset has no use for. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    const at = i;
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||') { out.push({ t: 'punct', v: two, at }); i += 2; continue; }
    if ('{}()'.includes(c)) { out.push({ t: 'punct', v: c as '{', at }); i++; continue; }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) { out.push({ t: 'op', v: op, at }); i += op.length; continue; }
    if (c === '"' || c === '`') { const [s, next] = readString(text, i); out.push({ t: 'value', v: { type: 'string', value: s }, at }); i = next; continue; }
    if (/[0-9-]/.test(c)) { const [v, next] = readNumber(text, i); out.push({ t: 'value', v, at }); i = next; continue; }
    if (c === '.' || IDENT_START.test(c)) { const [token, next] = readWord(text, i); out.push(token); i = next; continue; }
    if (c === '|') throw new TraceQLError('pipelines (|) are not supported: write one selector { … }', at);
    throw new TraceQLError(`unexpected character "${c}"`, at);
  }
  out.push({ t: 'end', at: text.length });
  return out;
}

function readString(text: string, start: number): [string, number] {
  const quote = text[start];
  let i = start + 1;
  let s = '';
  while (i < text.length && text[i] !== quote) {
    if (quote === '"' && text[i] === '\\') {
      const e = text[i + 1];
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
      if (e === undefined || !(e in map)) throw new TraceQLError(`unknown escape "\\${e ?? ''}" in a string`, i);
      s += map[e];
      i += 2;
    } else {
      s += text[i++];
    }
  }
  if (i >= text.length) throw new TraceQLError('unterminated string', start);
  return [s, i + 1];
}

function readNumber(text: string, start: number): [TraceQLValue, number] {
  const m = /^-?(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)?(?![A-Za-z0-9_.])/.exec(text.slice(start));
  if (m === null) throw new TraceQLError('expected a number or a duration', start);
  const next = start + m[0].length;
  if (m[2] === undefined) return [{ type: 'number', value: Number(m[0]) }, next];
  if (m[0].startsWith('-')) throw new TraceQLError('a duration cannot be negative', start);
  // Exact for whole numbers; a fraction is rounded to the nanosecond.
  const [whole, frac = ''] = m[1].split('.');
  const unit = UNIT_NS[m[2]];
  const ns = BigInt(whole) * unit + (frac === '' ? 0n : BigInt(Math.round(Number(`0.${frac}`) * Number(unit))));
  return [{ type: 'duration', ns }, next];
}

function readWord(text: string, start: number): [Token, number] {
  let i = start;
  while (i < text.length && (IDENT_PART.test(text[i]) || text[i] === ':')) i++;
  let word = text.slice(start, i);
  // A quoted key: span."key with spaces", resource."a.b", ."x".
  if (word.endsWith('.') && text[i] === '"') {
    const [key, next] = readString(text, i);
    if (key === '') throw new TraceQLError('an attribute name cannot be empty', i);
    return [{ t: 'field', v: attributeField(word, key, start), at: start }, next];
  }
  if (word.startsWith('span:')) word = word.slice(5); // the newer spelling of intrinsics
  if (word === 'true' || word === 'false') return [{ t: 'value', v: { type: 'bool', value: word === 'true' }, at: start }, i];
  if (KEYWORDS.has(word)) return [{ t: 'value', v: { type: 'keyword', value: word }, at: start }, i];
  if (INTRINSICS.has(word)) return [{ t: 'field', v: { kind: 'intrinsic', name: word as Intrinsic }, at: start }, i];
  for (const prefix of ['span.', 'resource.', '.']) {
    if (word.startsWith(prefix) && word.length > prefix.length) return [{ t: 'field', v: attributeField(prefix, word.slice(prefix.length), start), at: start }, i];
  }
  throw new TraceQLError(`unknown field "${word.slice(0, 60)}": use name, status, kind, duration, statusMessage, span.<key>, resource.<key> or .<key>`, start);
}

function attributeField(prefix: string, key: string, at: number): TraceQLField {
  if (prefix === 'span.') return { kind: 'attribute', scope: 'span', key };
  if (prefix === 'resource.') return { kind: 'attribute', scope: 'resource', key };
  if (prefix === '.') return { kind: 'attribute', scope: 'any', key };
  throw new TraceQLError(`unknown attribute scope "${prefix}": use span., resource. or .`, at);
}

/** A query parsed: its condition, or null for `{}` (every span). */
export function parseTraceQL(text: string): TraceQLExpr | null {
  if (text.length > 10_000) throw new TraceQLError('the query is longer than 10,000 characters', 0);
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos];
  const describe = (t: Token): string => (t.t === 'end' ? 'the end of the query' : `"${text.slice(t.at, t.at + 20)}"`);
  const expectPunct = (v: string): void => {
    const t = tokens[pos];
    if (t.t !== 'punct' || t.v !== v) throw new TraceQLError(`expected "${v}" but found ${describe(t)}`, t.at);
    pos++;
  };

  const primary = (depth: number): TraceQLExpr => {
    const t = peek();
    if (t.t === 'punct' && t.v === '(') {
      if (depth > 50) throw new TraceQLError('too many nested parentheses', t.at);
      pos++;
      const inner = orExpr(depth + 1);
      expectPunct(')');
      return inner;
    }
    if (t.t !== 'field') throw new TraceQLError(`expected a field (name, status, span.key …) but found ${describe(t)}`, t.at);
    pos++;
    const op = peek();
    if (op.t !== 'op') throw new TraceQLError(`expected an operator (=, !=, >, <, >=, <=, =~, !~) after the field but found ${describe(op)}`, op.at);
    pos++;
    const value = peek();
    if (value.t !== 'value') throw new TraceQLError(`expected a value ("text", 42, 100ms, true, error …) but found ${describe(value)}`, value.at);
    pos++;
    return { type: 'compare', field: t.v, op: op.v, value: value.v };
  };
  const andExpr = (depth: number): TraceQLExpr => {
    let left = primary(depth);
    while (peek().t === 'punct' && (peek() as { v: string }).v === '&&') { pos++; left = { type: 'and', left, right: primary(depth) }; }
    return left;
  };
  const orExpr = (depth: number): TraceQLExpr => {
    let left = andExpr(depth);
    while (peek().t === 'punct' && (peek() as { v: string }).v === '||') { pos++; left = { type: 'or', left, right: andExpr(depth) }; }
    return left;
  };

  expectPunct('{');
  let expr: TraceQLExpr | null = null;
  const first = peek();
  if (!(first.t === 'punct' && first.v === '}')) expr = orExpr(0);
  expectPunct('}');
  const rest = peek();
  if (rest.t !== 'end') {
    throw new TraceQLError(`only one span selector { … } is supported; found ${describe(rest)} after it`, rest.at);
  }
  return expr;
}

/** One field as the tag APIs name it (`resource.service.name`, `span.http.method`, `.key`, `name`). */
export function parseTraceQLField(text: string): TraceQLField {
  const tokens = tokenize(text);
  const [field, end] = tokens;
  if (field?.t !== 'field' || end?.t !== 'end') throw new TraceQLError(`"${text.slice(0, 60)}" is not a field`, 0);
  return field.v;
}
