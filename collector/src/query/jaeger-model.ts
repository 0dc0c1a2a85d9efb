/**
 * Stored spans → Jaeger's JSON trace model (what Jaeger's /api/traces answered and Grafana's
 * Jaeger data source reads), following OpenTelemetry's OTLP → Jaeger mapping:
 * - attributes → tags typed string | bool | int64 | float64; int64 beyond ±(2^53−1) as a string
 *   (read exactly by json-int64.ts); arrays and maps as their JSON text (Jaeger tags are flat);
 * - kind → span.kind; status → otel.status_code OK/ERROR (+ error=true on ERROR) and
 *   otel.status_description; scope → otel.scope.name/.version; trace state → w3c.tracestate;
 * - the parent → the first CHILD_OF reference, links → FOLLOWS_FROM; events → logs with an
 *   `event` field; each distinct resource → a process (service.name apart, the rest as tags).
 * Times are microseconds. Running spans (no end) are left out: Jaeger has no such span.
 */
import type { SpanRecord } from '../storage/index.js';
import { parseJsonInt64, type JsonValue } from './json-int64.js';

export type JaegerTagType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';
export interface JaegerTag { key: string; type: JaegerTagType; value: string | number | boolean }
export interface JaegerReference { refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string }
export interface JaegerSpan {
  traceID: string; spanID: string; flags: number; operationName: string; references: JaegerReference[];
  startTime: number; duration: number; tags: JaegerTag[]; logs: Array<{ timestamp: number; fields: JaegerTag[] }>;
  processID: string; warnings: string[] | null;
}
export interface JaegerProcess { serviceName: string; tags: JaegerTag[] }
export interface JaegerTrace { traceID: string; spans: JaegerSpan[]; processes: Record<string, JaegerProcess>; warnings: string[] | null }

/** Jaeger's span.kind values by OTLP kind number (unspecified has none). */
export const JAEGER_KINDS = ['', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

const micros = (ns: bigint): number => Number(ns / 1000n);

function parseObject(text: string): Record<string, JsonValue> {
  try {
    const v = parseJsonInt64(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {}; // stored text is ingest's valid JSON; a broken row shows no tags rather than failing the trace.
  }
}

function parseArray(text: string): Array<Record<string, JsonValue>> {
  try {
    const v = parseJsonInt64(text);
    return Array.isArray(v) ? (v.filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) as Array<Record<string, JsonValue>>) : [];
  } catch {
    return [];
  }
}

/** One stored attribute value as a typed Jaeger tag. */
export function toTag(key: string, v: JsonValue): JaegerTag {
  if (typeof v === 'string') return { key, type: 'string', value: v };
  if (typeof v === 'boolean') return { key, type: 'bool', value: v };
  if (typeof v === 'bigint') return { key, type: 'int64', value: v.toString() };
  if (typeof v === 'number') return Number.isInteger(v) ? { key, type: 'int64', value: v } : { key, type: 'float64', value: v };
  if (v === null) return { key, type: 'string', value: '' };
  return { key, type: 'string', value: nestedJson(v) };
}

/** An array or map as JSON text, integers of every size written with all their digits. */
function nestedJson(v: JsonValue): string {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(nestedJson).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${nestedJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
function tagsOf(o: Record<string, JsonValue>, skip?: string): JaegerTag[] {
  return Object.keys(o).filter((k) => k !== skip).map((k) => toTag(k, o[k]));
}

/** Tags OTLP fields become, after the span's own attributes. */
function derivedTags(s: SpanRecord): JaegerTag[] {
  const tags: JaegerTag[] = [];
  const kind = JAEGER_KINDS[s.kind] ?? '';
  if (kind !== '') tags.push({ key: 'span.kind', type: 'string', value: kind });
  if (s.statusCode === 1) tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
  if (s.statusCode === 2) {
    tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' });
    tags.push({ key: 'error', type: 'bool', value: true });
  }
  if (s.statusMessage) tags.push({ key: 'otel.status_description', type: 'string', value: s.statusMessage });
  if (s.scopeName) tags.push({ key: 'otel.scope.name', type: 'string', value: s.scopeName });
  if (s.scopeVersion) tags.push({ key: 'otel.scope.version', type: 'string', value: s.scopeVersion });
  if (s.traceState) tags.push({ key: 'w3c.tracestate', type: 'string', value: s.traceState });
  return tags;
}

function referencesOf(s: SpanRecord): JaegerReference[] {
  const refs: JaegerReference[] = [];
  if (s.parentSpanId) refs.push({ refType: 'CHILD_OF', traceID: s.traceId, spanID: s.parentSpanId });
  for (const link of parseArray(s.links)) {
    if (typeof link.traceId === 'string' && typeof link.spanId === 'string') {
      refs.push({ refType: 'FOLLOWS_FROM', traceID: link.traceId, spanID: link.spanId });
    }
  }
  return refs;
}

function logsOf(s: SpanRecord): JaegerSpan['logs'] {
  return parseArray(s.events).map((e) => {
    const attributes = e.attributes !== null && typeof e.attributes === 'object' && !Array.isArray(e.attributes) ? e.attributes : {};
    return {
      timestamp: micros(BigInt(String(e.timeUnixNano ?? '0'))),
      fields: [{ key: 'event', type: 'string', value: String(e.name ?? '') }, ...tagsOf(attributes)],
    };
  });
}

/** A trace's finished spans in Jaeger's model; undefined when none has finished (never a trace without spans). */
export function toJaegerTrace(traceId: string, spans: readonly SpanRecord[]): JaegerTrace | undefined {
  const processes: Record<string, JaegerProcess> = {};
  const processIds = new Map<string, string>();
  const out: JaegerSpan[] = [];
  for (const s of spans) {
    if (s.endTimeUnixNano === null) continue;
    const processKey = `${s.serviceName}\u0000${s.resourceAttributes}`;
    let processID = processIds.get(processKey);
    if (processID === undefined) {
      processID = `p${processIds.size + 1}`;
      processIds.set(processKey, processID);
      processes[processID] = { serviceName: s.serviceName, tags: tagsOf(parseObject(s.resourceAttributes), 'service.name') };
    }
    out.push({
      traceID: s.traceId,
      spanID: s.spanId,
      flags: s.flags & 0xff, // W3C trace flags (sampled = 1) are the low byte of OTLP's flags
      operationName: s.name,
      references: referencesOf(s),
      startTime: micros(s.startTimeUnixNano),
      duration: micros(s.endTimeUnixNano - s.startTimeUnixNano),
      tags: [...tagsOf(parseObject(s.attributes)), ...derivedTags(s)],
      logs: logsOf(s),
      processID,
      warnings: null,
    });
  }
  if (out.length === 0) return undefined;
  return { traceID: traceId, spans: out, processes, warnings: null };
}
