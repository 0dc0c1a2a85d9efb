/**
 * The contract's root for the executions the rollup cannot root alone. The materialized view
 * sees one inserted block at a time and cannot ask whether a span's parent is stored, so a trace
 * without a parentless span is rooted there at its earliest span — right unless a child started
 * before its parent (clock skew between services), when the contract's root is the earliest span
 * whose parent is NOT in the trace. Every read of executions passes its records through here:
 * the ones rooted under a parent (rare: traces continued from elsewhere) are checked with one
 * primary-key lookup of those parents, and only when a parent is in the trace after all is the
 * trace read (ids, parents, starts) and rooted again as storage/writer/execution-merge.ts does.
 * Filters the list evaluated in SQL saw the rollup's root (a documented difference in that
 * rare case); what is returned is the contract's.
 */
import { STATED_EXECUTION_STATUSES } from '../span-status-sql.js';
import type { ExecutionRecord } from '../records.js';
import { pairsParam, type ClickHouseConnection, type Row } from './connection.js';
import { spanRecordOf } from './span-rows.js';
import type { Tables } from './tables.js';

const STATED = new Set(STATED_EXECUTION_STATUSES);

interface Candidate {
  spanId: string;
  parent: string;
  start: bigint;
  running: boolean;
}

/** a before b: without a parent, then earliest, then span id, then finished over its running mark. */
const before = (a: Candidate, b: Candidate): boolean =>
  (a.parent === '') !== (b.parent === '') ? a.parent === '' : a.start !== b.start ? a.start < b.start : a.spanId !== b.spanId ? a.spanId < b.spanId : !a.running && b.running;

/** The contract's root span id of a trace from its spans' ids, parents and starts. */
function rootOf(spans: Candidate[]): string | undefined {
  const ids = new Set(spans.map((s) => s.spanId));
  let best: Candidate | undefined;
  for (const s of spans) if ((s.parent === '' || !ids.has(s.parent)) && (!best || before(s, best))) best = s;
  // Parent links in a cycle: the earliest span stands in.
  for (const s of best ? [] : spans) if (!best || s.start < best.start) best = s;
  return best?.spanId;
}

export async function reroot(conn: ClickHouseConnection, t: Tables, records: ExecutionRecord[], abandonAfterMs: number): Promise<ExecutionRecord[]> {
  const suspects = records.filter((r) => r.rootParentSpanId !== null);
  if (suspects.length === 0) return records;
  const found = await conn.query(
    `SELECT DISTINCT trace_id FROM ${t.spans} WHERE trace_id IN {ids:Array(String)} AND (trace_id, span_id) IN {pairs:Array(Tuple(String, String))}`,
    { ids: suspects.map((r) => r.traceId), pairs: pairsParam(suspects.map((r) => [r.traceId, r.rootParentSpanId!] as const)) },
  );
  if (found.length === 0) return records;
  const skewed = found.map((r) => String(r.trace_id));
  const spans = await conn.query(
    `SELECT trace_id, span_id, parent_span_id, start_ns, end_ns FROM ${t.spans} WHERE trace_id IN {ids:Array(String)}
     ORDER BY trace_id, span_id, version DESC LIMIT 1 BY trace_id, span_id`, { ids: skewed },
  );
  const byTrace = new Map<string, Row[]>();
  for (const s of spans) byTrace.set(String(s.trace_id), [...(byTrace.get(String(s.trace_id)) ?? []), s]);
  const roots = skewed.flatMap((id) => {
    const root = rootOf((byTrace.get(id) ?? []).map((s) => ({
      spanId: String(s.span_id), parent: String(s.parent_span_id), start: BigInt(s.start_ns as string), running: s.end_ns === null,
    })));
    return root === undefined ? [] : [[id, root] as const];
  });
  const rootRows = await conn.query(
    `SELECT * FROM ${t.spans} WHERE trace_id IN {ids:Array(String)} AND (trace_id, span_id) IN {pairs:Array(Tuple(String, String))}
     ORDER BY trace_id, span_id, version DESC LIMIT 1 BY trace_id, span_id`, { ids: skewed, pairs: pairsParam(roots) },
  );
  const rootByTrace = new Map(rootRows.map((r) => [String(r.trace_id), spanRecordOf(r)]));
  const maxEnd = (id: string): bigint | null => (byTrace.get(id) ?? []).reduce<bigint | null>((m, s) => {
    const end = s.end_ns === null ? null : BigInt(s.end_ns as string);
    return end !== null && (m === null || end > m) ? end : m;
  }, null);
  const silentSince = BigInt(Date.now() - abandonAfterMs) * 1_000_000n;
  return records.map((e) => {
    const root = rootByTrace.get(e.traceId);
    if (!root) return e;
    const finished = root.endTimeUnixNano !== null;
    const flowStatus = finished ? root.flowStatus : null;
    return {
      ...e,
      rootSpanId: root.spanId, rootParentSpanId: root.parentSpanId, rootName: root.name, rootFinished: finished, rootStarted: true,
      rootStatusCode: finished ? root.statusCode : null, rootFlowStatus: flowStatus, serviceName: root.serviceName,
      executionKind: root.executionKind, flowId: root.flowId, flowName: root.flowName, flowVersion: root.flowVersion,
      triggerType: root.triggerType, userId: root.userId, errorNodeId: finished ? root.errorNodeId : null,
      errorMessage: (finished && root.statusCode === 2 ? (root.exceptionMessage ?? root.statusMessage) : null) ?? e.errorMessage,
      startNs: root.startTimeUnixNano, endNs: finished ? root.endTimeUnixNano : maxEnd(e.traceId),
      status: !finished ? (e.lastSeenNs < silentSince ? 'abandoned' : 'running')
        : flowStatus !== null && STATED.has(flowStatus) ? flowStatus : root.statusCode === 2 ? 'error' : 'success',
    };
  });
}
