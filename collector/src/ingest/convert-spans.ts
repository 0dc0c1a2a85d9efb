/**
 * ExportTraceServiceRequest (ResourceSpans → ScopeSpans → Span) → logical spans
 * (storage's IngestSpan). Each span is validated on its own: a span with a bad id, a missing
 * start or end, an end before its start, or a value the logical span does not hold (a
 * flow.node.index beyond 32 bits, a dropped count beyond uint32) is rejected with a reason and
 * the others are kept. Caps cut what is too big and mark the span (dropped counts,
 * `flowtrace.truncated`). Values are rendered here; where they are stored is storage's choice.
 */
import { ATTR_EXCEPTION_MESSAGE, EVENT_EXCEPTION } from '@flowtrace/instrumentation/conventions';
import type { KeyValue, Span, SpanEvent, SpanLink, TraceRequest } from '../otlp/shapes.js';
import { valueTypesText, type TypeTree } from '../otlp/value-types.js';
import type { IngestSpan } from '../storage/index.js';
import { capString, capText, noCut, type CutState } from './any-value-json.js';
import { attributesJson, markTruncated, renderAttributes } from './attributes.js';
import {
  addError, count, droppedCount, emptyResult, finishErrors, INT64_MAX, requiredId, resourceContext, scopeContext, textOrNull,
  type ConvertResult, type ResourceContext, type ScopeContext,
} from './convert-common.js';
import { flowFieldsProblem, noFlowFields, scalarOf } from './flow-fields.js';
import { idToHex, isZeroHex, toUint64 } from './ids-and-times.js';
import { resolveCaps, type IngestCaps } from './ingest-caps.js';
import { logicalSpan } from './logical-span.js';

/** Converts a decoded trace request to logical spans; invalid spans are counted and explained. */
export function convertTraceRequest(request: TraceRequest, options?: Partial<IngestCaps>): ConvertResult {
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
        const span = convertSpan(spans[i], res, scope, caps);
        if (typeof span === 'string') {
          result.rejectedSpans++;
          addError(result, `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]: ${span}`);
        } else {
          result.batch.spans.push(span);
        }
      }
    }
  }
  return finishErrors(result);
}

/** One span → logical span, or the reason it is rejected. */
export function convertSpan(span: Span, res: ResourceContext, scope: ScopeContext, caps: IngestCaps): IngestSpan | string {
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
  const originProblem = res.problem ?? scope.problem;
  if (originProblem !== null) return originProblem;

  const cut = noCut();
  const flow = noFlowFields();
  const types: Record<string, TypeTree> = {};
  const attributes = renderAttributes(span.attributes, caps, cut, types, { flow });
  const flowProblem = flowFieldsProblem(flow);
  if (flowProblem !== null) return flowProblem;
  const droppedAttributes = droppedCount(span.droppedAttributesCount, cut.dropped, 'droppedAttributesCount');
  if (typeof droppedAttributes === 'string') return droppedAttributes;
  let cutSomething = cut.truncated || cut.dropped > 0;

  const ev = eventsToJson(span.events, caps);
  const links = linksToJson(span.links, caps);
  if (typeof links === 'string') return links;
  const droppedEvents = droppedCount(span.droppedEventsCount, ev.dropped, 'droppedEventsCount');
  if (typeof droppedEvents === 'string') return droppedEvents;
  const droppedLinks = droppedCount(span.droppedLinksCount, links.dropped, 'droppedLinksCount');
  if (typeof droppedLinks === 'string') return droppedLinks;
  const status = span.status;
  // Every text of the span is capped like attribute values, not only the attributes.
  const texts = noCut();
  const name = capString(typeof span.name === 'string' ? span.name : '', caps, texts);
  const traceState = capText(textOrNull(span.traceState), caps, texts);
  const statusMessage = capText(textOrNull(status?.message), caps, texts);
  const exceptionMessage = capText(ev.exceptionMessage, caps, texts);
  if (ev.cut || links.cut || texts.truncated) cutSomething = true;
  if (cutSomething) markTruncated(attributes);

  const noted = cut.typed !== undefined;
  const out = logicalSpan(res, scope, flow, attributes);
  out.traceId = traceId.hex;
  out.spanId = spanId.hex;
  out.parentSpanId = parentHex === '' || isZeroHex(parentHex) ? null : parentHex;
  out.traceState = traceState;
  out.name = name;
  out.kind = typeof span.kind === 'number' && span.kind >= 0 && span.kind <= 5 ? span.kind : 0;
  out.startTimeUnixNano = start;
  out.endTimeUnixNano = end;
  out.statusCode = status?.code === 1 || status?.code === 2 ? status.code : 0;
  out.statusMessage = statusMessage;
  out.exceptionMessage = exceptionMessage;
  out.events = ev.json;
  out.links = links.json;
  out.flags = typeof span.flags === 'number' ? span.flags >>> 0 : 0;
  out.droppedAttributesCount = droppedAttributes;
  out.droppedEventsCount = droppedEvents;
  out.droppedLinksCount = droppedLinks;
  // Almost always null: only bytes and NaN/±Infinity values are noted (otlp/value-types.ts).
  if (noted || ev.types !== null || links.types !== null || res.types !== null || scope.types !== null) {
    out.valueTypes = valueTypesText({ resource: res.types ?? undefined, scope: scope.types ?? undefined, attributes: noted ? types : undefined,
      events: ev.types ?? undefined, links: links.types ?? undefined });
  }
  return out;
}

interface EventsJson { json: string; dropped: number; cut: boolean; exceptionMessage: string | null; types: Record<string, TypeTree> | null }

function findMessage(attributes: KeyValue[] | null | undefined): string | null {
  if (attributes == null) return null;
  for (let i = 0; i < attributes.length; i++) {
    if (attributes[i].key === ATTR_EXCEPTION_MESSAGE) {
      const v = scalarOf(attributes[i].value);
      return v === null ? null : String(v);
    }
  }
  return null;
}

/** Events as the JSON array text of IngestSpan.events, capped at caps.maxEvents. */
function eventsToJson(events: SpanEvent[] | null | undefined, caps: IngestCaps): EventsJson {
  const out: EventsJson = { json: '[]', dropped: 0, cut: false, exceptionMessage: null, types: null };
  if (events == null || events.length === 0) return out;
  let n = events.length;
  if (n > caps.maxEvents) { out.dropped = n - caps.maxEvents; n = caps.maxEvents; out.cut = true; }
  const cut: CutState = noCut();
  let json = '[';
  for (let i = 0; i < n; i++) {
    const e = events[i];
    const name = capString(typeof e.name === 'string' ? e.name : '', caps, cut);
    const time = toUint64(e.timeUnixNano) ?? 0n;
    cut.dropped = 0;
    const typedBefore = cut.typed;
    const types: Record<string, TypeTree> = {};
    const attrs = attributesJson(e.attributes, caps, cut, types);
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

/** Links as the JSON array text of IngestSpan.links, capped at caps.maxLinks; a string is a rejection. */
function linksToJson(links: SpanLink[] | null | undefined, caps: IngestCaps): LinksJson | string {
  const out: LinksJson = { json: '[]', dropped: 0, cut: false, types: null };
  if (links == null || links.length === 0) return out;
  let n = links.length;
  if (n > caps.maxLinks) { out.dropped = n - caps.maxLinks; n = caps.maxLinks; out.cut = true; }
  const cut: CutState = noCut();
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
    const attrs = attributesJson(l.attributes, caps, cut, types);
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
