/**
 * Jaeger's search parameters → storage's span condition. One span must satisfy all of them
 * together: service, operation, every tag, the duration bounds (and the time window, applied
 * by the search). Tags are compared as text with the span's attributes and its resource's;
 * the tags the Jaeger model derives from OTLP fields (error, span.kind, otel.status_code,
 * otel.status_description, otel.scope.name) are compared with those fields.
 * Bad input throws JaegerInputError, answered 400 in Jaeger's envelope.
 */
import type { SpanCondition } from '../storage/index.js';
import { GrafanaInputError } from './grafana-errors.js';
import { JAEGER_KINDS } from './jaeger-model.js';

export class JaegerInputError extends GrafanaInputError {}

const GO_DURATION = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h)/;
const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go duration (`1.2s`, `100ms`, `1h30m`, `500us`) in nanoseconds. */
export function parseGoDuration(text: string, name: string): bigint {
  let rest = text;
  let ns = 0;
  if (rest === '0') return 0n;
  if (rest === '') throw new JaegerInputError(`${name} is empty`);
  while (rest !== '') {
    const m = GO_DURATION.exec(rest);
    if (m === null) throw new JaegerInputError(`${name} must be a duration such as 100ms, 1.5s or 1h30m, got "${text.slice(0, 40)}"`);
    const unit = /(ns|us|µs|μs|ms|s|m|h)$/.exec(m[0])![1];
    ns += Number(m[0].slice(0, -unit.length)) * UNIT_NS[unit];
    rest = rest.slice(m[0].length);
  }
  if (!Number.isFinite(ns) || ns > 9.2e18) throw new JaegerInputError(`${name} is too long`);
  return BigInt(Math.round(ns));
}

/** The tags filter: a JSON object of strings (Grafana) and/or repeated `key:value` (older clients). */
export function parseTags(json: string | undefined, pairs: string[] | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (json !== undefined && json !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new JaegerInputError('tags must be a JSON object of strings, e.g. {"http.status_code":"200"}');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new JaegerInputError('tags must be a JSON object of strings');
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v !== 'string') throw new JaegerInputError(`tag ${JSON.stringify(k).slice(0, 80)} must have a string value`);
      out.push([k, v]);
    }
  }
  for (const pair of pairs ?? []) {
    const at = pair.indexOf(':');
    if (at <= 0) throw new JaegerInputError(`tag must be key:value, got "${pair.slice(0, 80)}"`);
    out.push([pair.slice(0, at), pair.slice(at + 1)]);
  }
  if (out.length > 50) throw new JaegerInputError('at most 50 tags');
  return out;
}

/** The condition of one Jaeger tag. */
function tagCondition(key: string, value: string): SpanCondition {
  const attribute: SpanCondition = { field: { attribute: key, scope: 'any' }, op: '=', value };
  switch (key) {
    case 'error':
      if (value === 'true') return { or: [{ field: { intrinsic: 'status' }, op: '=', value: 2 }, attribute] };
      if (value === 'false') return { and: [{ field: { intrinsic: 'status' }, op: '!=', value: 2 }] };
      return attribute;
    case 'span.kind': {
      const kind = (JAEGER_KINDS as readonly string[]).indexOf(value);
      return kind > 0 ? { field: { intrinsic: 'kind' }, op: '=', value: kind } : attribute;
    }
    case 'otel.status_code': {
      const code = { OK: 1, ERROR: 2 }[value.toUpperCase()];
      return code === undefined ? attribute : { field: { intrinsic: 'status' }, op: '=', value: code };
    }
    case 'otel.status_description':
      return { or: [{ field: { intrinsic: 'statusMessage' }, op: '=', value }, attribute] };
    case 'otel.scope.name':
      return { or: [{ field: { intrinsic: 'scopeName' }, op: '=', value }, attribute] };
    default:
      return attribute;
  }
}

export interface JaegerSearchInput {
  service?: string;
  operation?: string;
  tags: Array<[string, string]>;
  minDurationNs?: bigint;
  maxDurationNs?: bigint;
}

/** The one-span condition of a search; undefined when nothing narrows it. */
export function jaegerCondition(input: JaegerSearchInput): SpanCondition | undefined {
  if (input.minDurationNs !== undefined && input.maxDurationNs !== undefined && input.maxDurationNs < input.minDurationNs) {
    throw new JaegerInputError('maxDuration is shorter than minDuration');
  }
  const all: SpanCondition[] = [];
  if (input.service) all.push({ field: { intrinsic: 'service' }, op: '=', value: input.service });
  if (input.operation) all.push({ field: { intrinsic: 'name' }, op: '=', value: input.operation });
  if (input.minDurationNs !== undefined) all.push({ field: { intrinsic: 'duration' }, op: '>=', value: input.minDurationNs });
  if (input.maxDurationNs !== undefined) all.push({ field: { intrinsic: 'duration' }, op: '<=', value: input.maxDurationNs });
  for (const [k, v] of input.tags) all.push(tagCondition(k, v));
  return all.length === 0 ? undefined : { and: all };
}
