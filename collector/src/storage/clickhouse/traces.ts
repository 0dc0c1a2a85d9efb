/**
 * The reads of one trace on ClickHouse (the contract's TraceReads). A trace's spans are one
 * primary-key range of span_data (ordered by trace id), read as the newest version of each span
 * (LIMIT 1 BY: a finished span replaces its running mark and retries show once). LIMIT 1 BY over
 * FINAL: a 50-span trace 10.9 vs 16.6 ms with merges running, 12.0 vs 79.4 ms with 84 unmerged
 * parts; a 20,000-span trace 459 vs 354 ms and 286 vs 273 ms (chDB, 220k spans,
 * test/clickhouse/measure/read-shapes.measure.ts) — traces are mostly small, and FINAL's cost
 * grows with the parts a steady ingest leaves. Span JSON and outline tuples are rendered in
 * JavaScript (span-json.ts) from the columns they need. Not-found is `undefined`.
 */
import type { SpanJson, SpanMatch, TraceJson, TraceOutlineJson, TraceReads, TraceRecord } from '../contract.js';
import type { ExecutionRecord, LogRecord, SpanRecord } from '../records.js';
import { linesFrom, linesUntil } from '../traces/trace-lines.js';
import type { ClickHouseConnection, Row } from './connection.js';
import type { ClickHouseExecutions } from './executions.js';
import { attributeMatch, attributeParams } from './execution-list-sql.js';
import { outlineTuple, spanJson, type EventParts, type LinkParts } from './span-json.js';
import { logRecordOf, spanRecordOf } from './span-rows.js';
import type { Tables } from './tables.js';

/** Events and links as the parts Span JSON splices (their attributes as stored JSON text). */
const EVENT_LINK_PARTS = `
  arrayMap(e -> (JSONExtractString(e, 'name'), JSONExtractString(e, 'timeUnixNano'), JSONExtractRaw(e, 'attributes')),
           JSONExtractArrayRaw(events)) AS event_parts,
  arrayMap(l -> (JSONExtractString(l, 'traceId'), JSONExtractString(l, 'spanId'), JSONExtractRaw(l, 'traceState'), JSONExtractRaw(l, 'attributes')),
           JSONExtractArrayRaw(links)) AS link_parts`;

/**
 * A trace's lines in time order, each once: log_data's sorting key identifies a line, and rows
 * sharing it are copies of one line (a retry), so any one of them is it. LIMIT 1 BY on the key
 * instead of FINAL: 4.6 against 7.7 ms for a trace's lines (chDB, the 100k-span benchmark database).
 */
const ONE_LINE_EACH = 'ORDER BY time_ns, span_id, severity_number, cityHash64(body) LIMIT 1 BY time_ns, span_id, severity_number, cityHash64(body)';

const OUTLINE_COLUMNS = `span_id, parent_span_id, name, service_name, kind, start_ns, end_ns, status_code, status_message,
  flow_status, node_id, node_name, node_type, node_index`;

/** The newest version of each span of one trace (params: trace_id, and span_id with `oneSpan`). */
function currentSpans(t: Tables, columns: string, oneSpan = false): string {
  return `SELECT ${columns} FROM ${t.spans} WHERE trace_id = {trace_id:String}${oneSpan ? ' AND span_id = {span_id:String}' : ''}
    ORDER BY span_id, version DESC LIMIT 1 BY span_id`;
}

const byStart = (a: SpanRecord, b: SpanRecord): number =>
  a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;

export class ClickHouseTraces implements TraceReads {
  constructor(
    private readonly conn: ClickHouseConnection,
    private readonly t: Tables,
    private readonly executions: ClickHouseExecutions,
  ) {}

  async get(traceId: string): Promise<TraceRecord | undefined> {
    const execution = await this.executions.get(traceId);
    return execution && this.of(execution);
  }

  async of(execution: ExecutionRecord): Promise<TraceRecord> {
    const [rows, logs] = await Promise.all([
      this.conn.query(currentSpans(this.t, '*'), { trace_id: execution.traceId }),
      this.logs(execution),
    ]);
    return { execution, spans: rows.map(spanRecordOf).sort(byStart), logs };
  }

  async getJson(traceId: string): Promise<TraceJson | undefined> {
    const execution = await this.executions.get(traceId);
    return execution && this.jsonOf(execution);
  }

  async jsonOf(execution: ExecutionRecord): Promise<TraceJson> {
    const [rows, logs] = await Promise.all([this.spanRows(execution.traceId), this.logs(execution)]);
    const spans = rows.map((r) => ({ record: spanRecordOf(r), row: r })).sort((a, b) => byStart(a.record, b.record));
    return {
      execution,
      spansJson: spans.map(({ record, row }) => spanJson(record, row.event_parts as EventParts[], row.link_parts as LinkParts[])).join(','),
      spanCount: spans.length,
      spanIds: spans.map(({ record }) => record.spanId),
      parentSpanIds: spans.map(({ record }) => record.parentSpanId),
      logs,
    };
  }

  async outline(traceId: string): Promise<TraceOutlineJson | undefined> {
    const execution = await this.executions.get(traceId);
    if (!execution) return undefined;
    const rows = await this.conn.query(currentSpans(this.t, `${OUTLINE_COLUMNS}, version`), { trace_id: traceId });
    const spans = rows.map(spanRecordOf).sort(byStart);
    const baseNs = spans.length === 0 ? 0n : spans[0].startTimeUnixNano;
    const ids = new Set(spans.map((s) => s.spanId));
    const orphanCount = spans.filter((s) => s.parentSpanId !== null && s.spanId !== execution.rootSpanId && !ids.has(s.parentSpanId)).length;
    return { execution, baseNs, spanCount: spans.length, orphanCount, spansJson: spans.map((s) => outlineTuple(s, baseNs)).join(',') };
  }

  async span(execution: ExecutionRecord, spanId: string): Promise<SpanJson | undefined> {
    const [rows, logs] = await Promise.all([
      this.spanRows(execution.traceId, spanId),
      this.conn.query(
        `SELECT * FROM ${this.t.logs} WHERE trace_id = {trace_id:String} AND span_id = {span_id:String}`
          + ` AND time_ns BETWEEN {lo:Int64} AND {hi:Int64} ${ONE_LINE_EACH}`,
        { ...this.linesWindow(execution), span_id: spanId },
      ),
    ]);
    if (rows.length === 0) return undefined;
    const row = rows[0];
    return { spanJson: spanJson(spanRecordOf(row), row.event_parts as EventParts[], row.link_parts as LinkParts[]), logs: logs.map(logRecordOf) };
  }

  async spanIdsMatching(execution: ExecutionRecord, match: SpanMatch, signal?: AbortSignal): Promise<string[]> {
    const params: Record<string, unknown> = { trace_id: execution.traceId };
    const where: string[] = [];
    if (match.text !== undefined && match.text !== '') {
      params.text = match.text;
      const has = (c: string): string => `positionCaseInsensitiveUTF8(${c}, {text:String}) > 0`;
      const hot = `concatWithSeparator(' ', ${['flow_id', 'user_id', 'trigger_type', 'node_id', 'node_name', 'node_type'].map((c) => `ifNull(${c}, '')`).join(', ')})`;
      where.push(`(${[has('attributes'), has('resource_attributes'), has(hot), has("ifNull(large_attributes, '')"), has('events')].join(' OR ')})`);
    }
    (match.attributes ?? []).forEach(({ key, value }, i) => {
      Object.assign(params, attributeParams(`m${i}`, key, value));
      where.push(`(${attributeMatch('attributes', `m${i}`)} OR ${attributeMatch('resource_attributes', `m${i}`)}`
        + ` OR ${attributeMatch("ifNull(large_attributes, '')", `m${i}`)})`);
    });
    const rows = await this.conn.query(
      `SELECT span_id FROM (${currentSpans(this.t, '*')})${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY span_id`,
      params, {}, signal,
    );
    return rows.map((r) => String(r.span_id));
  }

  async logs(execution: ExecutionRecord): Promise<LogRecord[]> {
    const rows = await this.conn.query(
      `SELECT * FROM ${this.t.logs} WHERE trace_id = {trace_id:String} AND time_ns BETWEEN {lo:Int64} AND {hi:Int64} ${ONE_LINE_EACH}`,
      this.linesWindow(execution),
    );
    return rows.map(logRecordOf);
  }

  /** Every column of a trace's spans (or one span) plus the event and link parts Span JSON splices. */
  private spanRows(traceId: string, spanId?: string): Promise<Row[]> {
    return this.conn.query(
      currentSpans(this.t, `*, ${EVENT_LINK_PARTS}`, spanId !== undefined),
      spanId === undefined ? { trace_id: traceId } : { trace_id: traceId, span_id: spanId },
    );
  }

  /** The window of a trace's console lines (traces/trace-lines.ts: what the DuckDB engine shows too). */
  private linesWindow(execution: ExecutionRecord): { trace_id: string; lo: string; hi: string } {
    return { trace_id: execution.traceId, lo: linesFrom(execution).toString(), hi: linesUntil(execution).toString() };
  }
}
