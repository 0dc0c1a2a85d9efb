/**
 * The storage contract: what every storage engine of flowtrace keeps (DuckDB, the embedded
 * default; ClickHouse, for many collectors). Everything above storage (ingest, the query API,
 * control, the CLI) sees a `Storage` and nothing of the engine behind it. One conformance suite
 * (collector/test/conformance/) runs against every engine and is the executable form of the
 * promises written here.
 *
 * Edge cases every engine keeps (each has a case in the conformance suite):
 * - **Durable and idempotent writes.** `writer.write(batch)` resolves only once the batch is
 *   durable; a retried batch (same spans, even with other start times: a span is identified by
 *   trace id and span id) stores nothing twice. A finished span replaces the running row of its
 *   start mark, whichever arrived first. One bad record fails its own batch only.
 * - **Not found is `undefined`** (or an empty list for a list), never an error and never an
 *   empty record pretending to be one.
 * - **Roots**: an execution is rooted at its span without a parent; until one arrives, at its
 *   earliest span whose parent is not in the trace (a remote parent). Spans of one trace may
 *   arrive in any order, in any batch (on ClickHouse: at any collector).
 * - **Statuses** come from one list (`@flowtrace/instrumentation` conventions): an execution is
 *   running, success, error, cancelled, timed_out or abandoned (running and silent past
 *   `abandonAfterMs`); a node adds skipped.
 * - **Time** is nanoseconds since the epoch as bigint everywhere; ranges are inclusive.
 * - **Signals**: a read given an AbortSignal stops when it aborts and rejects with its reason.
 * - **SQL console**: read-only, no file, URL or remote access, a time limit from the first
 *   byte, caps in rows and bytes — in the engine's own dialect.
 * - **Deletion and retention** remove every row of a trace (spans, running marks, console
 *   lines, the execution); retention also removes console lines and metric points older than
 *   the age limit that belong to no stored execution.
 * - **Changes**: every committed batch is announced once to `onCommit` (live events). On an engine
 *   shared by many collectors, a collector announces what any of them stored.
 *
 * Decided where the first conformance run found the promise unwritten (issue 16):
 * - **A bad record** (a value its column cannot hold, a time past 64 bits) rejects its whole batch
 *   with FT_WRITE_FAILED; batches committed beside it are stored. An engine without transactions
 *   across tables (ClickHouse) may have stored part of the rejected batch; since writes are
 *   idempotent, the client's retry of the rest stores nothing twice.
 * - **Console names** are part of the contract: the views `spans`, `executions`, `logs` and
 *   `metrics` with `trace_id`, `span_id`, `status` and the time columns `start_ns`/`end_ns`
 *   (`time_ns` for logs), whatever the engine's own tables are.
 * - **The outline's tuple** (field order and status codes) is the API's (`api/`), not an engine's.
 * - **Running executions** have `endNs` null; duration filters and the duration order read their
 *   duration as 0 until the root finishes.
 * - **Error counts**: an execution's `errorCount` and a statistic's `errorCount` count spans or
 *   executions whose status is error or timed_out (OTel status code 2 is error).
 * - **Quantiles** are interpolated (DuckDB `quantile_cont`, ClickHouse `quantileExact`-family may
 *   differ in the last place): the median is exact, p95/p99 lie between neighbouring values.
 * - **Catalog** counts finished spans; running marks add to `lastSeenNs` only.
 * - **A trace's lines** are those stamped from a minute before its first span to an hour after its
 *   end (a running execution: no upper bound); lines outside stay stored and searchable by SQL.
 * - **Retention** never deletes a running execution younger than `abandonAfterMs`; metric points
 *   go by their own time.
 * - **Notices** are sent after the commit is durable and may arrive before or after `write`
 *   resolves; a commit that stored nothing new sends no notice or an empty one.
 * - **Orders not stated** (ties in the list beyond the trace id, the order of flows, nodes and
 *   series rows) are the caller's to sort.
 */
import type { FlowtraceError } from '../errors.js';
import type { ExecutionCursor, ExecutionFilter } from './executions/execution-list-sql.js';
import type { ExecutionRecord } from './records.js';
import type { LogRecord, SpanRecord } from './span-model/decode.js';
import type { IngestBatch, IngestLog, IngestSpan } from './span-model/span.js';
import type { SpanMatch } from './traces/span-match-sql.js';

export type { ExecutionCursor, ExecutionFilter, ExecutionRecord, IngestBatch, LogRecord, SpanMatch, SpanRecord };

/** Which engine a Storage runs on. */
export type StorageEngine = 'duckdb' | 'clickhouse';

/** Inclusive bounds in nanoseconds since the epoch. */
export interface TimeRange {
  fromNs: bigint;
  toNs: bigint;
}

// ---------------------------------------------------------------------------------------------
// Write side
// ---------------------------------------------------------------------------------------------

/** An execution as stored after a commit, and what the commit changed about it. */
export interface ChangedExecution extends ExecutionRecord {
  created: boolean;
  rootFinishedNow: boolean;
  rootStartedNow: boolean;
}

/** What one commit stored: the change feed's unit, for live events and metrics. */
export interface CommitNotice {
  spans: IngestSpan[];
  starts: IngestSpan[];
  logCount: number;
  /** The log records stored (new ones only: a retried batch's lines are not repeated). */
  logs: IngestLog[];
  /** Metric data points stored (0 when none). */
  metricPointCount?: number;
  /** Executions touched by the commit, as stored after it. */
  executions: ChangedExecution[];
}

export interface WriterStats {
  queuedRows: number;
  commits: number;
  committedSpans: number;
  committedLogs: number;
  failedCommits: number;
  lastCommitMs: number;
  /** Cumulative wall-clock milliseconds per phase of the commits. */
  phaseMs: { lookup: number; append: number; commit: number };
}

export interface BatchWriter {
  /** Resolves when the batch is durable; rejects with a FlowtraceError saying why not. */
  write(batch: IngestBatch): Promise<void>;
  /** The error to answer now (429/503 with Retry-After) instead of queueing `rows` more rows, or undefined. */
  refusalFor(rows: number): FlowtraceError | undefined;
  readonly stats: WriterStats;
  /** Refuses new writes (FT_SHUTTING_DOWN), stores what is queued, and resolves when done (a server's stop). */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Read models
// ---------------------------------------------------------------------------------------------

export interface ExecutionPage {
  executions: ExecutionRecord[];
  hasMore: boolean;
}

/** The execution list and search (GET /api/executions). */
export interface ExecutionReads {
  /** A page newest first (or by the filter's sort), after the filter's cursor. */
  list(filter: ExecutionFilter, signal?: AbortSignal): Promise<ExecutionPage>;
  /** One execution, or undefined. */
  get(traceId: string): Promise<ExecutionRecord | undefined>;
  /** Trace ids of a flow's executions (for deletion of a flow's history). */
  traceIdsOfFlow(flowName: string): Promise<string[]>;
}

/** A trace with its spans already rendered as the API's Span JSON. */
export interface TraceJson {
  execution: ExecutionRecord;
  /** Span JSON objects in start order, joined by commas (the inside of a JSON array). */
  spansJson: string;
  spanCount: number;
  spanIds: string[];
  /** Parent span ids, null for a root, in the order of `spanIds`. */
  parentSpanIds: Array<string | null>;
  logs: LogRecord[];
}

/** What a waterfall draws: one compact tuple per span (see query/ and the API's TraceOutline). */
export interface TraceOutlineJson {
  execution: ExecutionRecord;
  /** The earliest span start, which the tuples' times count from. */
  baseNs: bigint;
  spanCount: number;
  /** Spans whose parent is not in the trace, the execution's root excepted. */
  orphanCount: number;
  /** The span tuples in start order, joined by commas (the inside of a JSON array). */
  spansJson: string;
}

/** One span rendered as Span JSON, with its console lines. */
export interface SpanJson {
  spanJson: string;
  logs: LogRecord[];
}

/** A trace with its spans as records (for exports, compare, critical path). */
export interface TraceRecord {
  execution: ExecutionRecord;
  spans: SpanRecord[];
  logs: LogRecord[];
}

/** Console lines outside any span (the "why" views' lone lines). */
export interface LoneLogQuery {
  fromNs: bigint;
  toNs: bigint;
  /** Lines at this OTel severity number or above. */
  minSeverity?: number;
  /** Case-insensitive substring of the body. */
  text?: string;
  /** Lines wanted; one more is returned when more follow. */
  limit: number;
}

/** The reads of one trace: whole, as an outline, one span, matching spans, its lines. */
export interface TraceReads {
  /** The execution with its spans (finished and running) and lines, or undefined. */
  get(traceId: string): Promise<TraceRecord | undefined>;
  /** The same for an execution already read. */
  of(execution: ExecutionRecord): Promise<TraceRecord>;
  /** Like get, with the spans rendered as Span JSON text (fast for huge traces). */
  getJson(traceId: string): Promise<TraceJson | undefined>;
  jsonOf(execution: ExecutionRecord): Promise<TraceJson>;
  /** The waterfall outline, or undefined. */
  outline(traceId: string): Promise<TraceOutlineJson | undefined>;
  /** One span of an execution already read, or undefined when the trace has no such span. */
  span(execution: ExecutionRecord, spanId: string): Promise<SpanJson | undefined>;
  /** Ids of the spans that match, in id order. */
  spanIdsMatching(execution: ExecutionRecord, match: SpanMatch, signal?: AbortSignal): Promise<string[]>;
  /** The lines a trace view shows with an execution already read, in time order. */
  logs(execution: ExecutionRecord): Promise<LogRecord[]>;
}

export interface StatsRow {
  key: string | number | bigint;
  count: number;
  successCount: number;
  errorCount: number;
  finishedCount: number;
  avgMs: number | null;
  /** p50, p95, p99 in milliseconds. */
  quantiles: [number, number, number] | null;
  firstStartNs: bigint | null;
  lastStartNs: bigint | null;
}

export interface NodeStatsRow {
  nodeId: string;
  nodeName: string | null;
  nodeType: string | null;
  count: number;
  errorCount: number;
  avgMs: number | null;
  quantiles: [number, number, number] | null;
}

/** Per-flow statistics (GET /api/flows, /api/flows/:name/stats). */
export interface StatisticsReads {
  flows(range: TimeRange): Promise<StatsRow[]>;
  /** One flow's statistics, or undefined when it has no executions in the range. */
  flow(flow: string, range: TimeRange): Promise<StatsRow | undefined>;
  /** One flow's statistics per time bucket. */
  flowSeries(flow: string, range: TimeRange, bucketNs: bigint): Promise<StatsRow[]>;
  nodes(flow: string, range: TimeRange): Promise<NodeStatsRow[]>;
}

export interface ServiceRecord {
  serviceName: string;
  spanCount: number;
  lastSeenNs: bigint | null;
}

export interface AttributeKeyRecord {
  key: string;
  count: number;
  topValues: string[];
}

/** What is there to filter on: services and the attribute keys of recent spans. */
export interface CatalogReads {
  services(): Promise<ServiceRecord[]>;
  attributeKeys(sampleSize?: number): Promise<AttributeKeyRecord[]>;
}

// ---------------------------------------------------------------------------------------------
// The rest of the contract
// ---------------------------------------------------------------------------------------------

export interface SqlResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  truncated: boolean;
  elapsedMs: number;
}

/** The SQL console: one read-only statement in the engine's dialect. */
export interface SqlConsole {
  /** The engine's dialect, for the viewer's examples ('duckdb' or 'clickhouse'). */
  readonly dialect: StorageEngine;
  /** Rejects with FT_SQL_* FlowtraceErrors (refused, syntax, timeout, too big). */
  run(sql: string): Promise<SqlResult>;
  /** Stops running statements (answered FT_SHUTTING_DOWN) and refuses new ones: a server's stop begins here. */
  close(): Promise<void>;
}

export interface RetentionRun {
  deletedExecutions: number;
  /** Console lines deleted because they belong to no stored execution. */
  deletedOrphanLogs: number;
  /** Metric points deleted by their own time. */
  deletedMetricPoints: number;
  usedBytesBefore: number;
  usedBytesAfter: number;
}

export interface RetentionStats {
  runs: number;
  failedRuns: number;
  /** The message of the last failed pass. */
  lastError: string | undefined;
}

export interface RetentionControl {
  /** One pass now (tests, and the CLI's compact). */
  runOnce(): Promise<RetentionRun>;
  readonly stats: RetentionStats;
}

/** The public members of a class, as an interface another engine can implement. */
type PublicOf<T> = { [K in keyof T]: T[K] };

/**
 * The reads of Grafana's Jaeger and Tempo data sources, of the Metrics page, and the control
 * log keep the shapes of their DuckDB modules (grafana-reads.ts, metric-reads.ts,
 * control-log.ts); the types come from there so there is one declaration of each.
 */
export type GrafanaStore = PublicOf<import('./grafana-reads.js').GrafanaReads>;
export type MetricStore = PublicOf<import('./metric-reads.js').MetricReads>;
export type ControlLogStore = PublicOf<import('./control-log.js').ControlLog>;
export type ExportStore = PublicOf<import('./export.js').ParquetExporter>;

/** One node of a flow over a range: its runs' total time, self time and share of the critical path. */
export interface NodeTimeRow {
  nodeId: string;
  nodeName: string | null;
  count: number;
  totalMs: number;
  selfMs: number;
  criticalMs: number;
}

/** Where a flow's time goes over a range (the "why" views), per node of its finished runs. */
export interface FlowTimeRecord {
  runs: number;
  runMs: number;
  nodes: NodeTimeRow[];
}

// ---------------------------------------------------------------------------------------------
// Control across collectors
// ---------------------------------------------------------------------------------------------

/** A service instance connected to a collector for control (cancel, replay), as collectors list it. */
export interface ControlInstanceRecord {
  service: string;
  instanceId: string;
  /** Epoch milliseconds. */
  connectedAt: number;
  flows: Array<{ id: string; name: string; version?: string; cancel: boolean; replay: boolean }>;
}

/** What a control request sent to an instance came to. */
export type ControlAnswerRecord =
  | { kind: 'answered'; outcome: string; message?: string; traceId?: string }
  | { kind: 'lost' }
  | { kind: 'timeout' };

/** What an instance reports on its own (POST /v1/control/report): answers to requests, flows defined later. */
export interface ControlReportRecord {
  flows?: ControlInstanceRecord['flows'];
  replies?: Array<{ id: string; outcome: string; message?: string; traceId?: string }>;
}

/** The collector's side of a relay: the instances it holds, and delivery of requests and reports to them. */
export interface ControlRelayHost {
  /** The instances connected to this collector now. */
  held(): ControlInstanceRecord[];
  /** Sends a request to a held instance and resolves with what it came to, within `timeoutMs` (never rejects). */
  deliver(instanceId: string, requestId: string, payload: Record<string, unknown>, timeoutMs: number): Promise<ControlAnswerRecord>;
  /** Applies a report that reached another collector to a held instance. */
  report(instanceId: string, report: ControlReportRecord): void;
  /** A background step of the relay failed (it retries on its own). */
  onError(error: unknown): void;
}

/**
 * The control channel of collectors that share one database (ClickHouse; DuckDB, one process by
 * design, has none): every collector publishes the instances it holds, lists those the others hold,
 * and carries a request for one of them to the collector that holds it and its answer back (and an
 * instance's report that reached another collector, as a load balancer may send it, to its holder).
 * A request is delivered at most once and settled exactly once (answered, lost, or timeout after
 * `timeoutMs`); an instance whose collector stops publishing leaves every list within seconds.
 */
export interface ControlRelay {
  /** Starts publishing what `host` holds and delivering the requests addressed to it. */
  serve(host: ControlRelayHost): void;
  /** Publishes the held instances now (one connected, left or announced flows). */
  changed(): void;
  /** The instances the other collectors hold now, of one service or all. */
  remoteInstances(service?: string): Promise<ControlInstanceRecord[]>;
  /** Carries a request to the collector holding `instanceId`; `lost` when none holds it now. */
  request(instanceId: string, requestId: string, payload: Record<string, unknown>, timeoutMs: number): Promise<ControlAnswerRecord>;
  /** Carries an instance's report to the collector holding it; false when none holds it now. */
  forward(instanceId: string, report: ControlReportRecord): Promise<boolean>;
  /** Withdraws the held instances, settles waiting requests as lost and stops (idempotent). */
  stop(): Promise<void>;
}

/** Everything storage offers; `openStorage` (storage/index.ts) picks the engine. */
export interface Storage {
  readonly engine: StorageEngine;
  /** Where the data is: a database file, ':memory:', or the ClickHouse URL without credentials. */
  readonly location: string;
  /** What the operator should know about the stored data, found at open (the CLI prints them at start). */
  readonly notices: readonly string[];
  readonly writer: BatchWriter;
  readonly executions: ExecutionReads;
  readonly traces: TraceReads;
  readonly statistics: StatisticsReads & {
    /** A flow's time per node over a range (the "why" views). */
    flowTime(flow: string, fromNs: bigint, toNs: bigint): Promise<FlowTimeRecord>;
  };
  readonly catalog: CatalogReads;
  readonly grafana: GrafanaStore;
  readonly metrics: MetricStore;
  readonly sql: SqlConsole;
  /** Parquet files of the console's views (spans, executions, logs, metrics) over a time range. */
  readonly exports: ExportStore;
  readonly retention: RetentionControl;
  /** One row per answered control request (cancel, replay). */
  readonly controlLog: ControlLogStore;
  /** Control across collectors sharing this storage; absent where one process holds it (DuckDB). */
  readonly controlRelay?: ControlRelay;
  /** Lines outside any span in a time range, newest first (the "why" views). */
  loneLogs(q: LoneLogQuery): Promise<LogRecord[]>;
  /** Deletes everything stored under these trace ids; returns how many had an execution or lines. */
  deleteExecutions(traceIds: string[]): Promise<number>;
  /** Commits what is queued, then closes (a file is checkpointed). */
  close(): Promise<void>;
}
