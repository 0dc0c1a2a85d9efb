/**
 * Folds one group commit's new spans into the execution rows they belong to: a pure
 * function, so the rules are tested without a database. The root of an execution is the
 * span without a parent, or the one carrying flow.execution.kind (a root may have a remote
 * parent). A finished root decides the execution's fields; before it arrives, a root start
 * mark does; before either, the earliest span names the execution.
 */
import type { ExecutionRecord } from './records.js';
import type { SpanRow } from './rows.js';

export interface MergedExecution extends ExecutionRecord {
  created: boolean;
  rootFinishedNow: boolean;
  rootStartedNow: boolean;
}

const ERROR_STATUSES = new Set(['error', 'timed_out']);
const FINISHED_STATUSES = new Set(['success', 'error', 'cancelled', 'timed_out']);

const isRoot = (s: SpanRow): boolean => s.parentSpanId === null || s.executionKind !== null;
const isError = (s: SpanRow): boolean => s.statusCode === 2 || (s.flowStatus !== null && ERROR_STATUSES.has(s.flowStatus));

/** What one group brings to one trace. */
interface GroupPart {
  traceId: string;
  root: SpanRow | undefined;
  rootFinished: boolean;
  earliest: SpanRow;
  firstErrorMessage: string | null;
  minStart: bigint;
  maxStart: bigint;
  maxEnd: bigint | null;
  spanDelta: number;
  errorDelta: number;
}

function groupByTrace(spans: SpanRow[], starts: SpanRow[], replacesStart: Set<string>): Map<string, GroupPart> {
  const parts = new Map<string, GroupPart>();
  const visit = (row: SpanRow, finished: boolean) => {
    let part = parts.get(row.traceId);
    if (!part) {
      part = {
        traceId: row.traceId, root: undefined, rootFinished: false, earliest: row, firstErrorMessage: null,
        minStart: row.startTimeUnixNano, maxStart: row.startTimeUnixNano, maxEnd: null, spanDelta: 0, errorDelta: 0,
      };
      parts.set(row.traceId, part);
    }
    if (row.startTimeUnixNano < part.earliest.startTimeUnixNano) part.earliest = row;
    if (row.startTimeUnixNano < part.minStart) part.minStart = row.startTimeUnixNano;
    if (row.startTimeUnixNano > part.maxStart) part.maxStart = row.startTimeUnixNano;
    if (isRoot(row) && (!part.root || (finished && !part.rootFinished))) {
      part.root = row;
      part.rootFinished = finished;
    }
    if (finished) {
      const end = row.endTimeUnixNano!;
      if (part.maxEnd === null || end > part.maxEnd) part.maxEnd = end;
      if (!replacesStart.has(row.traceId + row.spanId)) part.spanDelta += 1;
      if (isError(row)) {
        part.errorDelta += 1;
        part.firstErrorMessage ??= row.exceptionMessage ?? row.statusMessage;
      }
    } else {
      part.spanDelta += 1;
    }
  };
  for (const s of spans) visit(s, true);
  for (const s of starts) visit(s, false);
  return parts;
}

function statusOf(e: Pick<ExecutionRecord, 'rootFinished'>, rootStatusCode: number | null, rootFlowStatus: string | null): string {
  if (!e.rootFinished) return 'running';
  if (rootFlowStatus !== null && FINISHED_STATUSES.has(rootFlowStatus)) return rootFlowStatus;
  return rootStatusCode === 2 ? 'error' : 'success';
}

/** The execution row a group part makes on its own (a trace seen for the first time). */
function fresh(part: GroupPart, nowNs: bigint): MergedExecution {
  const root = part.root;
  const finished = part.rootFinished;
  const rootMessage = finished && root && root.statusCode === 2 ? (root.exceptionMessage ?? root.statusMessage) : null;
  const record: MergedExecution = {
    traceId: part.traceId,
    rootSpanId: root?.spanId ?? null,
    rootName: root?.name ?? part.earliest.name,
    rootFinished: finished,
    rootStarted: root !== undefined,
    rootStatusCode: finished ? root!.statusCode : null,
    rootFlowStatus: finished ? root!.flowStatus : null,
    status: 'running',
    serviceName: root?.serviceName ?? part.earliest.serviceName,
    executionKind: root?.executionKind ?? null,
    flowId: root?.flowId ?? null,
    flowName: root?.flowName ?? null,
    flowVersion: root?.flowVersion ?? null,
    triggerType: root?.triggerType ?? null,
    userId: root?.userId ?? null,
    errorNodeId: finished ? root!.errorNodeId : null,
    errorMessage: rootMessage ?? part.firstErrorMessage,
    startNs: root?.startTimeUnixNano ?? part.minStart,
    endNs: finished ? root!.endTimeUnixNano : part.maxEnd,
    minStartNs: part.minStart,
    maxStartNs: part.maxStart,
    spanCount: part.spanDelta,
    errorCount: part.errorDelta,
    lastSeenNs: nowNs,
    created: true,
    rootFinishedNow: finished,
    rootStartedNow: root !== undefined,
  };
  record.status = statusOf(record, record.rootStatusCode, record.rootFlowStatus);
  return record;
}

type Stored = ExecutionRecord;

const ROOT_FIELDS = [
  'rootSpanId', 'rootName', 'rootStatusCode', 'rootFlowStatus', 'executionKind', 'flowId', 'flowName',
  'flowVersion', 'triggerType', 'userId', 'errorNodeId',
] as const;

/** Merges the group into the stored row of the same trace. */
function merge(old: Stored, part: GroupPart, nowNs: bigint): MergedExecution {
  const next = fresh(part, nowNs);
  // The group's root fields win when it brings a finished root, or a root start while none finished.
  const takeNew = next.rootFinished || (next.rootStarted && !old.rootFinished);
  const merged: Stored = { ...old };
  const target = merged as unknown as Record<string, unknown>;
  for (const field of ROOT_FIELDS) {
    const a = (next as unknown as Record<string, unknown>)[field] ?? null;
    const b = (old as unknown as Record<string, unknown>)[field] ?? null;
    target[field] = takeNew ? (a ?? b) : (b ?? a);
  }
  merged.serviceName = next.rootStarted && !old.rootFinished ? next.serviceName : old.serviceName;
  merged.rootFinished = old.rootFinished || next.rootFinished;
  merged.rootStarted = old.rootStarted || next.rootStarted;
  merged.errorMessage = next.rootFinished && next.errorMessage !== null ? next.errorMessage : (old.errorMessage ?? next.errorMessage);
  merged.startNs = takeNew ? next.startNs : old.rootStarted ? old.startNs : (next.startNs < old.startNs ? next.startNs : old.startNs);
  merged.endNs = next.rootFinished ? next.endNs : old.rootFinished ? old.endNs : maxOrNull(old.endNs, next.endNs);
  merged.minStartNs = next.minStartNs < old.minStartNs ? next.minStartNs : old.minStartNs;
  merged.maxStartNs = next.maxStartNs > old.maxStartNs ? next.maxStartNs : old.maxStartNs;
  merged.spanCount = old.spanCount + next.spanCount;
  merged.errorCount = old.errorCount + next.errorCount;
  merged.lastSeenNs = nowNs;
  merged.status = statusOf(merged, merged.rootStatusCode, merged.rootFlowStatus);
  return { ...merged, created: false, rootFinishedNow: next.rootFinished && !old.rootFinished, rootStartedNow: next.rootStarted && !old.rootStarted };
}

function maxOrNull(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/**
 * The execution rows after a group: one per trace the group touched.
 * `replacesStart` holds traceId+spanId of finished spans whose running row existed.
 */
export function mergeExecutions(
  spans: SpanRow[],
  starts: SpanRow[],
  replacesStart: Set<string>,
  existing: Map<string, Stored>,
  nowNs: bigint,
): MergedExecution[] {
  const out: MergedExecution[] = [];
  for (const part of groupByTrace(spans, starts, replacesStart).values()) {
    const old = existing.get(part.traceId);
    out.push(old ? merge(old, part, nowNs) : fresh(part, nowNs));
  }
  return out;
}
