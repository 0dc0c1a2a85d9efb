/**
 * The one writer. Ingest hands it batches; it groups every batch that arrives while a
 * commit runs into the next commit (group commit), so many concurrent requests share one
 * transaction, and it resolves each batch's promise only after COMMIT: a resolved write is
 * durable. Writes are idempotent: a span (by trace id and span id, whatever its times) or log
 * line stored before is not stored again. A batch fails only for itself: when a group's commit
 * fails, its halves are committed apart, down to the one batch that cannot be stored.
 *
 * The queue is bounded in rows; past the bound `write` fails at once with FT_QUEUE_FULL
 * (429 + Retry-After) instead of holding memory. Other writes to the database (deletes,
 * retention) run through `exclusive` so they never interleave with a group commit.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { errors, type FlowtraceError } from '../errors.js';
import { mergeExecutions, parentsToLookUp, type MergedExecution } from './execution-merge.js';
import { storedSpanKeys } from './stored-parents.js';
import {
  ALL_RUNNING_KEYS, ALL_TRACE_IDS, CLEAR_GROUP_KEYS, CREATE_GROUP_KEYS, DELETE_EXECUTIONS, DELETE_REPLACED_STARTS,
  FIND_STARTS_OF_TRACES, FIND_STORED_LOGS, FIND_STORED_SPANS, NEWEST_SPAN_KEYS, READ_TOUCHED_EXECUTIONS,
} from './group-commit-sql.js';
import { attributeValues, logKey, minMax, spanKey, storedRangeToSearch, uniqueSpans } from './group-rows.js';
import { RecentSpanKeys } from './recent-span-keys.js';
import { WriterMemory } from './writer-memory.js';
import { executionRecordFromRow } from './records.js';
import type { IngestBatch, LogRow, SpanRow } from './rows.js';
import { appendAttributeValue, appendExecution, appendLog, appendSpan, appendStart } from './row-appender.js';
import { executionRowProblem } from './table-columns.js';
import { appendMetricPoint, newMetricPoints } from './metric-points.js';

/** What one group commit stored, for live events and metrics. */
export interface CommitNotice {
  spans: SpanRow[];
  starts: SpanRow[];
  logCount: number;
  /** The log records stored (new ones only: a retried batch's lines are not repeated). */
  logs: LogRow[];
  /** Metric data points stored (0 when the group held none). */
  metricPointCount?: number;
  /** Executions touched by the commit, as stored after it. */
  executions: MergedExecution[];
}

export interface WriterOptions {
  /** Rows (spans + starts + logs) waiting at most; past it writes are refused. */
  maxQueueRows?: number;
  /** Rows per group commit at most. */
  maxGroupRows?: number;
  /** Span keys remembered to skip the duplicate lookup of new spans (default 500,000). */
  recentKeys?: number;
  /** Execution rows remembered to skip their lookup (default 100,000). */
  recentExecutions?: number;
  onCommit?: (notice: CommitNotice) => void;
  onError?: (error: unknown) => void;
}

interface Pending {
  batch: IngestBatch;
  rows: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface WriterStats {
  queuedRows: number;
  commits: number;
  committedSpans: number;
  committedLogs: number;
  failedCommits: number;
  lastCommitMs: number;
  /** Cumulative wall-clock milliseconds per phase of the group commits (lookups, appends, COMMIT), including other event-loop work run while a phase awaits DuckDB. */
  phaseMs: { lookup: number; append: number; commit: number };
}

export class SpanWriter {
  private readonly queue: Pending[] = [];
  private readonly jobs: Array<() => Promise<void>> = [];
  private queuedRows = 0;
  private running = false;
  private keysReady = false;
  private closing = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};
  private readonly maxQueueRows: number;
  private readonly maxGroupRows: number;
  private readonly recent: RecentSpanKeys;
  private readonly memory: WriterMemory;
  private runningStale = false;
  readonly stats: WriterStats = {
    queuedRows: 0, commits: 0, committedSpans: 0, committedLogs: 0, failedCommits: 0, lastCommitMs: 0,
    phaseMs: { lookup: 0, append: 0, commit: 0 },
  };

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly options: WriterOptions = {},
  ) {
    this.maxQueueRows = options.maxQueueRows ?? 200_000;
    this.maxGroupRows = options.maxGroupRows ?? 20_000;
    this.recent = new RecentSpanKeys(options.recentKeys ?? 500_000);
    this.memory = new WriterMemory(options.recentExecutions ?? 100_000, MAX_RUNNING_KEYS);
  }

  /** Loads the newest stored span keys; call once before writing. */
  async init(): Promise<void> {
    const n = this.recent.capacity;
    const newest = await rows(this.connection, NEWEST_SPAN_KEYS, { n: BigInt(n) });
    this.recent.load(
      newest.map((r) => ({ traceId: String(r.trace_id), spanId: String(r.span_id), startNs: r.start_ns as bigint })),
      newest.length < n,
    );
    this.memory.loadTraces((await rows(this.connection, ALL_TRACE_IDS)).map((r) => String(r.trace_id)));
    await this.loadRunning();
  }

  private async loadRunning(): Promise<void> {
    const keys = await rows(this.connection, ALL_RUNNING_KEYS, { n: BigInt(MAX_RUNNING_KEYS + 1) });
    this.memory.loadRunning(keys.length > MAX_RUNNING_KEYS ? null : keys.map((r) => String(r.k)));
    this.runningStale = false;
  }

  /** Rows waiting to be committed. */
  get queued(): number {
    return this.queuedRows;
  }

  /** The error a batch of this many rows would be refused with right now, if any. */
  refusalFor(rows: number): FlowtraceError | undefined {
    if (this.closing) return errors.FT_SHUTTING_DOWN();
    if (this.queuedRows > 0 && this.queuedRows + rows > this.maxQueueRows) {
      return errors.FT_QUEUE_FULL(`${this.queuedRows} rows are waiting`);
    }
    return undefined;
  }

  /** Stores a batch; resolves once it is committed. Rejects with FT_QUEUE_FULL / FT_SHUTTING_DOWN / FT_WRITE_FAILED. */
  write(batch: IngestBatch): Promise<void> {
    const rows = batch.spans.length + batch.starts.length + batch.logs.length + (batch.metrics?.length ?? 0);
    const refusal = this.refusalFor(rows);
    if (refusal) return Promise.reject(refusal);
    if (rows === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, rows, resolve, reject });
      this.queuedRows += rows;
      this.stats.queuedRows = this.queuedRows;
      this.kick();
    });
  }

  /** Runs a write job (delete, retention) between group commits, on the writer's connection. */
  exclusive<T>(job: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(errors.FT_SHUTTING_DOWN());
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(async () => {
        try {
          resolve(await job(this.connection));
        } catch (error) {
          reject(error);
        } finally {
          // The job may have deleted executions and starts the writer remembers.
          this.memory.forget();
          this.runningStale = true;
        }
      });
      this.kick();
    });
  }

  /** Refuses new writes, commits everything already queued, and resolves when done. */
  async close(): Promise<void> {
    this.closing = true;
    await this.idle;
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.jobs.length > 0) {
        const job = this.jobs.shift();
        if (job) await job();
        if (this.queue.length > 0) await this.commitNextGroup();
      }
    } finally {
      this.running = false;
      this.markIdle();
    }
  }

  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0 && (group.length === 0 || rows + this.queue[0].rows <= this.maxGroupRows)) {
      const next = this.queue.shift()!;
      rows += next.rows;
      group.push(next);
    }
    return group;
  }

  private async commitNextGroup(): Promise<void> {
    const group = this.takeGroup();
    const groupRows = group.reduce((sum, p) => sum + p.rows, 0);
    try {
      await this.commitGroup(group);
    } finally {
      this.queuedRows -= groupRows;
      this.stats.queuedRows = this.queuedRows;
    }
  }

  /**
   * Commits a group of batches. When the commit fails, each half of the group is committed on
   * its own, down to single batches, so only a batch that cannot be stored even alone is refused
   * and no other request of its group sees its error. Ingest checks every row against its
   * column first (table-columns.ts), so this is the last line of defence: one bad batch among n
   * costs about 2·log2(n) more commits, never a failed request of someone else.
   */
  private async commitGroup(group: Pending[]): Promise<void> {
    const started = performance.now();
    let notice: CommitNotice;
    try {
      notice = await this.commit(group.map((p) => p.batch));
    } catch (error) {
      this.stats.failedCommits += 1;
      if (group.length > 1) {
        const half = Math.ceil(group.length / 2);
        await this.commitGroup(group.slice(0, half));
        await this.commitGroup(group.slice(half));
        return;
      }
      this.options.onError?.(error);
      group[0].reject(errors.FT_WRITE_FAILED(error instanceof Error ? error.message : String(error)));
      return;
    }
    this.stats.commits += 1;
    this.stats.committedSpans += notice.spans.length;
    this.stats.committedLogs += notice.logCount;
    this.stats.lastCommitMs = performance.now() - started;
    for (const p of group) p.resolve();
    this.options.onCommit?.(notice);
  }

  private async commit(batches: IngestBatch[]): Promise<CommitNotice> {
    let spans = uniqueSpans(batches.flatMap((b) => b.spans));
    const finished = new Set(spans.map(spanKey));
    let starts = uniqueSpans(batches.flatMap((b) => b.starts)).filter((s) => !finished.has(spanKey(s)));
    let logs = batches.flatMap((b) => b.logs);
    let metricPoints = batches.flatMap((b) => b.metrics ?? []);
    const c = this.connection;
    const phases = this.stats.phaseMs;
    let mark = performance.now();
    const lap = (phase: keyof WriterStats['phaseMs']) => {
      const now = performance.now();
      phases[phase] += now - mark;
      mark = now;
    };
    if (!this.keysReady) {
      await c.run(CREATE_GROUP_KEYS);
      this.keysReady = true;
    }
    if (this.runningStale) await this.loadRunning();
    await c.run('BEGIN TRANSACTION');
    try {
      let keysAppended = false;
      const appendKeys = async (keys: GroupKey[]) => {
        if (keys.length === 0) return;
        await appendAll(c, 'group_keys', keys, appendKey, 'temp');
        keysAppended = true;
      };
      let executions: MergedExecution[] = [];
      let replaced: SpanRow[] = [];
      if (spans.length + starts.length > 0) {
        // Most groups hold only new spans of traces the writer knows, which its memory can
        // tell (recent executions, running keys, recent span keys); a trace stored before that
        // memory was loaded, or a retry, is looked up in the database.
        const all = [...spans, ...starts];
        const remembered = this.memory.executionsOf(new Set(all.map((s) => s.traceId)));
        const fromMemory = remembered.complete && this.memory.knowsRunning;
        const groupKeys = (): GroupKey[] => all.map((s): GroupKey => ['s', s.traceId, s.spanId]);
        if (!fromMemory) await appendKeys(groupKeys());
        const running = fromMemory
          ? this.memory.runningAmong(all.map(spanKey))
          : keySet(await rows(c, FIND_STARTS_OF_TRACES));
        const existing = fromMemory
          ? remembered.known
          : new Map((await rows(c, READ_TOUCHED_EXECUTIONS)).map((row) => {
            const record = executionRecordFromRow(row);
            return [record.traceId, record] as const;
          }));
        const range = storedRangeToSearch(all, existing, this.recent);
        if (range !== null && fromMemory) await appendKeys(groupKeys());
        const known = range === null ? new Set<string>() : keySet(await rows(c, FIND_STORED_SPANS, { lo: range[0], hi: range[1] }));
        spans = spans.filter((s) => !known.has(spanKey(s)));
        starts = starts.filter((s) => !known.has(spanKey(s)) && !running.has(spanKey(s)));
        replaced = spans.filter((s) => running.has(spanKey(s)));
        // Spans that would take over a stored root unless their parent is stored (rare, see parentsToLookUp).
        const parents = parentsToLookUp(spans, starts, existing);
        const storedParents = parents.length === 0 ? undefined : await storedSpanKeys(c, parents, existing);
        executions = mergeExecutions(spans, starts, new Set(replaced.map(spanKey)), existing, BigInt(Date.now()) * 1_000_000n, storedParents);
        const rewritten = executions.filter((e) => existing.has(e.traceId));
        const marks: GroupKey[] = [
          ...rewritten.map((e): GroupKey => ['x', e.traceId, null]),
          ...replaced.map((s): GroupKey => ['r', s.traceId, s.spanId]),
        ];
        if (marks.length > 0) {
          await appendKeys(marks);
          if (rewritten.length > 0) await c.run(DELETE_EXECUTIONS);
          if (replaced.length > 0) await c.run(DELETE_REPLACED_STARTS);
        }
        lap('lookup');
        // Merged from checked spans, an execution row fits its columns; should one not (a count
        // past INTEGER), the commit fails here with the reason and the group is split (commitGroup).
        for (const e of executions) {
          const problem = executionRowProblem(e);
          if (problem !== null) throw new Error(`execution ${e.traceId}: ${problem}`);
        }
        await appendAll(c, 'execution_data', executions, appendExecution);
        await appendAll(c, 'span_data', spans, appendSpan);
        await appendAll(c, 'attribute_values', attributeValues(spans), appendAttributeValue);
        await appendAll(c, 'span_starts', starts, appendStart);
        lap('append');
      }
      if (logs.length > 0) {
        await appendKeys(logs.map((l): GroupKey => ['l', l.traceId, null]));
        logs = await this.newLogs(logs);
        lap('lookup');
        await appendAll(c, 'log_data', logs, appendLog);
        lap('append');
      }
      if (metricPoints.length > 0) {
        metricPoints = await newMetricPoints(c, metricPoints);
        lap('lookup');
        await appendAll(c, 'metric_data', metricPoints, appendMetricPoint);
        lap('append');
      }
      if (keysAppended) await c.run(CLEAR_GROUP_KEYS);
      await c.run('COMMIT');
      lap('commit');
      this.recent.addAll(spans);
      this.memory.committed(executions, starts.map(spanKey), replaced.map(spanKey));
      return { spans, starts, logCount: logs.length, logs, metricPointCount: metricPoints.length, executions };
    } catch (error) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** The log lines not stored yet (a retried batch repeats them exactly). */
  private async newLogs(logs: LogRow[]): Promise<LogRow[]> {
    const [lo, hi] = minMax(logs.map((l) => l.timeUnixNano));
    const found = await rows(this.connection, FIND_STORED_LOGS, { lo, hi });
    const seen = new Set(found.map((r) => logKey(String(r.trace_id), String(r.span_id), BigInt(r.time_ns as bigint), Number(r.severity_number), String(r.body))));
    return logs.filter((l) => {
      const key = logKey(l.traceId, l.spanId, l.timeUnixNano, l.severityNumber, l.body);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
}

/** Running rows (span_starts) the writer tracks in memory at most; past it they are looked up. */
const MAX_RUNNING_KEYS = 100_000;

/** A row of temp.group_keys: kind, trace id, span id. */
type GroupKey = [string, string, string | null];

function appendKey(appender: DuckDBAppender, [kind, traceId, spanId]: GroupKey): void {
  appender.appendVarchar(kind);
  appender.appendVarchar(traceId);
  if (spanId === null) appender.appendNull();
  else appender.appendVarchar(spanId);
  appender.endRow();
}

type Row = Record<string, unknown>;

async function rows(c: DuckDBConnection, sql: string, params?: Record<string, DuckDBValue>): Promise<Row[]> {
  return (await c.runAndReadAll(sql, params)).getRowObjectsJS() as Row[];
}

function keySet(found: Row[]): Set<string> {
  return new Set(found.map((r) => String(r.trace_id) + String(r.span_id)));
}

async function appendAll<R>(
  c: DuckDBConnection,
  table: string,
  items: R[],
  append: (appender: DuckDBAppender, row: R) => void,
  catalog: 'temp' | null = null,
): Promise<void> {
  if (items.length === 0) return;
  const appender = await c.createAppender(table, catalog === 'temp' ? 'main' : null, catalog);
  try {
    for (const item of items) append(appender, item);
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
