/**
 * One group commit on DuckDB, written as its named steps, in one transaction:
 *
 *   encode            the group's batches → the rows to store, each span once (encodeGroup)
 *   look up stored    which executions, running rows and spans are stored already — from the
 *                     writer's memory when it can tell, else from the database (lookUpStored)
 *   keep new rows     a retried span is stored once; a finished span replaces its running row
 *   merge executions  the execution rows after the group (execution-merge.ts)
 *   replace rows      delete the execution rows rewritten and the running rows replaced
 *   append            execution, span, attribute value and running rows; then new log lines
 *                     and new metric points (a retried batch's are not stored again); the
 *                     error texts of the spans and lines stored (span-model/error-texts.ts)
 *   commit, remember  COMMIT, then what the writer's memory learns from it
 *
 * Any step that throws rolls the whole group back; the queue (../batch-queue.ts) then
 * commits the group's halves apart. A commit resolves with the CommitNotice of what it stored.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CommitNotice, WriterStats } from '../contract.js';
import { logKey, minMax, spanKey, storedRangeToSearch, uniqueSpans } from '../group-rows.js';
import { appendMetricPoint, newMetricPoints } from '../metric-points.js';
import type { MetricRow } from '../metric-rows.js';
import { executionRecordFromRow, type ExecutionRecord } from '../records.js';
import { appendAttributeValue, appendErrorText, appendExecution, appendLog, appendSpan, appendStart } from '../row-appender.js';
import type { IngestBatch, IngestLog, IngestSpan } from '../span-model/span.js';
import { encodeSpans, encodeStart } from '../span-model/encode.js';
import { errorTextsOfLogs, errorTextsOfSpans } from '../span-model/error-texts.js';
import { storedSpanKeys } from '../stored-parents.js';
import { executionRowProblem } from '../table-columns.js';
import { appendAll, GroupKeys, keySet, PhaseClock, rows, type GroupKey } from './duckdb-io.js';
import { mergeExecutions, parentsToLookUp, type MergedExecution } from './execution-merge.js';
import {
  ALL_RUNNING_KEYS, ALL_TRACE_IDS, CREATE_GROUP_KEYS, DELETE_EXECUTIONS, DELETE_REPLACED_STARTS, FIND_STARTS_OF_TRACES,
  FIND_STORED_LOGS, FIND_STORED_SPANS, NEWEST_SPAN_KEYS, READ_TOUCHED_EXECUTIONS,
} from './group-commit-sql.js';
import { RecentSpanKeys } from './recent-span-keys.js';
import { WriterMemory } from './writer-memory.js';

/** Running rows (span_starts) the writer tracks in memory at most; past it they are looked up. */
const MAX_RUNNING_KEYS = 100_000;

/** The rows one group stores, before the lookups: each span once, finished spans over their starts. */
export interface GroupRows {
  spans: IngestSpan[];
  starts: IngestSpan[];
  logs: IngestLog[];
  metricPoints: MetricRow[];
}

/**
 * Step "encode": what a group's batches hold, each span once: a span sent twice in the group is
 * kept once, and a finished span makes its start mark of the same group needless. The logical
 * spans become rows (span-model/encode.ts) at the append step, once the lookups have dropped
 * the ones stored before.
 */
export function encodeGroup(batches: IngestBatch[]): GroupRows {
  const spans = uniqueSpans(batches.flatMap((b) => b.spans));
  const finished = new Set(spans.map(spanKey));
  return {
    spans,
    starts: uniqueSpans(batches.flatMap((b) => b.starts)).filter((s) => !finished.has(spanKey(s))),
    logs: batches.flatMap((b) => b.logs),
    metricPoints: batches.flatMap((b) => b.metrics ?? []),
  };
}

/** What is stored already of the group's traces. */
interface Stored {
  /** Execution rows of the group's traces, by trace id. */
  executions: ReadonlyMap<string, ExecutionRecord>;
  /** Keys (traceId + spanId) of the group's spans with a running row. */
  running: Set<string>;
  /** Keys of the group's spans stored finished already (retries). */
  finished: Set<string>;
}

/** The span rows of a group that are stored, and what they did to executions and running rows. */
interface StoredSpans {
  spans: IngestSpan[];
  starts: IngestSpan[];
  replaced: IngestSpan[];
  executions: MergedExecution[];
}

export interface GroupCommitOptions {
  /** Span keys remembered to skip the duplicate lookup of new spans (default 500,000). */
  recentKeys?: number;
  /** Execution rows remembered to skip their lookup (default 100,000). */
  recentExecutions?: number;
}

export class GroupCommit {
  private readonly recent: RecentSpanKeys;
  private readonly memory: WriterMemory;
  private keysReady = false;
  private runningStale = false;

  constructor(
    private readonly c: DuckDBConnection,
    private readonly stats: WriterStats,
    options: GroupCommitOptions = {},
  ) {
    this.recent = new RecentSpanKeys(options.recentKeys ?? 500_000);
    this.memory = new WriterMemory(options.recentExecutions ?? 100_000, MAX_RUNNING_KEYS);
  }

  /** Loads the newest stored span keys, the stored trace ids and the running keys; once, before the first commit. */
  async load(): Promise<void> {
    const n = this.recent.capacity;
    const newest = await rows(this.c, NEWEST_SPAN_KEYS, { n: BigInt(n) });
    this.recent.load(
      newest.map((r) => ({ traceId: String(r.trace_id), spanId: String(r.span_id), startNs: r.start_ns as bigint })),
      newest.length < n,
    );
    this.memory.loadTraces((await rows(this.c, ALL_TRACE_IDS)).map((r) => String(r.trace_id)));
    await this.loadRunning();
  }

  /** After another write to the tables (a delete, retention): what the memory holds may be stale. */
  forget(): void {
    this.memory.forget();
    this.runningStale = true;
  }

  /** Stores a group of batches in one transaction; see the module comment for the steps. */
  async commit(batches: IngestBatch[]): Promise<CommitNotice> {
    const group = encodeGroup(batches);
    const clock = new PhaseClock(this.stats.phaseMs);
    await this.prepare();
    await this.c.run('BEGIN TRANSACTION');
    try {
      const keys = new GroupKeys(this.c);
      const stored = await this.storeSpans(group, keys, clock);
      const logs = await this.storeLogs(group.logs, keys, clock);
      const metricPoints = await this.storeMetricPoints(group.metricPoints, clock);
      await keys.clear();
      await this.c.run('COMMIT');
      clock.lap('commit');
      this.remember(stored);
      return { spans: stored.spans, starts: stored.starts, logCount: logs.length, logs, metricPointCount: metricPoints.length, executions: stored.executions };
    } catch (error) {
      await this.c.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** The temp table of group keys (once), and the running keys again after another writer's job. */
  private async prepare(): Promise<void> {
    if (!this.keysReady) {
      await this.c.run(CREATE_GROUP_KEYS);
      this.keysReady = true;
    }
    if (this.runningStale) await this.loadRunning();
  }

  private async loadRunning(): Promise<void> {
    const keys = await rows(this.c, ALL_RUNNING_KEYS, { n: BigInt(MAX_RUNNING_KEYS + 1) });
    this.memory.loadRunning(keys.length > MAX_RUNNING_KEYS ? null : keys.map((r) => String(r.k)));
    this.runningStale = false;
  }

  /** Steps "look up stored" to "append" for the group's spans and starts. */
  private async storeSpans(group: GroupRows, keys: GroupKeys, clock: PhaseClock): Promise<StoredSpans> {
    if (group.spans.length + group.starts.length === 0) return { spans: [], starts: [], replaced: [], executions: [] };
    const stored = await this.lookUpStored([...group.spans, ...group.starts], keys);
    // Keep new rows: a span stored before is not stored again, a start of a span stored or
    // running is needless; a finished span whose running row is stored replaces it.
    const spans = group.spans.filter((s) => !stored.finished.has(spanKey(s)));
    const starts = group.starts.filter((s) => !stored.finished.has(spanKey(s)) && !stored.running.has(spanKey(s)));
    const replaced = spans.filter((s) => stored.running.has(spanKey(s)));
    const executions = await this.mergeExecutions(spans, starts, replaced, stored.executions);
    await this.replaceRows(executions.filter((e) => stored.executions.has(e.traceId)), replaced, keys);
    clock.lap('lookup');
    await this.appendSpanRows(executions, spans, starts);
    clock.lap('append');
    return { spans, starts, replaced, executions };
  }

  /**
   * Step "look up stored". Most groups hold only new spans of traces the writer knows, which
   * its memory can tell (recent executions, running keys, recent span keys); a trace stored
   * before that memory was loaded, or a retry, is looked up in the database.
   */
  private async lookUpStored(all: IngestSpan[], keys: GroupKeys): Promise<Stored> {
    const remembered = this.memory.executionsOf(new Set(all.map((s) => s.traceId)));
    const fromMemory = remembered.complete && this.memory.knowsRunning;
    const spanKeys = (): GroupKey[] => all.map((s): GroupKey => ['s', s.traceId, s.spanId]);
    if (!fromMemory) await keys.add(spanKeys());
    const running = fromMemory ? this.memory.runningAmong(all.map(spanKey)) : keySet(await rows(this.c, FIND_STARTS_OF_TRACES));
    const executions = fromMemory
      ? remembered.known
      : new Map((await rows(this.c, READ_TOUCHED_EXECUTIONS)).map((row) => {
        const record = executionRecordFromRow(row);
        return [record.traceId, record] as const;
      }));
    const range = storedRangeToSearch(all, executions, this.recent);
    if (range !== null && fromMemory) await keys.add(spanKeys());
    const finished = range === null ? new Set<string>() : keySet(await rows(this.c, FIND_STORED_SPANS, { lo: range[0], hi: range[1] }));
    return { executions, running, finished };
  }

  /** Step "merge executions": the execution rows after the group, with the stored parents of would-be roots. */
  private async mergeExecutions(
    spans: IngestSpan[], starts: IngestSpan[], replaced: IngestSpan[], existing: ReadonlyMap<string, ExecutionRecord>,
  ): Promise<MergedExecution[]> {
    // Spans that would take over a stored root unless their parent is stored (rare, see parentsToLookUp).
    const parents = parentsToLookUp(spans, starts, existing);
    const storedParents = parents.length === 0 ? undefined : await storedSpanKeys(this.c, parents, existing);
    return mergeExecutions(spans, starts, new Set(replaced.map(spanKey)), existing, BigInt(Date.now()) * 1_000_000n, storedParents);
  }

  /** Step "replace rows": the stored rows of rewritten executions and the running rows of finished spans go. */
  private async replaceRows(rewritten: MergedExecution[], replaced: IngestSpan[], keys: GroupKeys): Promise<void> {
    if (rewritten.length + replaced.length === 0) return;
    await keys.add([
      ...rewritten.map((e): GroupKey => ['x', e.traceId, null]),
      ...replaced.map((s): GroupKey => ['r', s.traceId, s.spanId]),
    ]);
    if (rewritten.length > 0) await this.c.run(DELETE_EXECUTIONS);
    if (replaced.length > 0) await this.c.run(DELETE_REPLACED_STARTS);
  }

  /** Step "append" of the span side: execution rows, spans, their attribute value index rows, running rows. */
  private async appendSpanRows(executions: MergedExecution[], spans: IngestSpan[], starts: IngestSpan[]): Promise<void> {
    // Merged from checked spans, an execution row fits its columns; should one not (a count
    // past INTEGER), the commit fails here with the reason and the group is split.
    for (const e of executions) {
      const problem = executionRowProblem(e);
      if (problem !== null) throw new Error(`execution ${e.traceId}: ${problem}`);
    }
    // The spans as rows (span-model/encode.ts): only those stored are encoded.
    const encoded = encodeSpans(spans);
    await appendAll(this.c, 'execution_data', executions, appendExecution);
    await appendAll(this.c, 'span_data', encoded.rows, appendSpan);
    await appendAll(this.c, 'attribute_values', encoded.attributeValues, appendAttributeValue);
    await appendAll(this.c, 'span_starts', starts.map(encodeStart), appendStart);
    await appendAll(this.c, 'error_texts', errorTextsOfSpans(spans), appendErrorText);
  }

  /** Steps "look up stored" and "append" for log lines: those stored before (a retry repeats them exactly) are not. */
  private async storeLogs(logs: IngestLog[], keys: GroupKeys, clock: PhaseClock): Promise<IngestLog[]> {
    if (logs.length === 0) return logs;
    await keys.add(logs.map((l): GroupKey => ['l', l.traceId, null]));
    const [lo, hi] = minMax(logs.map((l) => l.timeUnixNano));
    const found = await rows(this.c, FIND_STORED_LOGS, { lo, hi });
    const seen = new Set(found.map((r) => logKey(String(r.trace_id), String(r.span_id), BigInt(r.time_ns as bigint), Number(r.severity_number), String(r.body))));
    const fresh = logs.filter((l) => {
      const key = logKey(l.traceId, l.spanId, l.timeUnixNano, l.severityNumber, l.body);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    clock.lap('lookup');
    await appendAll(this.c, 'log_data', fresh, appendLog);
    await appendAll(this.c, 'error_texts', errorTextsOfLogs(fresh), appendErrorText);
    clock.lap('append');
    return fresh;
  }

  /** Steps "look up stored" and "append" for metric points (metric-points.ts). */
  private async storeMetricPoints(points: MetricRow[], clock: PhaseClock): Promise<MetricRow[]> {
    if (points.length === 0) return points;
    const fresh = await newMetricPoints(this.c, points);
    clock.lap('lookup');
    await appendAll(this.c, 'metric_data', fresh, appendMetricPoint);
    clock.lap('append');
    return fresh;
  }

  /** Step "remember": after COMMIT, what the next commits need not look up. */
  private remember({ spans, starts, replaced, executions }: StoredSpans): void {
    this.recent.addAll(spans);
    this.memory.committed(executions, starts.map(spanKey), replaced.map(spanKey));
  }
}
