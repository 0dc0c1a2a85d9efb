/**
 * A parsed TraceQL selector → storage's span condition (storage/span-search-sql.ts renders it as
 * parameterised SQL). This is where a value is checked against its field: status takes error,
 * ok or unset with = or !=; kind a kind keyword; duration a duration; name and statusMessage
 * text; attributes text, numbers or booleans. A mismatch is a TraceQLError, answered 400.
 */
import type { CompareOp, SpanCondition, SpanField, SpanValue } from '../storage/index.js';
import { KIND_KEYWORDS, STATUS_KEYWORDS, TraceQLError, type TraceQLExpr, type TraceQLField, type TraceQLValue } from './traceql.js';

const STATUS_CODES: Record<string, number> = { unset: 0, ok: 1, error: 2 };
const ORDERING = new Set<CompareOp>(['>', '<', '>=', '<=']);
const MATCHING = new Set<CompareOp>(['=~', '!~']);

/** The OTLP kind number of a kind keyword. */
export function kindNumber(keyword: string): number | undefined {
  const i = (KIND_KEYWORDS as readonly string[]).indexOf(keyword);
  return i < 0 ? undefined : i;
}

const show = (v: TraceQLValue): string =>
  v.type === 'string' ? JSON.stringify(v.value) : v.type === 'duration' ? `${v.ns}ns` : String(v.value);

function refuse(message: string): never {
  throw new TraceQLError(message, 0);
}

function fieldName(f: TraceQLField): string {
  return f.kind === 'intrinsic' ? f.name : `${f.scope === 'any' ? '' : f.scope}.${f.key}`;
}

function compare(field: TraceQLField, op: CompareOp, value: TraceQLValue): SpanCondition {
  const name = fieldName(field);
  const only = (ops: CompareOp[]): void => {
    if (!ops.includes(op)) refuse(`${name} takes ${ops.join(' or ')}, not ${op}`);
  };
  if (field.kind === 'intrinsic') {
    switch (field.name) {
      case 'status':
        only(['=', '!=']);
        if (value.type !== 'keyword' || !(STATUS_KEYWORDS as readonly string[]).includes(value.value)) refuse(`status compares with error, ok or unset, not ${show(value)}`);
        return { field: { intrinsic: 'status' }, op, value: STATUS_CODES[value.value] };
      case 'kind': {
        only(['=', '!=']);
        const n = value.type === 'keyword' ? kindNumber(value.value) : undefined;
        if (n === undefined) refuse(`kind compares with ${KIND_KEYWORDS.join(', ')}, not ${show(value)}`);
        return { field: { intrinsic: 'kind' }, op, value: n };
      }
      case 'duration':
        if (value.type !== 'duration') refuse(`duration compares with a duration such as 100ms or 1.5s, not ${show(value)}`);
        if (MATCHING.has(op)) refuse('duration cannot be matched with a regular expression');
        return { field: { intrinsic: 'duration' }, op, value: value.ns };
      case 'name':
      case 'statusMessage':
        if (value.type !== 'string') refuse(`${field.name} compares with a "string", not ${show(value)}`);
        return { field: { intrinsic: field.name }, op, value: value.value };
    }
  }
  const target: SpanField = { attribute: field.key, scope: field.scope };
  let v: SpanValue;
  switch (value.type) {
    case 'string': v = value.value; break;
    case 'number':
      if (MATCHING.has(op)) refuse(`${op} takes a "regular expression", not a number`);
      v = value.value;
      break;
    case 'bool':
      only(['=', '!=']);
      v = value.value;
      break;
    default:
      refuse(`${name} compares with a "string", a number or true/false, not ${show(value)}`);
  }
  if (ORDERING.has(op) && typeof v === 'boolean') refuse(`${op} does not order true/false`);
  return { field: target, op, value: v };
}

/** The storage condition of a parsed selector; undefined for `{}`. */
export function toSpanCondition(expr: TraceQLExpr | null): SpanCondition | undefined {
  if (expr === null) return undefined;
  const walk = (e: TraceQLExpr): SpanCondition => {
    if (e.type === 'compare') return compare(e.field, e.op, e.value);
    // Nested ands (or ors) flatten into one list: a && b && c is written left-deep.
    const parts = [e.left, e.right].flatMap((x) => (x.type === e.type ? (walk(x) as { and?: SpanCondition[]; or?: SpanCondition[] })[e.type]! : [walk(x)]));
    return e.type === 'and' ? { and: parts } : { or: parts };
  };
  return walk(expr);
}

/** The regular expressions of a condition (checked by the database before a search runs). */
export function patternsOf(condition: SpanCondition | undefined): string[] {
  if (condition === undefined) return [];
  if ('and' in condition) return condition.and.flatMap(patternsOf);
  if ('or' in condition) return condition.or.flatMap(patternsOf);
  return MATCHING.has(condition.op) ? [String(condition.value)] : [];
}

/** The attribute keys a selector names, by scope: what a search result shows of each matching span. */
export function attributeKeysOf(expr: TraceQLExpr | null): Array<{ scope: 'span' | 'resource' | 'any'; key: string }> {
  if (expr === null) return [];
  if (expr.type !== 'compare') return [...attributeKeysOf(expr.left), ...attributeKeysOf(expr.right)];
  return expr.field.kind === 'attribute' ? [{ scope: expr.field.scope, key: expr.field.key }] : [];
}
