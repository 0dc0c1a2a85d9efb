/**
 * What the trace and logs converters share: the result shape (a batch plus rejections with
 * reasons), the resource and scope contexts (computed once per ResourceSpans/ResourceLogs and
 * ScopeSpans/ScopeLogs), id validation, and the uint32 counts the logical span and line allow.
 */
import { ATTR_SERVICE_NAME } from '@flowtrace/instrumentation/conventions';
import type { Decoded, InstrumentationScope, Resource } from '../otlp/shapes.js';
import type { TypeTree } from '../otlp/value-types.js';
import type { IngestBatch } from '../storage/index.js';
import { capString, capText, noCut, withTruncatedMark } from './any-value-json.js';
import { attributesJson } from './attributes.js';
import { scalarOf } from './flow-fields.js';
import { idToHex, isZeroHex } from './ids-and-times.js';
import type { IngestCaps } from './ingest-caps.js';

/** What one request converted to, and what was rejected (with up to MAX_ERRORS reasons). */
export interface ConvertResult {
  batch: IngestBatch;
  rejectedSpans: number;
  rejectedLogRecords: number;
  /** Metric data points rejected (metrics requests only). */
  rejectedDataPoints?: number;
  errors: string[];
}

/** The most rejection reasons kept in ConvertResult.errors; the rest are summarised in one line. */
export const MAX_ERRORS = 20;

export const UNKNOWN_SERVICE = 'unknown_service';
export const INT64_MAX = 2n ** 63n - 1n;

/** An empty result. */
export function emptyResult(): ConvertResult {
  return { batch: { spans: [], starts: [], logs: [] }, rejectedSpans: 0, rejectedLogRecords: 0, errors: [] };
}

/** Records one rejection reason (the first MAX_ERRORS are kept verbatim). */
export function addError(result: ConvertResult, message: string): void {
  if (result.errors.length < MAX_ERRORS) result.errors.push(message);
}

/** Appends the "… and N more" line when reasons were left out. */
export function finishErrors(result: ConvertResult): ConvertResult {
  const total = result.rejectedSpans + result.rejectedLogRecords + (result.rejectedDataPoints ?? 0);
  if (total > result.errors.length && result.errors.length === MAX_ERRORS) {
    result.errors.push(`… and ${total - MAX_ERRORS} more rejected`);
  }
  return result;
}

/** Service name and attributes JSON of one resource, and what else OTLP says of it. */
export interface ResourceContext {
  serviceName: string;
  resourceAttributes: string;
  /** Sent, plus those the attribute cap dropped. */
  droppedAttributesCount: number;
  /** The ResourceSpans/ResourceLogs schema_url, null when empty. */
  schemaUrl: string | null;
  /** Type trees of the attributes whose JSON does not tell their type, null when none. */
  types: Record<string, TypeTree> | null;
  /** Why no span or record of this resource can be stored (a dropped count past uint32), or null. */
  problem: string | null;
}

/** One instrumentation scope of a request, its texts capped, computed once for all its spans or records. */
export interface ScopeContext {
  name: string | null;
  version: string | null;
  /** JSON object text, null when the scope has no attributes. */
  attributes: string | null;
  droppedAttributesCount: number;
  schemaUrl: string | null;
  types: Record<string, TypeTree> | null;
  /** Why no span or record of this scope can be stored, or null. */
  problem: string | null;
}

/** The resource's service.name (default unknown_service), its attributes as JSON text, and the rest. */
export function resourceContext(resource: Resource | null | undefined, caps: IngestCaps, schemaUrl?: string | null): ResourceContext {
  const attrs = resource?.attributes;
  let serviceName = UNKNOWN_SERVICE;
  if (Array.isArray(attrs)) {
    for (let i = 0; i < attrs.length; i++) {
      const kv = attrs[i];
      if (kv.key === ATTR_SERVICE_NAME) {
        const v = scalarOf(kv.value);
        if (typeof v === 'string' && v !== '') serviceName = v;
        break;
      }
    }
  }
  const cut = noCut();
  serviceName = capString(serviceName, caps, cut);
  const types: Record<string, TypeTree> = {};
  let json = attributesJson(attrs, caps, cut, types);
  if (cut.truncated || cut.dropped > 0) json = withTruncatedMark(json);
  const dropped = droppedCount(resource?.droppedAttributesCount, cut.dropped, 'resource.droppedAttributesCount');
  return {
    serviceName,
    resourceAttributes: json,
    droppedAttributesCount: typeof dropped === 'number' ? dropped : 0,
    schemaUrl: capText(textOrNull(schemaUrl), caps, cut),
    types: cut.typed === undefined ? null : types,
    problem: typeof dropped === 'string' ? dropped : null,
  };
}

/**
 * A scope's name, version, attributes and schema URL, capped like every text (a cut is marked in
 * the scope's attributes, not on each span: it is the library's, not the span's).
 */
export function scopeContext(scope: InstrumentationScope | null | undefined, caps: IngestCaps, schemaUrl?: string | null): ScopeContext {
  const cut = noCut();
  const name = capText(textOrNull(scope?.name), caps, cut);
  const version = capText(textOrNull(scope?.version), caps, cut);
  const url = capText(textOrNull(schemaUrl), caps, cut);
  const list = scope?.attributes;
  let attributes: string | null = null;
  const types: Record<string, TypeTree> = {};
  if (list != null && list.length > 0) {
    attributes = attributesJson(list, caps, cut, types);
    if (cut.truncated || cut.dropped > 0) attributes = withTruncatedMark(attributes);
  }
  const dropped = droppedCount(scope?.droppedAttributesCount, cut.dropped, 'scope.droppedAttributesCount');
  return {
    name, version, attributes, schemaUrl: url,
    droppedAttributesCount: typeof dropped === 'number' ? dropped : 0,
    types: cut.typed === undefined ? null : types,
    problem: typeof dropped === 'string' ? dropped : null,
  };
}

/**
 * A required id as lower-case hex of `bytes` bytes; a string is the rejection reason when it is
 * missing, not hex, of another length or all zeros.
 */
export function requiredId(id: Decoded['id'] | null | undefined, bytes: number, field: string): { hex: string } | string {
  const hex = idToHex(id);
  if (hex === null) return `${field} is not hex`;
  if (hex.length === 0) return `${field} is missing`;
  if (hex.length !== bytes * 2) return `${field} must be ${bytes} bytes, got ${hex.length / 2}`;
  if (isZeroHex(hex)) return `${field} is all zeros`;
  return { hex };
}

/** A string field or null when empty. */
export function textOrNull(v: string | null | undefined): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** A non-negative uint32 count or 0. */
export function count(v: number | null | undefined): number {
  return typeof v === 'number' && v > 0 ? v >>> 0 : 0;
}

const UINT32_MAX = 2 ** 32 - 1;

/**
 * A dropped count as sent plus what the caps dropped, or the reason it cannot be stored: the
 * logical span and line hold uint32 counts, as OTLP does.
 */
export function droppedCount(sent: number | null | undefined, dropped: number, field: string): number | string {
  const n = count(sent) + dropped;
  return n <= UINT32_MAX ? n : `${field} ${n} is out of range (0 to ${UINT32_MAX})`;
}
