/**
 * ExportLogsServiceRequest (ResourceLogs → ScopeLogs → LogRecord) → logical spans and log
 * lines. A record whose attribute `flowtrace.mark` is `span.start` becomes a running span
 * (endTimeUnixNano null) in batch.starts; every other record becomes a log line (console lines
 * carry their span's ids). Invalid records are rejected one by one with a reason, among them a
 * record with a value the logical line or span does not hold (a severityNumber outside the
 * enum, a flow.node.index beyond 32 bits, a dropped count beyond uint32).
 */
import {
  ATTR_MARK, ATTR_MARK_PARENT_SPAN_ID, ATTR_MARK_SPAN_KIND, ATTR_MARK_SPAN_NAME, MARK_SPAN_START,
} from '@flowtrace/instrumentation/conventions';
import type { KeyValue, LogRecord, LogsRequest } from '../otlp/shapes.js';
import { valueTypesText, type TypeTree } from '../otlp/value-types.js';
import type { BodyType, IngestLog, IngestSpan } from '../storage/index.js';
import { anyValueToJson, capString, capText, noCut, withTruncatedMark } from './any-value-json.js';
import { attributesJson, markTruncated, renderAttributes } from './attributes.js';
import {
  addError, droppedCount, emptyResult, finishErrors, INT64_MAX, requiredId, resourceContext, scopeContext, textOrNull,
  type ConvertResult, type ResourceContext, type ScopeContext,
} from './convert-common.js';
import { flowFieldsProblem, noFlowFields, scalarOf } from './flow-fields.js';
import { idToHex, isZeroHex, toUint64 } from './ids-and-times.js';
import { resolveCaps, type IngestCaps } from './ingest-caps.js';
import { logicalSpan } from './logical-span.js';
import { typeTreeOf } from './value-types.js';

const MARK_KEYS: ReadonlySet<string> = new Set([ATTR_MARK, ATTR_MARK_SPAN_NAME, ATTR_MARK_PARENT_SPAN_ID, ATTR_MARK_SPAN_KIND]);

/** A log line's body type (storage's BODY_TYPE): none, a string as it is, another AnyValue as JSON. */
const BODY_NONE: BodyType = 0;
const BODY_STRING: BodyType = 1;
const BODY_ANY_VALUE: BodyType = 2;

/** Converts a decoded logs request to log lines and running spans; invalid records are explained. */
export function convertLogsRequest(request: LogsRequest, options?: Partial<IngestCaps>): ConvertResult {
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
        const converted = marks !== null && marks.mark === MARK_SPAN_START
          ? startMarkToSpan(rec, marks, res, scope, caps)
          : recordToLog(rec, res, scope, caps);
        if (typeof converted === 'string') {
          result.rejectedLogRecords++;
          addError(result, `resourceLogs[${r}].scopeLogs[${s}].logRecords[${i}]: ${converted}`);
        } else if ('body' in converted) {
          result.batch.logs.push(converted);
        } else {
          result.batch.starts.push(converted);
        }
      }
    }
  }
  return finishErrors(result);
}

interface Marks { mark: unknown; name: unknown; parent: unknown; kind: unknown }

/** The mark attributes of a record, or null when it has no `flowtrace.mark`. */
function markAttributes(attributes: KeyValue[] | null | undefined): Marks | null {
  if (attributes == null) return null;
  let marks: Marks | null = null;
  for (let i = 0; i < attributes.length; i++) {
    const kv = attributes[i];
    if (!MARK_KEYS.has(kv.key)) continue;
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
function recordTime(rec: LogRecord): bigint | null {
  const t = toUint64(rec.timeUnixNano);
  if (t !== null && t !== 0n) return t;
  const o = toUint64(rec.observedTimeUnixNano);
  return o !== null && o !== 0n ? o : null;
}

/** A start mark → running span, or the reason it is rejected. */
function startMarkToSpan(rec: LogRecord, marks: Marks, res: ResourceContext, scope: ScopeContext, caps: IngestCaps): IngestSpan | string {
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
  const originProblem = res.problem ?? scope.problem;
  if (originProblem !== null) return `start mark: ${originProblem}`;
  const kind = typeof marks.kind === 'number' && Number.isInteger(marks.kind) && marks.kind >= 0 && marks.kind <= 5 ? marks.kind : 0;

  const cut = noCut();
  const flow = noFlowFields();
  const types: Record<string, TypeTree> = {};
  const attributes = renderAttributes(rec.attributes, caps, cut, types, { flow, omit: MARK_KEYS });
  const flowProblem = flowFieldsProblem(flow);
  if (flowProblem !== null) return `start mark: ${flowProblem}`;
  const name = capString(typeof marks.name === 'string' ? marks.name : '', caps, cut);
  if (cut.truncated || cut.dropped > 0) markTruncated(attributes);
  const dropped = droppedCount(rec.droppedAttributesCount, cut.dropped, 'droppedAttributesCount');
  if (typeof dropped === 'string') return `start mark: ${dropped}`;
  const out = logicalSpan(res, scope, flow, attributes);
  out.traceId = traceId.hex;
  out.spanId = spanId.hex;
  out.parentSpanId = parentSpanId;
  out.name = name;
  out.kind = kind;
  out.startTimeUnixNano = start;
  out.flags = typeof rec.flags === 'number' ? rec.flags >>> 0 : 0;
  out.droppedAttributesCount = dropped;
  if (cut.typed !== undefined) out.valueTypes = valueTypesText({ attributes: types });
  return out;
}

/** An optional id: '' when absent; a string reason when present but invalid. */
function optionalId(id: LogRecord['traceId'], bytes: number, field: string): { hex: string } | string {
  const hex = idToHex(id);
  if (hex === null) return `${field} is not hex`;
  if (hex === '' || isZeroHex(hex)) return { hex: '' };
  return hex.length === bytes * 2 ? { hex } : `${field} must be ${bytes} bytes, got ${hex.length / 2}`;
}

/** A log record → log line, or the reason it is rejected. */
function recordToLog(rec: LogRecord, res: ResourceContext, scope: ScopeContext, caps: IngestCaps): IngestLog | string {
  const traceId = optionalId(rec.traceId, 16, 'traceId');
  if (typeof traceId === 'string') return traceId;
  const spanId = optionalId(rec.spanId, 8, 'spanId');
  if (typeof spanId === 'string') return spanId;
  const time = toUint64(rec.timeUnixNano) ?? 0n;
  const observed = toUint64(rec.observedTimeUnixNano) ?? 0n;
  if (time > INT64_MAX || observed > INT64_MAX) return 'timeUnixNano is out of range';
  if (time === 0n && observed === 0n) return 'timeUnixNano and observedTimeUnixNano are both missing';
  const severityNumber = typeof rec.severityNumber === 'number' ? rec.severityNumber : 0;
  if (!Number.isInteger(severityNumber) || severityNumber < 0 || severityNumber > 24) {
    return `severityNumber ${severityNumber} is out of range (the SeverityNumber enum: 0 to 24)`;
  }
  const originProblem = res.problem ?? scope.problem;
  if (originProblem !== null) return originProblem;

  const cut = noCut();
  let body = '';
  let bodyType = BODY_NONE;
  let bodyTypes: TypeTree | null = null;
  const b = rec.body;
  if (b != null) {
    if (typeof b.stringValue === 'string') {
      body = capString(b.stringValue, caps, cut);
      bodyType = BODY_STRING;
    } else {
      // Any other AnyValue (an empty one too, as null): JSON text, its type kept by bodyType.
      body = anyValueToJson(b, caps, cut, 0);
      bodyType = BODY_ANY_VALUE;
      if (cut.typed !== undefined) bodyTypes = typeTreeOf(b, caps, 0);
    }
  }
  const typedBefore = cut.typed;
  const types: Record<string, TypeTree> = {};
  let attributes = attributesJson(rec.attributes, caps, cut, types);
  const severityText = capText(textOrNull(rec.severityText), caps, cut);
  const eventName = capText(textOrNull(rec.eventName), caps, cut);
  if (cut.truncated || cut.dropped > 0) attributes = withTruncatedMark(attributes);
  const dropped = droppedCount(rec.droppedAttributesCount, cut.dropped, 'droppedAttributesCount');
  if (typeof dropped === 'string') return dropped;
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
    droppedAttributesCount: dropped,
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
