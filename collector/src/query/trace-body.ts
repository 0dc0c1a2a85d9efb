/**
 * The body of GET /api/executions/:id — the execution, every span as Span JSON and the console
 * lines — built one of two ways. Both give the same JSON (test/storage/span-json.test.ts):
 * - a small trace reads its rows and converts them here: DuckDB plans the span-JSON SQL of
 *   span-json-sql.ts for ~20–30 ms (binding and optimising one expression of ~40 parts, redone
 *   for each prepared run), more than reading and converting a few hundred rows costs;
 * - a large trace has DuckDB render the JSON text, which crosses into JavaScript as one string
 *   instead of 100,000 row objects.
 * Measured on the 1M-span benchmark database, 20-span traces, 50 runs alternated in one process:
 * median 18.8 ms (rows) against 39.1 ms (DuckDB JSON).
 */
import type { ExecutionRecord, Storage } from '../storage/index.js';
import { executionDetailToWire, logToWire, spanToWire } from './to-wire.js';

/** Traces with at most this many spans are converted here rather than rendered by DuckDB. */
export const SMALL_TRACE_SPANS = 2_000;

/** The orphans of a trace: spans whose parent is not in it (a root with a remote parent does not count). */
function countOrphans(spanIds: string[], parentSpanIds: Array<string | null>, rootSpanId: string | null): number {
  const known = new Set(spanIds);
  let orphans = 0;
  parentSpanIds.forEach((parent, i) => {
    if (parent !== null && !known.has(parent) && spanIds[i] !== rootSpanId) orphans += 1;
  });
  return orphans;
}

/** The trace answer of an execution, as JSON text. */
export async function traceBody(storage: Storage, execution: ExecutionRecord): Promise<string> {
  if (execution.spanCount <= SMALL_TRACE_SPANS) {
    const { spans, logs } = await storage.traces.of(execution);
    const orphans = countOrphans(spans.map((s) => s.spanId), spans.map((s) => s.parentSpanId), execution.rootSpanId);
    const detail = executionDetailToWire(execution, spans.length, orphans);
    return JSON.stringify({ execution: detail, spans: spans.map(spanToWire), logs: logs.map(logToWire) });
  }
  const trace = await storage.traces.jsonOf(execution);
  const detail = executionDetailToWire(execution, trace.spanCount, countOrphans(trace.spanIds, trace.parentSpanIds, execution.rootSpanId));
  // Joined, not parsed and serialised again: what keeps a 100,000-span trace fast.
  return `{"execution":${JSON.stringify(detail)},"spans":[${trace.spansJson}],"logs":${JSON.stringify(trace.logs.map(logToWire))}}`;
}
