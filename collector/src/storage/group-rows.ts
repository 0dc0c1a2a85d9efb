/**
 * What the writer works out from a group's spans alone, without the database: identities of
 * spans and log lines, the group's spans each once, and which time range of span_data may hold
 * a copy of the group's spans. (The rows the spans become are span-model/encode.ts's.)
 *
 * A span's identity is (trace id, span id), whatever its times: a retry may carry another start
 * than the copy stored. A stored copy lies inside its trace's stored start range (execution_data
 * min_start_ns..max_start_ns, kept by the writer in the same transaction as the spans), so that
 * range — not the new copy's start — bounds the lookup.
 */
import type { ExecutionRecord } from './records.js';
import type { RecentSpanKeys } from './writer/recent-span-keys.js';
import type { IngestSpan } from './span-model/span.js';

/** The identity of a span: trace id and span id. */
export function spanKey(row: IngestSpan): string {
  return row.traceId + row.spanId;
}

/** The identity of a log line (a retried batch repeats it exactly). */
export function logKey(traceId: string, spanId: string, time: bigint, severity: number, body: string): string {
  return `${traceId}|${spanId}|${time}|${severity}|${body}`;
}

/** Keeps the first of each (trace id, span id) in the group. */
export function uniqueSpans(rows: IngestSpan[]): IngestSpan[] {
  const seen = new Set<string>();
  const out: IngestSpan[] = [];
  for (const row of rows) {
    const key = spanKey(row);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(row);
  }
  return out;
}

/** The smallest and largest of some values (at least one). */
export function minMax(values: bigint[]): [bigint, bigint] {
  let lo = values[0];
  let hi = values[0];
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * The start_ns range of span_data to search for stored copies of these spans, or null when none
 * can be stored: a span of a trace never stored is new, and so is one the recent keys vouch for
 * given its trace's stored range. The range is the union of the stored ranges of the traces
 * whose spans remain in doubt (usually one recent trace: a few row groups).
 */
export function storedRangeToSearch(
  spans: IngestSpan[], existing: ReadonlyMap<string, ExecutionRecord>, recent: RecentSpanKeys,
): [bigint, bigint] | null {
  let range: [bigint, bigint] | null = null;
  for (const s of spans) {
    const stored = existing.get(s.traceId);
    if (stored === undefined || recent.certainlyNew(s.traceId, s.spanId, stored.minStartNs)) continue;
    if (range === null) range = [stored.minStartNs, stored.maxStartNs];
    else {
      if (stored.minStartNs < range[0]) range[0] = stored.minStartNs;
      if (stored.maxStartNs > range[1]) range[1] = stored.maxStartNs;
    }
  }
  return range;
}
