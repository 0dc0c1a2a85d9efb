/**
 * A stored trace → OTLP/JSON ExportTraceServiceRequest, which POST /v1/traces accepts back and
 * stores as the same trace. Everything ingest keeps comes back: resource and scope (attributes,
 * dropped counts, schema URLs), trace state, flags and dropped counts of spans, events and links,
 * and every AnyValue with its type (otlp-any-value.ts). What the ingest caps cut comes back cut,
 * with the counts. Spans are grouped by resource and scope (otlp-origin.ts). Running spans (no end
 * yet) are left out: OTLP has no such span. Query side: imports storage types only, never ingest.
 */
import type { Json, ResourceSpans, Span, TraceRequest } from '../otlp/shapes.js';
import type { TypeTree } from '../otlp/value-types.js';
import type { SpanRecord } from '../storage/index.js';
import { attributesOf, parseStored, storedKeyValues, valueTypesOf } from './otlp-any-value.js';
import type { JsonValue } from './json-int64.js';
import { groupByOrigin, type OtlpJsonResource, type OtlpJsonScope } from './otlp-origin.js';

export { jsonToAnyValue, objectToKeyValues, type OtlpJsonAnyValue, type OtlpJsonKeyValue } from './otlp-any-value.js';

/** The stored span fields the export needs (a SpanRecord satisfies it). */
export type ExportableSpan = Pick<SpanRecord,
  'traceId' | 'spanId' | 'parentSpanId' | 'traceState' | 'name' | 'kind' | 'startTimeUnixNano' | 'endTimeUnixNano'
  | 'statusCode' | 'statusMessage' | 'attributes' | 'resourceAttributes' | 'scopeName' | 'scopeVersion' | 'events'
  | 'links' | 'flags' | 'droppedAttributesCount' | 'droppedEventsCount' | 'droppedLinksCount'
  | 'resourceSchemaUrl' | 'resourceDroppedAttributesCount' | 'scopeAttributes' | 'scopeDroppedAttributesCount'
  | 'scopeSchemaUrl' | 'valueTypes'>;

/** A span in OTLP/JSON (otlp/shapes.ts, the one declaration of OTLP's shapes). */
export type OtlpJsonSpan = Span<Json>;

/** ExportTraceServiceRequest in OTLP/JSON, every resource with its schema URL and scopes. */
export interface OtlpJsonTraceRequest extends TraceRequest<Json> {
  resourceSpans: Array<ResourceSpans<Json>>;
}

type Attributes = { [key: string]: JsonValue };
interface StoredEvent { name?: string; timeUnixNano?: string; attributes?: Attributes; droppedAttributesCount?: number | bigint }
interface StoredLink {
  traceId?: string; spanId?: string; traceState?: string | null; attributes?: Attributes; droppedAttributesCount?: number | bigint;
  flags?: number | bigint;
}

/** The tree noted for index `i` of a span's events or links. */
const at = (trees: { [index: string]: TypeTree } | undefined, i: number): TypeTree | undefined =>
  trees !== undefined && Object.hasOwn(trees, String(i)) ? trees[String(i)] : undefined;

/** One stored span as an OTLP/JSON span. */
export function spanToOtlpJson(s: ExportableSpan): OtlpJsonSpan {
  const types = valueTypesOf(s.valueTypes);
  const events = parseStored<StoredEvent[]>(s.events, []);
  const links = parseStored<StoredLink[]>(s.links, []);
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId ?? '',
    traceState: s.traceState ?? '',
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: (s.endTimeUnixNano ?? s.startTimeUnixNano).toString(),
    attributes: attributesOf(s.attributes, types.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: events.map((e, i) => ({
      timeUnixNano: String(e.timeUnixNano ?? '0'),
      name: e.name ?? '',
      attributes: storedKeyValues(e.attributes, at(types.events, i)),
      droppedAttributesCount: Number(e.droppedAttributesCount ?? 0),
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: links.map((l, i) => ({
      traceId: l.traceId ?? '',
      spanId: l.spanId ?? '',
      traceState: l.traceState ?? '',
      attributes: storedKeyValues(l.attributes, at(types.links, i)),
      droppedAttributesCount: Number(l.droppedAttributesCount ?? 0),
      flags: Number(l.flags ?? 0),
    })),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: s.statusCode, message: s.statusMessage ?? '' },
    flags: s.flags,
  };
}

/** A trace's finished spans as an OTLP/JSON ExportTraceServiceRequest, grouped by resource and scope. */
export function traceToOtlpJson(spans: readonly ExportableSpan[]): OtlpJsonTraceRequest {
  const finished = spans.filter((s) => s.endTimeUnixNano !== null);
  return {
    resourceSpans: groupByOrigin(finished, spanToOtlpJson).map((r) => ({
      resource: r.resource,
      schemaUrl: r.schemaUrl,
      scopeSpans: r.scopes.map((s) => ({ scope: s.scope, schemaUrl: s.schemaUrl, spans: s.items })),
    })),
  };
}
