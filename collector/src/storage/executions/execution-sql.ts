/**
 * The SQL of one execution_data row that every read shares: its derived status (the
 * execution_status macro, and the same rule as plain column comparisons), its flow, its
 * duration, and the JSON path of an attribute key. Reads of executions, statistics, flow time
 * and the Grafana searches all build on these, so an execution has one status and one flow
 * whichever page shows it.
 */
import type { ExecutionRecord } from '../records.js';
import { STATED_EXECUTION_STATUSES, statusNotIn } from '../span-status-sql.js';

/** `$abandon_before` of STATUS_EXPR: a running execution silent since before it is abandoned. */
export function abandonBeforeNs(abandonAfterMs: number): bigint {
  return BigInt(Date.now()) * 1_000_000n - BigInt(abandonAfterMs) * 1_000_000n;
}

/** The derived status of an execution_data row; $abandon_before is a ns timestamp. */
export const STATUS_EXPR =
  'execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before)';

/** The root's flow status gives no terminal status of its own: the OTel status code decides. */
const NO_FLOW_STATUS = `(root_flow_status IS NULL OR ${statusNotIn('root_flow_status', STATED_EXECUTION_STATUSES)})`;

/**
 * `STATUS_EXPR = status` written as comparisons of plain columns, which DuckDB evaluates inside
 * the table scan (10M-span benchmark database, one flow's errors: 81 → 37 ms); undefined for a
 * status the macro never yields. Pinned to the macro by test/storage/execution-list-sql.test.ts.
 */
export function statusPredicate(status: string): string | undefined {
  switch (status) {
    case 'running': return '(NOT root_finished AND last_seen_ns >= $abandon_before)';
    case 'abandoned': return '(NOT root_finished AND last_seen_ns < $abandon_before)';
    case 'success': return `(root_finished AND (root_flow_status = 'success' OR (${NO_FLOW_STATUS} AND root_status_code IS DISTINCT FROM 2)))`;
    case 'error': return `(root_finished AND (root_flow_status = 'error' OR (${NO_FLOW_STATUS} AND root_status_code = 2)))`;
    case 'cancelled': return "(root_finished AND root_flow_status = 'cancelled')";
    case 'timed_out': return "(root_finished AND root_flow_status = 'timed_out')";
    default: return undefined;
  }
}

/** The flow of a plain OTel trace (no flow.name): its service and root span name. */
const PLAIN_FLOW = "service_name || ': ' || root_name";

/**
 * The flow of an execution_data row: its flow.name, else `service: root span name`, so that plain
 * traces of two services with the same root name are two flows (the SQL macro execution_flow of
 * schema/013 and flowOfExecution say the same).
 */
export const FLOW_OF_EXECUTION = `coalesce(flow_name, ${PLAIN_FLOW})`;

/** The flow of an execution record, as FLOW_OF_EXECUTION gives it in SQL. */
export function flowOfExecution(e: Pick<ExecutionRecord, 'flowName' | 'serviceName' | 'rootName'>): string | null {
  return e.flowName ?? (e.rootName === null ? null : `${e.serviceName}: ${e.rootName}`);
}

/**
 * `FLOW_OF_EXECUTION IN (names)` written so that DuckDB evaluates it inside the table scan.
 */
export function flowIn(names: string): string {
  return `(flow_name IN (${names}) OR (flow_name IS NULL AND ${PLAIN_FLOW} IN (${names})))`;
}

/** `FLOW_OF_EXECUTION` starts with the bound `prefix` (starts_with: no LIKE wildcards in user text). */
export function flowStartsWith(prefix: string): string {
  return `(starts_with(flow_name, ${prefix}) OR (flow_name IS NULL AND starts_with(${PLAIN_FLOW}, ${prefix})))`;
}

/** A flow filter value ending in `*` matches flows by the prefix before it. */
export function flowPrefix(value: string): string | undefined {
  return value.length > 1 && value.endsWith('*') ? value.slice(0, -1) : undefined;
}

/** An execution's duration as the list filters and sorts by it, ns (0 until something ends). */
export const DURATION_NS = '(coalesce(end_ns, start_ns) - start_ns)';

/** DURATION_NS of an execution record: what a duration-order cursor carries. */
export function durationNsOf(e: Pick<ExecutionRecord, 'startNs' | 'endNs'>): bigint {
  return (e.endNs ?? e.startNs) - e.startNs;
}

/** A JSON path for one attribute key, quoted so dotted keys stay one key. */
export function jsonPathForKey(key: string): string {
  return `$."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
