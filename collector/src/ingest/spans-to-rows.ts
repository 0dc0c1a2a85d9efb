/**
 * ExportTraceServiceRequest (ResourceSpans → ScopeSpans → Span) → SpanRow. Each span is
 * validated on its own: a span with a bad id, a missing start or end, or an end before its
 * start is rejected with a reason and the others are kept. Caps cut what is too big and mark
 * the span (dropped counts, `flowtrace.truncated`). Last, the row is checked against span_data's
 * columns (storage/table-columns.ts): a value no column can hold (a flow.node.index beyond
 * INTEGER, a dropped count beyond UINTEGER) rejects this span here rather than failing the group
 * commit it would share with other requests.
 */
import { ATTR_EXCEPTION_MESSAGE, EVENT_EXCEPTION } from '@flowtrace/instrumentation/conventions';
import type { SpanRow } from '../storage/rows.js';
import { spanRowProblem } from '../storage/table-columns.js';
import { valueTypesText, type TypeTree } from '../storage/value-types.js';
import { attributesToJson, capString, capText, withTruncatedMark, type CutState, type AttributeParts } from './any-value-json.js';
import {
  addError, count, emptyResult, finishErrors, INT64_MAX, requiredId, resourceContext, scopeContext, textOrNull,
  type ConvertResult, type ResourceContext, type ScopeContext,
} from './convert-common.js';
import { emptyHotFields, scalarOf } from './hot-fields.js';
import { idToHex, isZeroHex, toUint64 } from './ids-and-times.js';
import { resolveCaps, type IngestCaps } from './ingest-caps.js';
import type { EventIn, KeyValueIn, LinkIn, SpanIn, TraceRequestIn } from './otlp-model.js';

/** Converts a decoded trace request to span rows; invalid spans are counted and explained. */
export function convertTraceRequest(request: TraceRequestIn, options?: Partial<IngestCaps>): ConvertResult {
  const caps = resolveCaps(options);
  const result = emptyResult();
  const resourceSpans = request.resourceSpans ?? [];
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs = resourceSpans[r];
    const res = resourceContext(rs.resource, caps, rs.schemaUrl);
    const scopeSpans = rs.scopeSpans ?? [];
    for (let s = 0; s < scopeSpans.length; s++) {
      const ss = scopeSpans[s];
      const scope = scopeContext(ss.scope, caps, ss.schemaUrl);
      const spans = ss.spans ?? [];
      for (let i = 0; i < spans.length; i++) {
        const row = convertSpan(spans[i], res, scope, caps);
        if (typeof row === 'string') {
          result.rejectedSpans++;
          addError(result, `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]: ${row}`);
        } else {
          result.batch.spans.push(row);
        }
      }
    }
  }
  return finishErrors(result);
}

/** One span → row, or the reason it is rejected. */
export function convertSpan(span: SpanIn, res: ResourceContext, scope: ScopeContext, caps: IngestCaps): SpanRow | string {
  const row = spanToRow(span, res, scope, caps);
  return typeof row === 'string' ? row : spanRowProblem(row) ?? row;
}

function spanToRow(span: SpanIn, res: ResourceContext, scope: ScopeContext, caps: IngestCaps): SpanRow | string {
  const traceId = requiredId(span.traceId, 16, 'traceId');
  if (typeof traceId === 'string') return traceId;
  const spanId = requiredId(span.spanId, 8, 'spanId');
  if (typeof spanId === 'string') return spanId;
  const parentHex = idToHex(span.parentSpanId);
  if (parentHex === null) return 'parentSpanId is not hex';
  if (parentHex !== '' && parentHex.length !== 16) return `parentSpanId must be 8 bytes, got ${parentHex.length / 2}`;
  const start = toUint64(span.startTimeUnixNano);
  if (start === null || start === 0n) return 'startTimeUnixNano is missing';
  if (start > INT64_MAX) return 'startTimeUnixNano is out of range';
  const end = toUint64(span.endTimeUnixNano);
  if (end === null || end === 0n) return 'endTimeUnixNano is missing';
  if (end > INT64_MAX) return 'endTimeUnixNano is out of range';
  if (end < start) return 'endTimeUnixNano is before startTimeUnixNano';

  const cut: CutState = { truncated: false, dropped: 0 };
  const hot = emptyHotFields();
  const parts: AttributeParts = { large: null, moved: 0, indexed: [] };
  let attributes = attributesToJson(span.attributes, caps, cut, hot, null, parts);
  const droppedAttributesCount = count(span.droppedAttributesCount) + cut.dropped;
  let cutSomething = cut.truncated || cut.dropped > 0;

  const ev = eventsToJson(span.events, caps);
  const links = linksToJson(span.links, caps);
  if (typeof links === 'string') return links;
  const status = span.status;
  // Every text of the span is capped like attribute values, not only the attributes.
  const texts: CutState = { truncated: false, dropped: 0 };
  const name = capString(typeof span.name === 'string' ? span.name : '', caps, texts);
  const traceState = capText(textOrNull(span.traceState), caps, texts);
  const statusMessage = capText(textOrNull(status?.message), caps, texts);
  const exceptionMessage = capText(ev.exceptionMessage, caps, texts);
  if (ev.cut || links.cut || texts.truncated) cutSomething = true;
  if (cutSomething) attributes = withTruncatedMark(attributes);

  const statusCode = status?.code === 1 || status?.code === 2 ? status.code : 0;
  const kind = typeof span.kind === 'number' && span.kind >= 0 && span.kind <= 5 ? span.kind : 0;
  return {
    // Listed one by one: a spread here turns every row into a slow dictionary-mode object.
    traceId: traceId.hex,
    spanId: spanId.hex,
    parentSpanId: parentHex === '' || isZeroHex(parentHex) ? null : parentHex,
    traceState,
    name,
    kind,
    serviceName: res.serviceName,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    statusCode,
    statusMessage,
    exceptionMessage,
    attributes,
    largeAttributes: parts.large,
    movedAttributes: parts.moved!,
    indexedValues: parts.indexed!.length > 0 ? parts.indexed : null,
    resourceAttributes: res.resourceAttributes,
    scopeName: scope.name,
    scopeVersion: scope.version,
    events: ev.json,
    links: links.json,
    flags: typeof span.flags === 'number' ? span.flags >>> 0 : 0,
    droppedAttributesCount,
    droppedEventsCount: count(span.droppedEventsCount) + ev.dropped,
    droppedLinksCount: count(span.droppedLinksCount) + links.dropped,
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
    resourceSchemaUrl: res.schemaUrl,
    resourceDroppedAttributesCount: res.droppedAttributesCount,
    scopeAttributes: scope.attributes,
    scopeDroppedAttributesCount: scope.droppedAttributesCount,
    scopeSchemaUrl: scope.schemaUrl,
    // Almost always null: only bytes and NaN/±Infinity values are noted (storage/value-types.ts).
    valueTypes: parts.types === undefined && ev.types === null && links.types === null && res.types === null && scope.types === null ? null
      : valueTypesText({ resource: res.types ?? undefined, scope: scope.types ?? undefined, attributes: parts.types,
        events: ev.types ?? undefined, links: links.types ?? undefined }),
  };
}

interface EventsJson { json: string; dropped: number; cut: boolean; exceptionMessage: string | null; types: Record<string, TypeTree> | null }

function findMessage(attributes: KeyValueIn[] | null | undefined): string | null {
  if (!Array.isArray(attributes)) return null;
  for (let i = 0; i < attributes.length; i++) {
    const kv = attributes[i] as { key?: unknown; value?: unknown } | null;
    if (kv !== null && typeof kv === 'object' && kv.key === ATTR_EXCEPTION_MESSAGE) {
      const v = scalarOf(kv.value);
      return v === null ? null : String(v);
    }
  }
  return null;
}

/** Events as the JSON array text of SpanRow.events, capped at caps.maxEvents. */
function eventsToJson(events: EventIn[] | null | undefined, caps: IngestCaps): EventsJson {
  const out: EventsJson = { json: '[]', dropped: 0, cut: false, exceptionMessage: null, types: null };
  if (events == null || events.length === 0) return out;
  let n = events.length;
  if (n > caps.maxEvents) { out.dropped = n - caps.maxEvents; n = caps.maxEvents; out.cut = true; }
  const cut: CutState = { truncated: false, dropped: 0 };
  let json = '[';
  for (let i = 0; i < n; i++) {
    const e = events[i];
    const name = capString(typeof e.name === 'string' ? e.name : '', caps, cut);
    const time = toUint64(e.timeUnixNano) ?? 0n;
    cut.dropped = 0;
    const typedBefore = cut.typed;
    const types: Record<string, TypeTree> = {};
    const attrs = attributesToJson(e.attributes, caps, cut, null, null, null, types);
    if (cut.typed !== typedBefore) (out.types ??= {})[String(i)] = types;
    if (name === EVENT_EXCEPTION && out.exceptionMessage === null) out.exceptionMessage = findMessage(e.attributes);
    if (cut.dropped > 0) out.cut = true;
    json += (i === 0 ? '{"name":' : ',{"name":') + JSON.stringify(name) + ',"timeUnixNano":"' + time
      + '","attributes":' + attrs + ',"droppedAttributesCount":' + (count(e.droppedAttributesCount) + cut.dropped) + '}';
  }
  if (cut.truncated) out.cut = true;
  out.json = json + ']';
  return out;
}

interface LinksJson { json: string; dropped: number; cut: boolean; types: Record<string, TypeTree> | null }

/** Links as the JSON array text of SpanRow.links, capped at caps.maxLinks; a string is a rejection. */
function linksToJson(links: LinkIn[] | null | undefined, caps: IngestCaps): LinksJson | string {
  const out: LinksJson = { json: '[]', dropped: 0, cut: false, types: null };
  if (links == null || links.length === 0) return out;
  let n = links.length;
  if (n > caps.maxLinks) { out.dropped = n - caps.maxLinks; n = caps.maxLinks; out.cut = true; }
  const cut: CutState = { truncated: false, dropped: 0 };
  let json = '[';
  for (let i = 0; i < n; i++) {
    const l = links[i];
    const traceId = requiredId(l.traceId, 16, `links[${i}].traceId`);
    if (typeof traceId === 'string') return traceId;
    const spanId = requiredId(l.spanId, 8, `links[${i}].spanId`);
    if (typeof spanId === 'string') return spanId;
    cut.dropped = 0;
    const typedBefore = cut.typed;
    const types: Record<string, TypeTree> = {};
    const attrs = attributesToJson(l.attributes, caps, cut, null, null, null, types);
    if (cut.typed !== typedBefore) (out.types ??= {})[String(i)] = types;
    if (cut.dropped > 0) out.cut = true;
    const ts = capText(textOrNull(l.traceState), caps, cut);
    // flags only when set: most links have none, and older rows have none either.
    const flags = typeof l.flags === 'number' && l.flags !== 0 ? ',"flags":' + (l.flags >>> 0) : '';
    json += (i === 0 ? '{"traceId":"' : ',{"traceId":"') + traceId.hex + '","spanId":"' + spanId.hex
      + '","traceState":' + (ts === null ? 'null' : JSON.stringify(ts)) + ',"attributes":' + attrs
      + ',"droppedAttributesCount":' + (count(l.droppedAttributesCount) + cut.dropped) + flags + '}';
  }
  if (cut.truncated) out.cut = true;
  out.json = json + ']';
  return out;
}
