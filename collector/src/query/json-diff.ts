/**
 * The JSON paths where two values differ, for the side-by-side input, output and error of a
 * compared pair. Objects are compared key by key, arrays index by index; a path names the
 * deepest place where the two differ ($ for the values themselves), `$.a["b c"][2]` style.
 * At most `max` paths (the first in document order).
 */
import {
  ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_TYPE, ATTR_FLOW_INPUT, ATTR_FLOW_OUTPUT, ATTR_NODE_INPUT, ATTR_NODE_OUTPUT, EVENT_EXCEPTION,
} from '@flowtrace/instrumentation/conventions';
import type { NodeStatus, Span } from '../api/wire-types.js';

/** The statuses that make a span's side of a comparison an error (conventions' names, typed so a renamed one fails to compile). */
const ERROR_STATUSES: ReadonlySet<NodeStatus> = new Set<NodeStatus>(['error', 'timed_out']);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const step = (key: string): string => (IDENT.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

/** Paths whose values differ between a and b. */
export function differingPaths(a: unknown, b: unknown, max = 200): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (out.length >= max) return;
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let k = 0; k < Math.max(x.length, y.length); k++) {
        if (k >= x.length || k >= y.length) out.push(`${path}[${k}]`);
        else walk(x[k], y[k], `${path}[${k}]`);
        if (out.length >= max) return;
      }
      return;
    }
    if (isObject(x) && isObject(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
      for (const key of keys) {
        if (!(key in x) || !(key in y)) out.push(path + step(key));
        else walk(x[key], y[key], path + step(key));
        if (out.length >= max) return;
      }
      return;
    }
    if (!Object.is(x, y)) out.push(path);
  };
  walk(a, b, '$');
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A payload attribute as JSON when it parses (captured payloads are JSON text), else the text itself. */
function payload(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** What a span took in, gave back and failed with, as the comparison shows them. */
export function spanFacts(span: Span | null): { input: unknown; output: unknown; error: unknown } {
  if (!span) return { input: null, output: null, error: null };
  const a = span.attributes;
  const exceptions = span.events
    .filter((e) => e.name === EVENT_EXCEPTION)
    .map((e) => ({ type: String(e.attributes[ATTR_EXCEPTION_TYPE] ?? 'Error'), message: String(e.attributes[ATTR_EXCEPTION_MESSAGE] ?? '') }));
  const failed = ERROR_STATUSES.has(span.status) || exceptions.length > 0;
  return {
    input: payload(a[ATTR_NODE_INPUT] ?? a[ATTR_FLOW_INPUT]),
    output: payload(a[ATTR_NODE_OUTPUT] ?? a[ATTR_FLOW_OUTPUT]),
    error: failed ? { status: span.status, message: span.statusMessage, exceptions } : null,
  };
}
