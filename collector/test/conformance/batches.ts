/**
 * The one place the conformance suite builds `IngestBatch`es. Cases describe what they send in
 * shape-neutral specs (spans, console lines, metric points); this module turns them into OTLP
 * requests and hands those to ingest's own converters, so a batch is exactly what the collector
 * would give the writer. When the batch type changes (logical spans instead of rows), this
 * file is the one to edit; the cases do not see the batch's shape.
 *
 * A span with `endNs: null` is running: it travels as a start mark (a log record), as the
 * instrumentation sends it. Lines with `spanId: ''` belong to no span.
 */
import {
  convertLogsRequest, convertMetricsRequest, convertTraceRequest, decodeLogsRequestJson, decodeMetricsRequestJson,
  decodeTraceRequestJson, type ConvertResult,
} from '../../src/ingest/index.js';
import type { IngestBatch } from '../../src/storage/contract.js';
import { makeGauge, makeMetricsRequest, makePoint } from '../fixtures/otlp-metrics.js';
import { attr, encodeJson, makeLogRecord, makeLogsRequest, makeOtlpSpan, makeTraceRequest, strAttr, type KeyValue } from '../fixtures/otlp.js';

export type AttributeValue = string | number | boolean;

/** A span as a case writes it. Times are nanoseconds since the epoch. */
export interface SpanSpec {
  traceId: string;
  spanId: string;
  /** null or absent: no parent. */
  parentSpanId?: string | null;
  name: string;
  service: string;
  /** OTLP SpanKind number (default 1, internal). */
  kind?: number;
  startNs: bigint;
  /** null: running (a start mark). */
  endNs: bigint | null;
  /** OTLP status code: 0 unset (default), 1 ok, 2 error. */
  statusCode?: number;
  statusMessage?: string;
  /** Span attributes (flow.* and enduser.id among them). */
  attributes?: Record<string, AttributeValue>;
  /** Resource attributes besides service.name. */
  resource?: Record<string, string>;
  /** The message of an `exception` event. */
  exceptionMessage?: string;
}

/** A console line or other log record. */
export interface LineSpec {
  traceId: string;
  /** '' for a line outside any span. */
  spanId: string;
  timeNs: bigint;
  body: string;
  /** OTel severity number (default 9, INFO). */
  severity?: number;
  service: string;
}

/** One gauge data point. */
export interface PointSpec {
  service: string;
  name: string;
  timeNs: bigint;
  value: number;
  attributes?: Record<string, string>;
}

export interface BatchSpec {
  spans?: SpanSpec[];
  lines?: LineSpec[];
  points?: PointSpec[];
}

const text = (ns: bigint): string => ns.toString();

function keyValues(values: Record<string, AttributeValue> | undefined): KeyValue[] {
  return Object.entries(values ?? {}).map(([key, v]) => {
    if (typeof v === 'string') return strAttr(key, v);
    if (typeof v === 'boolean') return attr(key, { boolValue: v });
    return Number.isInteger(v) ? attr(key, { intValue: String(v) }) : attr(key, { doubleValue: v });
  });
}

function resourceOf(service: string, extra: Record<string, string> | undefined): KeyValue[] {
  return [strAttr('service.name', service), ...keyValues(extra)];
}

/** Groups items by service (and extra resource), one ResourceSpans/ResourceLogs each. */
function byResource<T extends { service: string }>(items: T[], resource: (item: T) => Record<string, string> | undefined): Array<{ resource: KeyValue[]; items: T[] }> {
  const groups = new Map<string, { resource: KeyValue[]; items: T[] }>();
  for (const item of items) {
    const extra = resource(item);
    const key = JSON.stringify([item.service, extra ?? {}]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { resource: resourceOf(item.service, extra), items: [] }));
    group.items.push(item);
  }
  return [...groups.values()];
}

function otlpSpan(s: SpanSpec): Record<string, unknown> {
  return makeOtlpSpan({
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId ?? '',
    name: s.name,
    kind: s.kind ?? 1,
    startTimeUnixNano: text(s.startNs),
    endTimeUnixNano: text(s.endNs!),
    attributes: keyValues(s.attributes),
    status: { code: s.statusCode ?? 0, ...(s.statusMessage === undefined ? {} : { message: s.statusMessage }) },
    events: s.exceptionMessage === undefined ? [] : [{
      name: 'exception', timeUnixNano: text(s.endNs!), attributes: [strAttr('exception.message', s.exceptionMessage)],
    }],
  });
}

function startMark(s: SpanSpec): Record<string, unknown> {
  return makeLogRecord({
    traceId: s.traceId,
    spanId: s.spanId,
    timeUnixNano: text(s.startNs),
    observedTimeUnixNano: text(s.startNs),
    body: { stringValue: `start ${s.name}` },
    attributes: [
      strAttr('flowtrace.mark', 'span.start'),
      strAttr('flowtrace.span.name', s.name),
      strAttr('flowtrace.span.parent_id', s.parentSpanId ?? ''),
      attr('flowtrace.span.kind', { intValue: String(s.kind ?? 1) }),
      ...keyValues(s.attributes),
    ],
  });
}

function lineRecord(l: LineSpec): Record<string, unknown> {
  return makeLogRecord({
    traceId: l.traceId,
    spanId: l.spanId,
    timeUnixNano: text(l.timeNs),
    observedTimeUnixNano: text(l.timeNs),
    severityNumber: l.severity ?? 9,
    severityText: undefined,
    body: { stringValue: l.body },
    attributes: [],
  });
}

/** Ingest refused something a case meant to send: the case is wrong, not the engine. */
function accepted(result: ConvertResult): IngestBatch {
  if (result.errors.length > 0) throw new Error(`conformance batch refused by ingest: ${result.errors.join('; ')}`);
  return result.batch;
}

/** The batch ingest makes of these spans, lines and points. */
export function batchOf(spec: BatchSpec): IngestBatch {
  const spans = spec.spans ?? [];
  const finished = spans.filter((s) => s.endNs !== null);
  const running = spans.filter((s) => s.endNs === null);
  const lines = spec.lines ?? [];
  const points = spec.points ?? [];
  const batch: IngestBatch = { spans: [], starts: [], logs: [] };
  if (finished.length > 0) {
    const request = { resourceSpans: byResource(finished, (s) => s.resource).flatMap((g) => makeTraceRequest(g.items.map(otlpSpan), { resourceAttributes: g.resource }).resourceSpans as unknown[]) };
    batch.spans = accepted(convertTraceRequest(decodeTraceRequestJson(encodeJson(request)))).spans;
  }
  const records = [
    ...byResource(running, (s) => s.resource).map((g) => ({ resource: g.resource, records: g.items.map(startMark) })),
    ...byResource(lines, () => undefined).map((g) => ({ resource: g.resource, records: g.items.map(lineRecord) })),
  ];
  if (records.length > 0) {
    const request = { resourceLogs: records.flatMap((g) => makeLogsRequest(g.records, { resourceAttributes: g.resource }).resourceLogs as unknown[]) };
    const converted = accepted(convertLogsRequest(decodeLogsRequestJson(encodeJson(request))));
    batch.starts = converted.starts;
    batch.logs = converted.logs;
  }
  if (points.length > 0) {
    const request = {
      resourceMetrics: byResource(points, () => undefined).flatMap((g) => makeMetricsRequest(
        g.items.map((p) => makeGauge(p.name, [makePoint({ timeUnixNano: text(p.timeNs), startTimeUnixNano: text(p.timeNs), asDouble: p.value, attributes: keyValues(p.attributes) })])),
        { resourceAttributes: g.resource },
      ).resourceMetrics as unknown[]),
    };
    batch.metrics = accepted(convertMetricsRequest(decodeMetricsRequestJson(encodeJson(request)))).metrics;
  }
  return batch;
}

/** Span ids a commit notice (or a batch) names: finished and running apart. */
export function spanIdsOf(batch: Pick<IngestBatch, 'spans' | 'starts'>): { finished: string[]; running: string[] } {
  return { finished: batch.spans.map((s) => s.spanId), running: batch.starts.map((s) => s.spanId) };
}

/**
 * The batch with one record no engine can store: its first span's times moved past the largest
 * 64-bit nanosecond timestamp (ingest would refuse it; the writer is the last line of defence).
 */
export function withBadRecord(batch: IngestBatch): IngestBatch {
  const [first, ...rest] = batch.spans;
  if (first === undefined) throw new Error('withBadRecord needs a batch with a finished span');
  const beyond = 2n ** 64n + 5n;
  return { ...batch, spans: [{ ...first, startTimeUnixNano: beyond, endTimeUnixNano: beyond + 1n }, ...rest] };
}
