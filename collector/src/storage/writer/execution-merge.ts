/**
 * Folds one group commit's new spans into the execution rows they belong to: a pure
 * function, so the rules are tested without a database. The root of an execution is its span
 * without a parent; until one arrives, its earliest span whose parent is not in the trace (a
 * remote parent, as behind a gateway or a browser, or one that never arrives). Finished spans
 * and running ones (start marks) alike: the root decides the execution's fields and status, so
 * a finished root is never shown as running, and a root start mark makes a running execution.
 * Spans arrive in any order across groups: a better root arriving later takes over (a stored
 * root whose parent arrives stops being one). What the group cannot see, whether a parent is
 * stored, the writer looks up for the few spans that would take over (parentsToLookUp).
 */
import type { ExecutionRecord } from '../records.js';
import type { IngestSpan } from '../span-model/span.js';
import { ERROR_STATUSES as ERROR_STATUS_LIST, FINISHED_STATUSES as FINISHED_STATUS_LIST } from '@flowtrace/instrumentation/conventions';

export interface MergedExecution extends ExecutionRecord {
  created: boolean;
  rootFinishedNow: boolean;
  rootStartedNow: boolean;
}

/** An execution row as stored before this group. */
type Stored = ExecutionRecord;

const ERROR_STATUSES = new Set<string>(ERROR_STATUS_LIST);
const FINISHED_STATUSES = new Set<string>(FINISHED_STATUS_LIST);

const isError = (s: IngestSpan): boolean => s.statusCode === 2 || (s.flowStatus !== null && ERROR_STATUSES.has(s.flowStatus));

/** A span that may root its execution: the fields that rank it (see outranks). */
interface RootCandidate {
  spanId: string;
  parentSpanId: string | null;
  startNs: bigint;
  finished: boolean;
}

/**
 * Whether `a` roots an execution rather than `b`: a span without a parent first, then the
 * earliest (a child whose parent is not in the trace yet starts after it), then the finished
 * copy of the same span over its start mark; span ids break ties so every order agrees.
 */
function outranks(a: RootCandidate, b: RootCandidate): boolean {
  if ((a.parentSpanId === null) !== (b.parentSpanId === null)) return a.parentSpanId === null;
  if (a.startNs !== b.startNs) return a.startNs < b.startNs;
  if (a.spanId === b.spanId) return a.finished && !b.finished;
  return a.spanId < b.spanId;
}

const candidateOf = (row: IngestSpan, finished: boolean): RootCandidate =>
  ({ spanId: row.spanId, parentSpanId: row.parentSpanId, startNs: row.startTimeUnixNano, finished });

/** The stored root of an execution as a candidate; undefined when it has none (rows of older versions). */
const storedRoot = (e: Stored): RootCandidate | undefined => (e.rootStarted && e.rootSpanId !== null
  ? { spanId: e.rootSpanId, parentSpanId: e.rootParentSpanId, startNs: e.startNs, finished: e.rootFinished }
  : undefined);

/** What one group brings to one trace. */
interface GroupPart {
  traceId: string;
  root: IngestSpan | undefined;
  rootFinished: boolean;
  /** false when no span of the group may root it (every parent stored, or a cycle): its earliest stands in. */
  rootIsCandidate: boolean;
  /** Every span of the group, finished or running, with its candidacy decided at the end. */
  rows: Array<{ row: IngestSpan; finished: boolean }>;
  /** Span ids of the group. */
  ids: Set<string>;
  earliest: IngestSpan;
  firstErrorMessage: string | null;
  minStart: bigint;
  maxStart: bigint;
  maxEnd: bigint | null;
  spanDelta: number;
  errorDelta: number;
}

function groupByTrace(
  spans: IngestSpan[], starts: IngestSpan[], replacesStart: Set<string>, storedParents: ReadonlySet<string>,
): Map<string, GroupPart> {
  const parts = new Map<string, GroupPart>();
  const visit = (row: IngestSpan, finished: boolean) => {
    let part = parts.get(row.traceId);
    if (!part) {
      part = {
        traceId: row.traceId, root: undefined, rootFinished: false, rootIsCandidate: false, rows: [], ids: new Set(), earliest: row, firstErrorMessage: null,
        minStart: row.startTimeUnixNano, maxStart: row.startTimeUnixNano, maxEnd: null, spanDelta: 0, errorDelta: 0,
      };
      parts.set(row.traceId, part);
    }
    part.rows.push({ row, finished });
    part.ids.add(row.spanId);
    if (row.startTimeUnixNano < part.earliest.startTimeUnixNano) part.earliest = row;
    if (row.startTimeUnixNano < part.minStart) part.minStart = row.startTimeUnixNano;
    if (row.startTimeUnixNano > part.maxStart) part.maxStart = row.startTimeUnixNano;
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
  for (const part of parts.values()) pickRoot(part, storedParents);
  return parts;
}

/** Spans of the group whose parent is neither in the group nor known to be stored. */
function candidatesOf(part: GroupPart, storedParents: ReadonlySet<string>): Array<{ row: IngestSpan; finished: boolean }> {
  return part.rows.filter(({ row }) => row.parentSpanId === null
    || (!part.ids.has(row.parentSpanId) && !storedParents.has(part.traceId + row.parentSpanId)));
}

/** The group's root: its best candidate, or its earliest span when parent links go round in a cycle. */
function pickRoot(part: GroupPart, storedParents: ReadonlySet<string>): void {
  let best: { row: IngestSpan; finished: boolean } | undefined;
  for (const c of candidatesOf(part, storedParents)) {
    if (!best || outranks(candidateOf(c.row, c.finished), candidateOf(best.row, best.finished))) best = c;
  }
  part.rootIsCandidate = best !== undefined;
  best ??= part.rows.find(({ row }) => row === part.earliest)!;
  part.root = best.row;
  part.rootFinished = best.finished;
}

/** Whether the group's root takes over from the stored one (which its parent's arrival unseats). */
function takesOver(part: GroupPart, old: Stored): boolean {
  const mine = candidateOf(part.root!, part.rootFinished);
  const theirs = old.rootParentSpanId !== null && part.ids.has(old.rootParentSpanId) ? undefined : storedRoot(old);
  if (theirs === undefined) return true;
  if (mine.spanId === theirs.spanId) return mine.finished || !theirs.finished;
  return part.rootIsCandidate && outranks(mine, theirs);
}

/** A span looked up by trace and span id. */
export interface SpanRef {
  traceId: string;
  spanId: string;
}

/**
 * The parents of the group's spans that would take over a stored execution's root if they are
 * not stored: the writer looks these up and passes the stored ones (traceId + spanId) to
 * mergeExecutions. Rare: only spans that start before the stored root (clock skew between
 * services) or come after their trace's root's parent arrived.
 */
export function parentsToLookUp(spans: IngestSpan[], starts: IngestSpan[], existing: ReadonlyMap<string, Stored>): SpanRef[] {
  const out: SpanRef[] = [];
  const none = new Set<string>();
  for (const part of groupByTrace(spans, starts, none, none).values()) {
    const old = existing.get(part.traceId);
    if (!old) continue;
    const displaced = old.rootParentSpanId !== null && part.ids.has(old.rootParentSpanId);
    const theirs = displaced ? undefined : storedRoot(old);
    for (const { row, finished } of candidatesOf(part, none)) {
      if (row.parentSpanId === null || row.spanId === theirs?.spanId) continue;
      if (theirs === undefined || outranks(candidateOf(row, finished), theirs)) out.push({ traceId: part.traceId, spanId: row.parentSpanId });
    }
  }
  return out;
}

function statusOf(e: Pick<ExecutionRecord, 'rootFinished'>, rootStatusCode: number | null, rootFlowStatus: string | null): string {
  if (!e.rootFinished) return 'running';
  if (rootFlowStatus !== null && FINISHED_STATUSES.has(rootFlowStatus)) return rootFlowStatus;
  return rootStatusCode === 2 ? 'error' : 'success';
}

/** The status or exception message of a finished root that failed, else null. */
function rootMessageOf(part: GroupPart): string | null {
  const root = part.root;
  return part.rootFinished && root && root.statusCode === 2 ? (root.exceptionMessage ?? root.statusMessage) : null;
}

/** The execution row a group part makes on its own (a trace seen for the first time). */
function fresh(part: GroupPart, nowNs: bigint): MergedExecution {
  const root = part.root;
  const finished = part.rootFinished;
  const rootMessage = rootMessageOf(part);
  const record: MergedExecution = {
    traceId: part.traceId,
    rootSpanId: root?.spanId ?? null,
    rootParentSpanId: root?.parentSpanId ?? null,
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

const ROOT_FIELDS = [
  'rootSpanId', 'rootParentSpanId', 'rootName', 'rootStatusCode', 'rootFlowStatus', 'executionKind', 'flowId', 'flowName',
  'flowVersion', 'triggerType', 'userId', 'errorNodeId',
] as const;

/** Merges the group into the stored row of the same trace. */
function merge(old: Stored, part: GroupPart, nowNs: bigint): MergedExecution {
  const next = fresh(part, nowNs);
  const takeNew = takesOver(part, old);
  // The same root span again (its finished copy after its start mark): what the start mark
  // knew fills what the finished copy lacks. Another span: its fields alone, never a mix.
  const sameRoot = next.rootSpanId === old.rootSpanId;
  const merged: Stored = { ...old };
  const target = merged as unknown as Record<string, unknown>;
  if (takeNew) {
    for (const field of ROOT_FIELDS) {
      const a = (next as unknown as Record<string, unknown>)[field] ?? null;
      const b = (old as unknown as Record<string, unknown>)[field] ?? null;
      target[field] = sameRoot ? (a ?? b) : a;
    }
    merged.serviceName = next.serviceName;
    merged.rootFinished = next.rootFinished;
    merged.rootStarted = next.rootStarted;
  }
  merged.errorMessage = (takeNew ? rootMessageOf(part) : null) ?? old.errorMessage ?? next.errorMessage;
  merged.startNs = takeNew ? next.startNs : old.startNs;
  merged.endNs = merged.rootFinished ? (takeNew ? next.endNs : old.endNs) : maxOrNull(old.endNs, next.endNs);
  merged.minStartNs = next.minStartNs < old.minStartNs ? next.minStartNs : old.minStartNs;
  merged.maxStartNs = next.maxStartNs > old.maxStartNs ? next.maxStartNs : old.maxStartNs;
  merged.spanCount = old.spanCount + next.spanCount;
  merged.errorCount = old.errorCount + next.errorCount;
  merged.lastSeenNs = nowNs;
  merged.status = statusOf(merged, merged.rootStatusCode, merged.rootFlowStatus);
  // A root that finishes now, or a finished root that takes over from another: the status may change.
  const rootFinishedNow = takeNew && next.rootFinished && (!old.rootFinished || !sameRoot);
  return { ...merged, created: false, rootFinishedNow, rootStartedNow: merged.rootStarted && !old.rootStarted };
}

function maxOrNull(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/**
 * The execution rows after a group: one per trace the group touched.
 * `replacesStart` holds traceId+spanId of finished spans whose running row existed;
 * `storedParents` traceId+spanId of the parents (asked for by parentsToLookUp) already stored.
 */
export function mergeExecutions(
  spans: IngestSpan[],
  starts: IngestSpan[],
  replacesStart: Set<string>,
  existing: ReadonlyMap<string, Stored>,
  nowNs: bigint,
  storedParents: ReadonlySet<string> = new Set(),
): MergedExecution[] {
  const out: MergedExecution[] = [];
  for (const part of groupByTrace(spans, starts, replacesStart, storedParents).values()) {
    const old = existing.get(part.traceId);
    out.push(old ? merge(old, part, nowNs) : fresh(part, nowNs));
  }
  return out;
}
