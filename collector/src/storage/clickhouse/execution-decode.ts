/**
 * A merged rollup row (execution-rows-sql.ts mergedRowsSql) as the execution record, decoded in
 * JavaScript: the same fields and status executionRowsSql derives in SQL, without its ~60
 * expressions to plan. The best root is the finished copy of the least-ranked span when the trace
 * has one (its running mark may carry another start), else the least-ranked span.
 */
import type { ExecutionRecord } from '../records.js';
import type { Row } from './connection.js';
import { STATED } from './execution-rows-sql.js';
import { decodeRoot } from './rollup-sql.js';

const STATED_SET: ReadonlySet<string> = new Set(STATED);

/** The record of a merged row; `abandonAfterNs`: a running execution silent longer (server clock) is abandoned. */
export function executionOfMerged(row: Row, abandonAfterNs: bigint): ExecutionRecord {
  const root = decodeRoot(String(row.root));
  const finishedRoot = decodeRoot(String(row.finished_root));
  if (root === null) throw new Error(`the rollup row of trace ${String(row.trace_id)} has no root`);
  const best = finishedRoot !== null && finishedRoot.spanId === root.spanId ? finishedRoot : root;
  const finished = best.finished;
  const lastSeenNs = BigInt(row.last_seen_ns as string);
  const maxEnd = BigInt(row.max_end_ns as string);
  const firstError = String(row.first_error);
  const status = !finished
    ? (lastSeenNs < BigInt(row.server_now as string) - abandonAfterNs ? 'abandoned' : 'running')
    : best.flowStatus !== null && STATED_SET.has(best.flowStatus) ? best.flowStatus
      : best.statusCode === 2 ? 'error' : 'success';
  return {
    traceId: String(row.trace_id),
    rootSpanId: best.spanId,
    rootParentSpanId: best.parentSpanId === '' ? null : best.parentSpanId,
    rootName: best.name,
    rootFinished: finished,
    rootStarted: true,
    rootStatusCode: finished ? best.statusCode : null,
    rootFlowStatus: finished ? best.flowStatus : null,
    status,
    serviceName: best.serviceName,
    executionKind: best.executionKind,
    flowId: best.flowId,
    flowName: best.flowName,
    flowVersion: best.flowVersion,
    triggerType: best.triggerType,
    userId: best.userId,
    errorNodeId: finished ? best.errorNodeId : null,
    errorMessage: (finished ? best.message : null) ?? (firstError === '' ? null : firstError),
    startNs: BigInt(best.startNs),
    endNs: finished ? (best.endNs === null ? null : BigInt(best.endNs)) : maxEnd === 0n ? null : maxEnd,
    minStartNs: BigInt(row.min_start_ns as string),
    maxStartNs: BigInt(row.max_start_ns as string),
    spanCount: Number(row.span_count),
    errorCount: Number(row.error_count),
    lastSeenNs,
  };
}
