/**
 * The change feed's rows (table change_feed, schema-side.ts) both ways: a commit's notice as the
 * ids of what it stored, and rows of other collectors back as notices, their spans, lines and
 * executions read from the tables.
 *
 * Why ids: the feed carried the notice's span summaries and lines (~42 B per span on disk, and a
 * poll re-read the last 10 s of every collector's notices, its own included: 400 MB of JSON parsed
 * on the main thread over a 100k-span benchmark ingest). A row now names traces, span ids and line
 * identities (~10 B per span); a poller reads only the rows of other collectors it has not
 * announced, and the spans they name by primary key, only the columns a live event shows.
 *
 * Invariants: a notice read back announces exactly the spans, running marks and trace-bound lines
 * the committing collector announced (a line is identified by trace, span, time, severity and the
 * first 64 bits of its body's MD5), with its executions as stored when read (at least as new as at
 * the commit) and the commit's own created / root-finished / root-started flags.
 */
import { createHash } from 'node:crypto';
import type { ChangedExecution, CommitNotice } from '../contract.js';
import type { ExecutionRecord } from '../records.js';
import type { BodyType, IngestLog, IngestSpan } from '../span-model/span.js';
import { pairsParam, tuplesParam, type ClickHouseConnection, type Row } from './connection.js';
import type { Tables } from './tables.js';

export const FEED_COLUMNS = ['commit_id', 'collector_id', 'trace_ids', 'trace_flags', 'spans', 'starts', 'lines', 'log_count', 'metric_point_count'] as const;

const CREATED = 1;
const ROOT_FINISHED_NOW = 2;
const ROOT_STARTED_NOW = 4;
const HAS_EXECUTION = 8;

/** The first 16 hex digits (upper case, as SQL's hex()) of a line body's MD5. */
export function bodyHash(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex').slice(0, 16).toUpperCase();
}

/** A commit's feed row in FEED_COLUMNS order, or undefined when it stored nothing to announce. */
export function feedRow(commitId: string, collectorId: string, n: CommitNotice): unknown[] | undefined {
  if (n.spans.length === 0 && n.starts.length === 0 && n.logs.length === 0) return undefined;
  const index = new Map<string, number>();
  const traceIndex = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) index.set(id, (i = index.size));
    return i;
  };
  const spans = n.spans.map((s) => [traceIndex(s.traceId), s.spanId]);
  const starts = n.starts.map((s) => [traceIndex(s.traceId), s.spanId]);
  const lines = n.logs.filter((l) => l.traceId !== '')
    .map((l) => [traceIndex(l.traceId), l.spanId, l.timeUnixNano.toString(), l.severityNumber, bodyHash(l.body)]);
  for (const e of n.executions) traceIndex(e.traceId);
  const flags = new Array<number>(index.size).fill(0);
  for (const e of n.executions) {
    flags[index.get(e.traceId)!] = HAS_EXECUTION | (e.created ? CREATED : 0) | (e.rootFinishedNow ? ROOT_FINISHED_NOW : 0) | (e.rootStartedNow ? ROOT_STARTED_NOW : 0);
  }
  return [commitId, collectorId, [...index.keys()], flags, spans, starts, lines, n.logCount, n.metricPointCount ?? 0];
}

/** What the notices of feed rows need from the executions read model. */
export interface ExecutionLookup {
  getMany(traceIds: readonly string[]): Promise<Map<string, ExecutionRecord>>;
}

const SUMMARY_COLUMNS = 'trace_id, span_id, parent_span_id, name, kind, service_name, start_ns, end_ns, status_code, status_message, flow_status, node_id, node_name, node_type, node_index';

/** Feed rows (as read by change-feed.ts, in commit order) as their notices. */
export async function noticesOf(conn: ClickHouseConnection, t: Tables, executions: ExecutionLookup, rows: readonly Row[]): Promise<CommitNotice[]> {
  const traceIds = new Set<string>();
  const pairs: Array<[string, string]> = [];
  const lineKeys: Array<[string, string, string, number]> = [];
  const withExecution = new Set<string>();
  for (const row of rows) {
    const ids = row.trace_ids as string[];
    for (const id of ids) traceIds.add(id);
    (row.trace_flags as number[]).forEach((f, i) => (f & HAS_EXECUTION ? withExecution.add(ids[i]) : undefined));
    for (const [i, spanId] of [...(row.spans as Array<[number, string]>), ...(row.starts as Array<[number, string]>)]) pairs.push([ids[i], spanId]);
    for (const [i, spanId, time, severity] of row.lines as Array<[number, string, string, number, string]>) lineKeys.push([ids[i], spanId, String(time), Number(severity)]);
  }
  const ids = [...traceIds];
  const [spanRows, lineRows, records] = await Promise.all([
    pairs.length === 0 ? [] : conn.query(
      `SELECT ${SUMMARY_COLUMNS} FROM ${t.spans} WHERE trace_id IN {ids:Array(String)} AND (trace_id, span_id) IN {pairs:Array(Tuple(String, String))}
       ORDER BY trace_id, span_id, version DESC LIMIT 1 BY trace_id, span_id`,
      { ids, pairs: pairsParam(pairs) },
    ),
    lineKeys.length === 0 ? [] : conn.query(
      `SELECT trace_id, span_id, time_ns, observed_time_ns, severity_number, severity_text, leftUTF8(body, 4096) AS body, body_type, service_name,
         left(hex(MD5(body)), 16) AS h
       FROM ${t.logs} WHERE trace_id IN {ids:Array(String)} AND (trace_id, span_id, time_ns, severity_number) IN {keys:Array(Tuple(String, String, Int64, UInt8))}
       LIMIT 1 BY trace_id, span_id, time_ns, severity_number, h`,
      { ids, keys: tuplesParam(lineKeys.map(([a, b, c, d]) => [a, b, BigInt(c), d])) },
    ),
    executions.getMany([...withExecution]),
  ]);
  const spanOf = new Map(spanRows.map((r) => [`${String(r.trace_id)}/${String(r.span_id)}`, r]));
  const lineOf = new Map(lineRows.map((r) => [`${String(r.trace_id)}/${String(r.span_id)}/${String(r.time_ns)}/${Number(r.severity_number)}/${String(r.h)}`, r]));
  return rows.map((row) => {
    const tids = row.trace_ids as string[];
    const span = ([i, spanId]: [number, string], running: boolean): IngestSpan[] => {
      const r = spanOf.get(`${tids[i]}/${spanId}`);
      return r === undefined ? [] : [summarySpan(r, running)];
    };
    const logs = (row.lines as Array<[number, string, string, number, string]>).flatMap(([i, spanId, time, severity, h]) => {
      const r = lineOf.get(`${tids[i]}/${spanId}/${String(time)}/${Number(severity)}/${h}`);
      return r === undefined ? [] : [summaryLog(r)];
    });
    const flags = row.trace_flags as number[];
    const changed = tids.flatMap((id, i): ChangedExecution[] => {
      const e = flags[i] & HAS_EXECUTION ? records.get(id) : undefined;
      return e === undefined ? [] : [{ ...e, created: (flags[i] & CREATED) !== 0, rootFinishedNow: (flags[i] & ROOT_FINISHED_NOW) !== 0, rootStartedNow: (flags[i] & ROOT_STARTED_NOW) !== 0 }];
    });
    return {
      spans: (row.spans as Array<[number, string]>).flatMap((p) => span(p, false)),
      starts: (row.starts as Array<[number, string]>).flatMap((p) => span(p, true)),
      logs,
      logCount: Number(row.log_count),
      metricPointCount: Number(row.metric_point_count),
      executions: changed,
    };
  });
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A span's summary fields (what a live event shows; the rest at their empty values); a running mark shows no end. */
function summarySpan(r: Row, running: boolean): IngestSpan {
  return {
    traceId: String(r.trace_id), spanId: String(r.span_id), parentSpanId: r.parent_span_id === '' ? null : text(r.parent_span_id), traceState: null,
    name: String(r.name), kind: Number(r.kind), serviceName: String(r.service_name),
    startTimeUnixNano: BigInt(r.start_ns as string), endTimeUnixNano: running || r.end_ns === null ? null : BigInt(r.end_ns as string),
    statusCode: running ? 0 : Number(r.status_code), statusMessage: running ? null : text(r.status_message), exceptionMessage: null,
    executionKind: null, flowId: null, flowName: null, flowVersion: null, triggerType: null, userId: null,
    nodeId: text(r.node_id), nodeName: text(r.node_name), nodeType: text(r.node_type),
    nodeIndex: r.node_index === null ? null : Number(r.node_index), flowStatus: running ? null : text(r.flow_status), errorNodeId: null,
    attributes: [], resourceAttributes: '{}',
    scopeName: null, scopeVersion: null, events: '[]', links: '[]', flags: 0,
    droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0,
    resourceSchemaUrl: null, resourceDroppedAttributesCount: 0, scopeAttributes: null, scopeDroppedAttributesCount: 0, scopeSchemaUrl: null, valueTypes: null,
  };
}

function summaryLog(r: Row): IngestLog {
  return {
    traceId: String(r.trace_id), spanId: String(r.span_id), timeUnixNano: BigInt(r.time_ns as string),
    observedTimeUnixNano: BigInt(r.observed_time_ns as string), severityNumber: Number(r.severity_number),
    severityText: text(r.severity_text), body: String(r.body), bodyType: Number(r.body_type) as BodyType,
    attributes: '{}', resourceAttributes: '{}', serviceName: String(r.service_name), scopeName: null, scopeVersion: null, eventName: null,
    flags: 0, droppedAttributesCount: 0,
    resourceSchemaUrl: null, resourceDroppedAttributesCount: 0, scopeAttributes: null, scopeDroppedAttributesCount: 0, scopeSchemaUrl: null, valueTypes: null,
  };
}
