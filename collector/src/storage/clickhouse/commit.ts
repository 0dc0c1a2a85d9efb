/**
 * One commit of a group of batches on ClickHouse, as named steps: gather (one row per span, a
 * finished span over its start mark), look up what is stored already (for the notice: a retry
 * announces nothing twice), insert, read the touched executions back, publish the notice.
 *
 * Idempotent by the tables, not by the lookup: span_data, log_data, attribute_values and
 * metric_data are ReplacingMergeTrees keyed by what identifies a row, so a row stored twice (a
 * retry, or two collectors taking one span) collapses, and the rollup's aggregates ignore
 * repeats. The lookup only keeps the notice (live events, counters) to what is new.
 * Durable: each INSERT is synchronous (async_insert = 0) and answered once its part is written;
 * the batch resolves after every insert of its group answered. There is no transaction across
 * tables, nor between span_data and its rollup (ClickHouse commits span_data's part before the
 * rollup's view runs on it): a group that fails or dies midway is not acknowledged, and its
 * retry completes it because the retry inserts its spans again even where span_data has them already —
 * only a running mark whose span is stored finished is left out (it adds nothing to either table).
 */
import type { ChangedExecution, CommitNotice, WriterStats } from '../contract.js';
import type { ExecutionRecord } from '../records.js';
import type { IngestBatch, IngestLog, IngestSpan } from '../span-model/span.js';
import type { ChangeFeed } from './change-feed.js';
import type { ClickHouseConnection } from './connection.js';
import type { ClickHouseExecutions } from './executions.js';
import { LOG_COLUMNS, logRow, METRIC_COLUMNS, metricRow, SPAN_COLUMNS, spanInsertRows } from './insert-rows.js';
import { FINISHED_VERSION } from './span-rows.js';
import { VALUE_COLUMNS } from './value-index-rows.js';
import type { Tables } from './tables.js';

const keyOf = (s: { traceId: string; spanId: string }): string => `${s.traceId}/${s.spanId}`;
const logKey = (l: { traceId: string; spanId: string; timeNs: string; severity: number; body: string }): string =>
  `${l.traceId}/${l.spanId}/${l.timeNs}/${l.severity}/${l.body}`;

/** One row per span key (the last of a group wins, as a retry repeats the same span). */
function unique(spans: IngestSpan[]): IngestSpan[] {
  return [...new Map(spans.map((s) => [keyOf(s), s])).values()];
}

export class ClickHouseCommit {
  constructor(
    private readonly conn: ClickHouseConnection,
    private readonly t: Tables,
    private readonly executions: ClickHouseExecutions,
    private readonly feed: ChangeFeed,
    private readonly onFeedError: (error: unknown) => void = () => {},
  ) {}

  async commit(batches: IngestBatch[], stats: WriterStats): Promise<CommitNotice> {
    let mark = performance.now();
    const lap = (phase: keyof WriterStats['phaseMs']): void => {
      const now = performance.now();
      stats.phaseMs[phase] += now - mark;
      mark = now;
    };
    // gather
    const finished = unique(batches.flatMap((b) => b.spans));
    const finishedKeys = new Set(finished.map(keyOf));
    const running = unique(batches.flatMap((b) => b.starts)).filter((s) => !finishedKeys.has(keyOf(s)));
    const logs = batches.flatMap((b) => b.logs);
    const metrics = batches.flatMap((b) => b.metrics ?? []);
    const traceIds = [...new Set([...finished, ...running].map((s) => s.traceId))];
    // look up: the executions first (whether each existed and its root; the counts are read
    // after). A trace without one has no span stored (the view fills the rollup in the INSERT that
    // stores the spans), so only the spans of known traces are looked up: ~25 ms of engine CPU
    // per ~1,800 spans saved when traces arrive whole.
    const [before, newLogs] = await Promise.all([this.executions.getMany(traceIds, { counts: false }), this.newLogs(logs)]);
    const stored = await this.storedVersions([...finished, ...running].filter((s) => before.has(s.traceId)));
    const storedFinished = (s: IngestSpan): boolean => stored.get(keyOf(s))?.version === FINISHED_VERSION;
    const newFinished = finished.filter((s) => !storedFinished(s));
    const newRunning = running.filter((s) => !stored.has(keyOf(s)));
    const repeatedFinished = finished.filter(storedFinished);
    const repeatedRunning = running.filter((s) => stored.has(keyOf(s)) && !storedFinished(s));
    lap('lookup');
    // insert: the value index first, then the spans (the rollup's view runs with them). Spans
    // stored already go in again: an earlier commit of them may have died after span_data's part
    // and before the rollup's (test/clickhouse/interrupted-insert.test.ts), and only a repeat
    // brings them to the rollup. A repeat carries the ingest time stored with it, so the rollup's
    // last_seen_ns (and lastSeenAt) stays what it was: a retry changes nothing a reader sees. Only
    // retries repeat a span, so this costs little.
    const fresh = spanInsertRows(newFinished, newRunning);
    const repeats = spanInsertRows(repeatedFinished, repeatedRunning);
    const repeatIngest = [...repeatedFinished, ...repeatedRunning].map((s) => stored.get(keyOf(s))!.ingestNs);
    await this.conn.insertArrays(this.t.values, VALUE_COLUMNS, [...fresh.values, ...repeats.values], this.t.insertSettings);
    await this.conn.insertArrays(this.t.spans, SPAN_COLUMNS, fresh.spans, this.t.insertSettings);
    await this.conn.insertArrays(this.t.spans, [...SPAN_COLUMNS, 'ingest_ns'], repeats.spans.map((row, i) => [...row, repeatIngest[i]]), this.t.insertSettings);
    await this.conn.insertArrays(this.t.logs, LOG_COLUMNS, newLogs.map(logRow), this.t.insertSettings);
    await this.conn.insertArrays(this.t.metrics, METRIC_COLUMNS, metrics.map(metricRow), this.t.insertSettings);
    lap('append');
    // read back the executions the new spans touched, and tell
    const touched = [...new Set([...newFinished, ...newRunning].map((s) => s.traceId))];
    const after = await this.executions.getMany(touched);
    const notice: CommitNotice = {
      spans: newFinished, starts: newRunning, logCount: newLogs.length, logs: newLogs, metricPointCount: metrics.length,
      executions: touched.map((id) => after.get(id)).filter((e): e is ExecutionRecord => e !== undefined).map((e) => changed(before.get(e.traceId), e)),
    };
    await this.feed.publish(notice).catch(this.onFeedError);
    lap('commit');
    return notice;
  }

  /** The highest stored version of each of these spans and its latest ingest time (absent: not stored). */
  private async storedVersions(spans: IngestSpan[]): Promise<Map<string, { version: number; ingestNs: string }>> {
    if (spans.length === 0) return new Map();
    const rows = await this.conn.query(
      `SELECT trace_id, span_id, max(version) AS v, toString(max(ingest_ns)) AS ingest FROM ${this.t.spans}
       WHERE trace_id IN {trace_ids:Array(String)} AND span_id IN {span_ids:Array(String)} GROUP BY trace_id, span_id`,
      { trace_ids: [...new Set(spans.map((s) => s.traceId))], span_ids: [...new Set(spans.map((s) => s.spanId))] },
    );
    return new Map(rows.map((r) => [`${String(r.trace_id)}/${String(r.span_id)}`, { version: Number(r.v), ingestNs: String(r.ingest) }]));
  }

  /** The lines not stored yet (a retried batch repeats them exactly), each once. */
  private async newLogs(logs: IngestLog[]): Promise<IngestLog[]> {
    if (logs.length === 0) return [];
    const rows = await this.conn.query(
      `SELECT trace_id, span_id, toString(time_ns) AS t, severity_number, body FROM ${this.t.logs}
       WHERE trace_id IN {trace_ids:Array(String)} AND time_ns IN {times:Array(Int64)}`,
      { trace_ids: [...new Set(logs.map((l) => l.traceId))], times: [...new Set(logs.map((l) => l.timeUnixNano.toString()))].map(BigInt) },
    );
    const seen = new Set(rows.map((r) => logKey({
      traceId: String(r.trace_id), spanId: String(r.span_id), timeNs: String(r.t), severity: Number(r.severity_number), body: String(r.body),
    })));
    return logs.filter((l) => {
      const key = logKey({ traceId: l.traceId, spanId: l.spanId, timeNs: l.timeUnixNano.toString(), severity: l.severityNumber, body: l.body });
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
}

/** What a commit changed about an execution, from its rows before and after. */
function changed(before: ExecutionRecord | undefined, after: ExecutionRecord): ChangedExecution {
  const sameFinishedRoot = before !== undefined && before.rootFinished && before.rootSpanId === after.rootSpanId;
  return {
    ...after,
    created: before === undefined,
    rootFinishedNow: after.rootFinished && !sameFinishedRoot,
    rootStartedNow: after.rootStarted && !(before?.rootStarted ?? false),
  };
}
