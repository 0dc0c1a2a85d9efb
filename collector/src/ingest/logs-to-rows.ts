/**
 * ExportLogsServiceRequest (ResourceLogs → ScopeLogs → LogRecord) → rows. A record whose
 * attribute `flowtrace.mark` is `span.start` becomes a running SpanRow (endTimeUnixNano null)
 * in batch.starts; every other record becomes a LogRow (console lines carry their span's ids).
 * Invalid records are rejected one by one with a reason, among them a record with a value its
 * table's column cannot hold (a severityNumber outside the enum, a flow.node.index beyond
 * INTEGER), checked against storage/table-columns.ts so that it never reaches a group commit.
 */
import {
  ATTR_MARK, ATTR_MARK_PARENT_SPAN_ID, ATTR_MARK_SPAN_KIND, ATTR_MARK_SPAN_NAME, MARK_SPAN_START,
} from '@flowtrace/instrumentation/conventions';
import { BODY_TYPE, type LogRow, type SpanRow } from '../storage/rows.js';
import { severityTextOf } from '../storage/severity.js';
import { valueTypesText, type TypeTree } from '../storage/value-types.js';
import { logRowProblem, startRowProblem } from '../storage/table-columns.js';
import { anyValueToJson, attributesToJson, capString, capText, withTruncatedMark, type AttributeParts, type CutState } from './any-value-json.js';
import {
  addError, count, emptyResult, finishErrors, INT64_MAX, requiredId, resourceContext, scopeContext, textOrNull,
  type ConvertResult, type ResourceContext, type ScopeContext,
} from './convert-common.js';
import { emptyHotFields, scalarOf } from './hot-fields.js';
import { idToHex, isZeroHex, toUint64 } from './ids-and-times.js';
import { resolveCaps, type IngestCaps } from './ingest-caps.js';
import type { LogRecordIn, LogsRequestIn } from './otlp-model.js';
import { typeTreeOf } from './value-types.js';

const MARK_KEYS: ReadonlySet<string> = new Set([ATTR_MARK, ATTR_MARK_SPAN_NAME, ATTR_MARK_PARENT_SPAN_ID, ATTR_MARK_SPAN_KIND]);

/** Converts a decoded logs request to log rows and running spans; invalid records are explained. */
export function convertLogsRequest(request: LogsRequestIn, options?: Partial<IngestCaps>): ConvertResult {
  const caps = resolveCaps(options);
  const result = emptyResult();
  const resourceLogs = request.resourceLogs ?? [];
  for (let r = 0; r < resourceLogs.length; r++) {
    const rl = resourceLogs[r];
    const res = resourceContext(rl.resource, caps, rl.schemaUrl);
    const scopeLogs = rl.scopeLogs ?? [];
    for (let s = 0; s < scopeLogs.length; s++) {
      const sl = scopeLogs[s];
      const scope = scopeContext(sl.scope, caps, sl.schemaUrl);
      const records = sl.logRecords ?? [];
      for (let i = 0; i < records.length; i++) {
        const rec = records[i];
        const marks = markAttributes(rec.attributes);
        const row = marks !== null && marks.mark === MARK_SPAN_START
          ? checked(startMarkToSpan(rec, marks, res, scope, caps), startRowProblem)
          : checked(recordToLog(rec, res, scope, caps), logRowProblem);
        if (typeof row === 'string') {
          result.rejectedLogRecords++;
          addError(result, `resourceLogs[${r}].scopeLogs[${s}].logRecords[${i}]: ${row}`);
        } else if ('body' in row) {
          result.batch.logs.push(row);
        } else {
          result.batch.starts.push(row);
        }
      }
    }
  }
  return finishErrors(result);
}

/** The row, or why its table cannot hold it. */
function checked<R>(row: R | string, problem: (row: R) => string | null): R | string {
  return typeof row === 'string' ? row : problem(row) ?? row;
}

interface Marks { mark: unknown; name: unknown; parent: unknown; kind: unknown }

/** The mark attributes of a record, or null when it has no `flowtrace.mark`. */
function markAttributes(attributes: unknown): Marks | null {
  if (!Array.isArray(attributes)) return null;
  let marks: Marks | null = null;
  for (let i = 0; i < attributes.length; i++) {
    const kv = attributes[i] as { key?: unknown; value?: unknown } | null;
    if (kv === null || typeof kv !== 'object' || typeof kv.key !== 'string' || !MARK_KEYS.has(kv.key)) continue;
    marks ??= { mark: null, name: null, parent: null, kind: null };
    const v = scalarOf(kv.value);
    if (kv.key === ATTR_MARK) marks.mark = v;
    else if (kv.key === ATTR_MARK_SPAN_NAME) marks.name = v;
    else if (kv.key === ATTR_MARK_PARENT_SPAN_ID) marks.parent = v;
    else marks.kind = v;
  }
  return marks !== null && marks.mark !== null ? marks : null;
}

/** The record's time: timeUnixNano, or observedTimeUnixNano when that is 0; null when neither. */
function recordTime(rec: LogRecordIn): bigint | null {
  const t = toUint64(rec.timeUnixNano);
  if (t !== null && t !== 0n) return t;
  const o = toUint64(rec.observedTimeUnixNano);
  return o !== null && o !== 0n ? o : null;
}

/** A start mark → running span row, or the reason it is rejected. */
function startMarkToSpan(rec: LogRecordIn, marks: Marks, res: ResourceContext, scope: ScopeContext, caps: IngestCaps): SpanRow | string {
  const traceId = requiredId(rec.traceId, 16, 'traceId');
  if (typeof traceId === 'string') return `start mark: ${traceId}`;
  const spanId = requiredId(rec.spanId, 8, 'spanId');
  if (typeof spanId === 'string') return `start mark: ${spanId}`;
  let parentSpanId: string | null = null;
  if (typeof marks.parent === 'string' && marks.parent !== '') {
    const hex = idToHex(marks.parent);
    if (hex === null || hex.length !== 16) return `start mark: ${ATTR_MARK_PARENT_SPAN_ID} must be 8 bytes of hex`;
    if (!isZeroHex(hex)) parentSpanId = hex;
  }
  const start = recordTime(rec);
  if (start === null) return 'start mark: timeUnixNano is missing';
  if (start > INT64_MAX) return 'start mark: timeUnixNano is out of range';
  const kind = typeof marks.kind === 'number' && Number.isInteger(marks.kind) && marks.kind >= 0 && marks.kind <= 5 ? marks.kind : 0;

  const cut: CutState = { truncated: false, dropped: 0 };
  const hot = emptyHotFields();
  const parts: AttributeParts = { large: null, moved: null, indexed: null };
  let attributes = attributesToJson(rec.attributes, caps, cut, hot, MARK_KEYS, parts);
  const name = capString(typeof marks.name === 'string' ? marks.name : '', caps, cut);
  if (cut.truncated || cut.dropped > 0) attributes = withTruncatedMark(attributes);
  return {
    // Listed one by one: a spread here turns every row into a slow dictionary-mode object.
    traceId: traceId.hex,
    spanId: spanId.hex,
    parentSpanId,
    traceState: null,
    name,
    kind,
    serviceName: res.serviceName,
    startTimeUnixNano: start,
    endTimeUnixNano: null,
    statusCode: 0,
    statusMessage: null,
    exceptionMessage: null,
    attributes,
    largeAttributes: parts.large,
    movedAttributes: 0,
    indexedValues: null,
    resourceAttributes: res.resourceAttributes,
    scopeName: scope.name,
    scopeVersion: scope.version,
    events: '[]',
    links: '[]',
    flags: typeof rec.flags === 'number' ? rec.flags >>> 0 : 0,
    droppedAttributesCount: count(rec.droppedAttributesCount) + cut.dropped,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    executionKind: hot.executionKind,
    flowId: hot.flowId,
    flowName: hot.flowName,
    flowVersion: hot.flowVersion,
    triggerType: hot.triggerType,
    userId: hot.userId,
    nodeId: hot.nodeId,
    nodeName: hot.nodeName,
    nodeType: hot.nodeType,
    nodeIndex: hot.nodeIndex,
    flowStatus: hot.flowStatus,
    errorNodeId: hot.errorNodeId,
    // span_starts keeps none of these (a running span is not exported; its end brings them).
    resourceSchemaUrl: null,
    resourceDroppedAttributesCount: 0,
    scopeAttributes: null,
    scopeDroppedAttributesCount: 0,
    scopeSchemaUrl: null,
    valueTypes: null,
  };
}

/** SeverityText from a SeverityNumber (9 → INFO, 10 → INFO2 …); null for 0 or out of range. Storage owns the rule. */
export { severityTextOf };

/** An optional id: '' when absent; a string reason when present but invalid. */
function optionalId(id: LogRecordIn['traceId'], bytes: number, field: string): { hex: string } | string {
  const hex = idToHex(id);
  if (hex === null) return `${field} is not hex`;
  if (hex === '' || isZeroHex(hex)) return { hex: '' };
  return hex.length === bytes * 2 ? { hex } : `${field} must be ${bytes} bytes, got ${hex.length / 2}`;
}

/** A log record → LogRow, or the reason it is rejected. */
function recordToLog(rec: LogRecordIn, res: ResourceContext, scope: ScopeContext, caps: IngestCaps): LogRow | string {
  const traceId = optionalId(rec.traceId, 16, 'traceId');
  if (typeof traceId === 'string') return traceId;
  const spanId = optionalId(rec.spanId, 8, 'spanId');
  if (typeof spanId === 'string') return spanId;
  const time = toUint64(rec.timeUnixNano) ?? 0n;
  const observed = toUint64(rec.observedTimeUnixNano) ?? 0n;
  if (time > INT64_MAX || observed > INT64_MAX) return 'timeUnixNano is out of range';
  if (time === 0n && observed === 0n) return 'timeUnixNano and observedTimeUnixNano are both missing';

  const cut: CutState = { truncated: false, dropped: 0 };
  let body = '';
  let bodyType: number = BODY_TYPE.none;
  let bodyTypes: TypeTree | null = null;
  const b = rec.body as { stringValue?: unknown; string_value?: unknown } | null | undefined;
  if (b != null && typeof b === 'object') {
    const s = b.stringValue ?? b.string_value;
    if (typeof s === 'string') {
      body = capString(s, caps, cut);
      bodyType = BODY_TYPE.string;
    } else {
      // Any other AnyValue (an empty one too, as null): JSON text, its type kept by bodyType.
      body = anyValueToJson(b, 'body', caps, cut, 0);
      bodyType = BODY_TYPE.anyValue;
      if (cut.typed !== undefined) bodyTypes = typeTreeOf(b, caps, 0);
    }
  }
  const typedBefore = cut.typed;
  const types: Record<string, TypeTree> = {};
  let attributes = attributesToJson(rec.attributes, caps, cut, null, null, null, types);
  const severityText = capText(textOrNull(rec.severityText), caps, cut);
  const eventName = capText(textOrNull(rec.eventName), caps, cut);
  if (cut.truncated || cut.dropped > 0) attributes = withTruncatedMark(attributes);
  const severityNumber = typeof rec.severityNumber === 'number' ? rec.severityNumber : 0;
  return {
    traceId: traceId.hex,
    spanId: spanId.hex,
    timeUnixNano: time,
    observedTimeUnixNano: observed,
    severityNumber,
    severityText,
    body,
    bodyType,
    attributes,
    resourceAttributes: res.resourceAttributes,
    serviceName: res.serviceName,
    scopeName: scope.name,
    scopeVersion: scope.version,
    eventName,
    flags: typeof rec.flags === 'number' ? rec.flags >>> 0 : 0,
    droppedAttributesCount: count(rec.droppedAttributesCount) + cut.dropped,
    resourceSchemaUrl: res.schemaUrl,
    resourceDroppedAttributesCount: res.droppedAttributesCount,
    scopeAttributes: scope.attributes,
    scopeDroppedAttributesCount: scope.droppedAttributesCount,
    scopeSchemaUrl: scope.schemaUrl,
    valueTypes: cut.typed === undefined && res.types === null && scope.types === null ? null
      : valueTypesText({ resource: res.types ?? undefined, scope: scope.types ?? undefined,
        attributes: cut.typed !== typedBefore ? types : undefined, body: bodyTypes ?? undefined }),
  };
}
