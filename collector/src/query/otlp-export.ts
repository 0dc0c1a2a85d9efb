/**
 * A stored trace → OTLP/JSON ExportTraceServiceRequest, which POST /v1/traces accepts back and
 * stores as the same trace. Everything ingest keeps comes back: resource and scope (attributes,
 * dropped counts, schema URLs), trace state, flags and dropped counts of spans, events and links,
 * and every AnyValue with its type (otlp-any-value.ts). What the ingest caps cut comes back cut,
 * with the counts. Spans are grouped by resource and scope (otlp-origin.ts). Running spans (no end
 * yet) are left out: OTLP has no such span. Query side: imports storage types only, never ingest.
 */
import type { SpanRow, TypeTree } from '../storage/index.js';
import { attributesOf, parseStored, storedKeyValues, valueTypesOf, type OtlpJsonKeyValue } from './otlp-any-value.js';
import type { JsonValue } from './json-int64.js';
import { groupByOrigin, type OtlpJsonResource, type OtlpJsonScope } from './otlp-origin.js';

export { jsonToAnyValue, objectToKeyValues, type OtlpJsonAnyValue, type OtlpJsonKeyValue } from './otlp-any-value.js';

/** The stored span fields the export needs (a SpanRow satisfies it). */
export type ExportableSpan = Pick<SpanRow,
  'traceId' | 'spanId' | 'parentSpanId' | 'traceState' | 'name' | 'kind' | 'startTimeUnixNano' | 'endTimeUnixNano'
  | 'statusCode' | 'statusMessage' | 'attributes' | 'resourceAttributes' | 'scopeName' | 'scopeVersion' | 'events'
  | 'links' | 'flags' | 'droppedAttributesCount' | 'droppedEventsCount' | 'droppedLinksCount'
  | 'resourceSchemaUrl' | 'resourceDroppedAttributesCount' | 'scopeAttributes' | 'scopeDroppedAttributesCount'
  | 'scopeSchemaUrl' | 'valueTypes'>;

export interface OtlpJsonSpan {
  traceId: string; spanId: string; parentSpanId: string; traceState: string; name: string; kind: number;
  startTimeUnixNano: string; endTimeUnixNano: string; attributes: OtlpJsonKeyValue[]; droppedAttributesCount: number;
  events: { timeUnixNano: string; name: string; attributes: OtlpJsonKeyValue[]; droppedAttributesCount: number }[];
  droppedEventsCount: number;
  links: { traceId: string; spanId: string; traceState: string; attributes: OtlpJsonKeyValue[]; droppedAttributesCount: number; flags: number }[];
  droppedLinksCount: number; status: { code: number; message: string }; flags: number;
}

export interface OtlpJsonTraceRequest {
  resourceSpans: {
    resource: OtlpJsonResource;
    schemaUrl: string;
    scopeSpans: { scope: OtlpJsonScope; schemaUrl: string; spans: OtlpJsonSpan[] }[];
  }[];
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
