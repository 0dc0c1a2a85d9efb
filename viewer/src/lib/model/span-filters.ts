/**
 * Span filters of the trace view (as Grafana's trace view has them): keep the spans of a
 * service, within a duration range, carrying attribute key = value. Pure: the filter is a
 * predicate over outline spans, the attribute part decided by the span ids the collector
 * found (the outline has no attributes). Ancestors of kept spans stay so the tree still reads
 * (row-states.ts does that for any filter).
 */
import type { SpanModel } from './types.js';

export interface SpanFilterSpec {
  /** '' for any. */
  service: string;
  minDurationMs: number | null;
  maxDurationMs: number | null;
  /** `key=value`, '' for none. */
  attribute: string;
}

export function emptySpanFilters(): SpanFilterSpec {
  return { service: '', minDurationMs: null, maxDurationMs: null, attribute: '' };
}

/** key and value of a `key=value` text, or null when it is not one. */
export function parseAttributeFilter(text: string): { key: string; value: string } | null {
  const at = text.indexOf('=');
  if (at <= 0) return null;
  return { key: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
}

export function isFiltering(f: SpanFilterSpec): boolean {
  return f.service !== '' || f.minDurationMs !== null || f.maxDurationMs !== null || parseAttributeFilter(f.attribute) !== null;
}

/**
 * The predicate of the filters, or null when none is set. `withAttribute` holds the ids of the
 * spans carrying the attribute (null while the collector has not answered: nothing passes).
 * A running span's duration counts up to `now`.
 */
export function spanFilterPredicate(
  f: SpanFilterSpec,
  withAttribute: ReadonlySet<string> | null,
  now: number,
): ((span: SpanModel) => boolean) | null {
  if (!isFiltering(f)) return null;
  const attribute = parseAttributeFilter(f.attribute) !== null;
  return (span) => {
    if (f.service !== '' && span.serviceName !== f.service) return false;
    const duration = (span.endMs ?? now) - span.startMs;
    if (f.minDurationMs !== null && duration < f.minDurationMs) return false;
    if (f.maxDurationMs !== null && duration > f.maxDurationMs) return false;
    if (attribute && !(withAttribute?.has(span.spanId) ?? false)) return false;
    return true;
  };
}

/** The services of a trace's spans, sorted, for the service choice. */
export function servicesOf(spans: readonly SpanModel[]): string[] {
  return [...new Set(spans.map((s) => s.serviceName))].sort();
}
