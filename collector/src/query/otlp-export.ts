/**
 * A stored trace → OTLP/JSON ExportTraceServiceRequest, which POST /v1/traces accepts back.
 * Spans are grouped by resource (their resource attributes) and scope (name + version).
 * Attribute JSON → AnyValue: strings → stringValue, booleans → boolValue, integers → intValue
 * (decimal text, exact beyond 2^53: json-int64.ts), other numbers → doubleValue, arrays → arrayValue, objects → kvlistValue,
 * null → an empty AnyValue. Running spans (no end yet) are left out: OTLP has no such span.
 * Query side: imports storage types only, never ingest.
 */
import type { SpanRow } from '../storage/rows.js';
import { parseJsonInt64 } from './json-int64.js';

/** The stored span fields the export needs (a SpanRow satisfies it). */
export type ExportableSpan = Pick<SpanRow,
  'traceId' | 'spanId' | 'parentSpanId' | 'traceState' | 'name' | 'kind' | 'startTimeUnixNano' | 'endTimeUnixNano'
  | 'statusCode' | 'statusMessage' | 'attributes' | 'resourceAttributes' | 'scopeName' | 'scopeVersion' | 'events'
  | 'links' | 'flags' | 'droppedAttributesCount' | 'droppedEventsCount' | 'droppedLinksCount'>;

export type OtlpJsonAnyValue =
  | { stringValue: string } | { boolValue: boolean } | { intValue: string } | { doubleValue: number }
  | { arrayValue: { values: OtlpJsonAnyValue[] } } | { kvlistValue: { values: OtlpJsonKeyValue[] } }
  | Record<string, never>;
export interface OtlpJsonKeyValue { key: string; value: OtlpJsonAnyValue }

export interface OtlpJsonSpan {
  traceId: string; spanId: string; parentSpanId: string; traceState: string; name: string; kind: number;
  startTimeUnixNano: string; endTimeUnixNano: string; attributes: OtlpJsonKeyValue[]; droppedAttributesCount: number;
  events: { timeUnixNano: string; name: string; attributes: OtlpJsonKeyValue[]; droppedAttributesCount: number }[];
  droppedEventsCount: number;
  links: { traceId: string; spanId: string; traceState: string; attributes: OtlpJsonKeyValue[]; droppedAttributesCount: number }[];
  droppedLinksCount: number; status: { code: number; message: string }; flags: number;
}

export interface OtlpJsonTraceRequest {
  resourceSpans: {
    resource: { attributes: OtlpJsonKeyValue[] };
    scopeSpans: { scope: { name: string; version: string }; spans: OtlpJsonSpan[] }[];
  }[];
}

/** A JSON value as an OTLP AnyValue. */
export function jsonToAnyValue(v: unknown): OtlpJsonAnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(jsonToAnyValue) } };
  if (v !== null && typeof v === 'object') return { kvlistValue: { values: objectToKeyValues(v as Record<string, unknown>) } };
  return {};
}

/** A JSON object as an OTLP KeyValue list. */
export function objectToKeyValues(o: Record<string, unknown> | null | undefined): OtlpJsonKeyValue[] {
  const out: OtlpJsonKeyValue[] = [];
  if (o == null) return out;
  for (const key of Object.keys(o)) out.push({ key, value: jsonToAnyValue(o[key]) });
  return out;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return text === '' ? fallback : (parseJsonInt64(text) as T);
  } catch {
    return fallback; // stored text is written by ingest and is valid JSON; a broken row exports empty.
  }
}

interface StoredEvent { name?: string; timeUnixNano?: string; attributes?: Record<string, unknown>; droppedAttributesCount?: number }
interface StoredLink { traceId?: string; spanId?: string; traceState?: string | null; attributes?: Record<string, unknown>; droppedAttributesCount?: number }

/** One stored span as an OTLP/JSON span. */
export function spanToOtlpJson(s: ExportableSpan): OtlpJsonSpan {
  const events = parseJson<StoredEvent[]>(s.events, []);
  const links = parseJson<StoredLink[]>(s.links, []);
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId ?? '',
    traceState: s.traceState ?? '',
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: (s.endTimeUnixNano ?? s.startTimeUnixNano).toString(),
    attributes: objectToKeyValues(parseJson<Record<string, unknown>>(s.attributes, {})),
    droppedAttributesCount: s.droppedAttributesCount,
    events: events.map((e) => ({
      timeUnixNano: String(e.timeUnixNano ?? '0'),
      name: e.name ?? '',
      attributes: objectToKeyValues(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount ?? 0,
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: links.map((l) => ({
      traceId: l.traceId ?? '',
      spanId: l.spanId ?? '',
      traceState: l.traceState ?? '',
      attributes: objectToKeyValues(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount ?? 0,
    })),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: s.statusCode, message: s.statusMessage ?? '' },
    flags: s.flags,
  };
}

/** A trace's finished spans as an OTLP/JSON ExportTraceServiceRequest, grouped by resource and scope. */
export function traceToOtlpJson(spans: readonly ExportableSpan[]): OtlpJsonTraceRequest {
  const request: OtlpJsonTraceRequest = { resourceSpans: [] };
  const resources = new Map<string, { scopes: Map<string, OtlpJsonSpan[]> }>();
  const scopeKeys = new Map<string, { name: string; version: string }>();
  for (const s of spans) {
    if (s.endTimeUnixNano === null) continue;
    let res = resources.get(s.resourceAttributes);
    if (res === undefined) {
      const scopes = new Map<string, OtlpJsonSpan[]>();
      res = { scopes };
      resources.set(s.resourceAttributes, res);
    }
    const scope = { name: s.scopeName ?? '', version: s.scopeVersion ?? '' };
    const scopeKey = JSON.stringify([scope.name, scope.version]);
    scopeKeys.set(scopeKey, scope);
    let list = res.scopes.get(scopeKey);
    if (list === undefined) { list = []; res.scopes.set(scopeKey, list); }
    list.push(spanToOtlpJson(s));
  }
  for (const [resourceAttributes, res] of resources) {
    request.resourceSpans.push({
      resource: { attributes: objectToKeyValues(parseJson<Record<string, unknown>>(resourceAttributes, {})) },
      scopeSpans: [...res.scopes].map(([key, list]) => ({ scope: scopeKeys.get(key)!, spans: list })),
    });
  }
  return request;
}
