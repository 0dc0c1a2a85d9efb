/**
 * Which of a few spans are stored already (finished or running): the writer asks it for the
 * parents of spans that would take over an execution's root (execution-merge.ts
 * parentsToLookUp), which the group alone cannot tell. Looked up inside the start_ns range of
 * the executions concerned, so span_data's zone maps skip the rest of history.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SpanRef } from './writer/execution-merge.js';
import type { ExecutionRecord } from './records.js';

/** Pairs per statement: the SQL text grows with them (every value is a bound parameter). */
const CHUNK = 100;

/** traceId + spanId of the given spans that span_data or span_starts holds. */
export async function storedSpanKeys(
  connection: DuckDBConnection, refs: SpanRef[], executions: ReadonlyMap<string, ExecutionRecord>,
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < refs.length; i += CHUNK) {
    const chunk = refs.slice(i, i + CHUNK);
    const params: Record<string, string | bigint> = {};
    let lo: bigint | undefined;
    let hi: bigint | undefined;
    const pairs = chunk.map((ref, j) => {
      params[`t${j}`] = ref.traceId;
      params[`s${j}`] = ref.spanId;
      const e = executions.get(ref.traceId);
      if (e) {
        if (lo === undefined || e.minStartNs < lo) lo = e.minStartNs;
        if (hi === undefined || e.maxStartNs > hi) hi = e.maxStartNs;
      }
      return `(trace_id = $t${j} AND span_id = $s${j})`;
    }).join(' OR ');
    // A stored span of a stored execution starts inside its min_start_ns..max_start_ns.
    if (lo === undefined || hi === undefined) continue;
    params.lo = lo;
    params.hi = hi;
    const sql = `SELECT trace_id, span_id FROM span_data WHERE start_ns BETWEEN $lo AND $hi AND (${pairs})
      UNION ALL SELECT trace_id, span_id FROM span_starts WHERE ${pairs}`;
    const rows = (await connection.runAndReadAll(sql, params)).getRowObjectsJS();
    for (const r of rows) found.add(String(r.trace_id) + String(r.span_id));
  }
  return found;
}
