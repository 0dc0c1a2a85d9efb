/**
 * The execution record: one row of execution_data read back, converted from DuckDB's row
 * object in one place. Times stay nanoseconds (bigint); query/ turns records into the API's
 * wire types. Spans and log records are the span model's (span-model/decode.ts); their record
 * types are named here too, for the read models that return all three.
 */
import { STATED_EXECUTION_STATUSES } from './span-status-sql.js';

export type { LogRecord, SpanRecord } from './span-model/decode.js';

export interface ExecutionRecord {
  traceId: string;
  rootSpanId: string | null;
  /**
   * The root's parent, which is not in the trace: the trace continues one from elsewhere (a
   * remote parent, or one that never arrived). null when the root has no parent.
   */
  rootParentSpanId: string | null;
  rootName: string | null;
  rootFinished: boolean;
  rootStarted: boolean;
  /** OTLP status code of the finished root. */
  rootStatusCode: number | null;
  /** flow.execution.status of the finished root. */
  rootFlowStatus: string | null;
  /** Derived: running, success, error, cancelled, timed_out, abandoned. */
  status: string;
  serviceName: string;
  executionKind: string | null;
  flowId: string | null;
  flowName: string | null;
  flowVersion: string | null;
  triggerType: string | null;
  userId: string | null;
  errorNodeId: string | null;
  errorMessage: string | null;
  startNs: bigint;
  endNs: bigint | null;
  minStartNs: bigint;
  maxStartNs: bigint;
  spanCount: number;
  errorCount: number;
  lastSeenNs: bigint;
}

type Row = Record<string, unknown>;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(Number(v ?? 0)));
const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : big(v));
const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v ?? 0));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

/** From a row of execution_data (plus a derived `status` column). */
export function executionRecordFromRow(row: Row): ExecutionRecord {
  return {
    traceId: String(row.trace_id),
    rootSpanId: str(row.root_span_id),
    rootParentSpanId: str(row.root_parent_span_id),
    rootName: str(row.root_name),
    rootFinished: row.root_finished === true,
    rootStarted: row.root_started === true,
    rootStatusCode: numOrNull(row.root_status_code),
    rootFlowStatus: str(row.root_flow_status),
    status: str(row.status) ?? (row.root_finished === true ? deriveFinishedStatus(row) : 'running'),
    serviceName: String(row.service_name),
    executionKind: str(row.execution_kind),
    flowId: str(row.flow_id),
    flowName: str(row.flow_name),
    flowVersion: str(row.flow_version),
    triggerType: str(row.trigger_type),
    userId: str(row.user_id),
    errorNodeId: str(row.error_node_id),
    errorMessage: str(row.error_message),
    startNs: big(row.start_ns),
    endNs: bigOrNull(row.end_ns),
    minStartNs: big(row.min_start_ns),
    maxStartNs: big(row.max_start_ns),
    spanCount: num(row.span_count),
    errorCount: num(row.error_count),
    lastSeenNs: big(row.last_seen_ns),
  };
}

function deriveFinishedStatus(row: Row): string {
  const flowStatus = str(row.root_flow_status);
  if (flowStatus && STATED_EXECUTION_STATUSES.includes(flowStatus)) return flowStatus;
  return num(row.root_status_code) === 2 ? 'error' : 'success';
}
