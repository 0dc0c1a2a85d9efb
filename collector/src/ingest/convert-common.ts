/**
 * What the trace and logs converters share: the result shape (rows plus rejections with
 * reasons), the resource context (service name and attributes JSON, computed once per
 * ResourceSpans/ResourceLogs), and id validation.
 */
import { ATTR_SERVICE_NAME } from '@flowtrace/instrumentation/conventions';
import type { IngestBatch } from '../storage/rows.js';
import type { TypeTree } from '../storage/value-types.js';
import { attributesToJson, capString, capText, withTruncatedMark, type CutState } from './any-value-json.js';
import { scalarOf } from './hot-fields.js';
import { idToHex, isZeroHex } from './ids-and-times.js';
import type { IngestCaps } from './ingest-caps.js';
import type { IdIn, ResourceIn, ScopeIn } from './otlp-model.js';

/** Rows converted from one request, and what was rejected (with up to MAX_ERRORS reasons). */
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
}

/** The resource's service.name (default unknown_service), its attributes as JSON text, and the rest. */
export function resourceContext(resource: ResourceIn | null | undefined, caps: IngestCaps, schemaUrl?: string | null): ResourceContext {
  const attrs = resource?.attributes;
  let serviceName = UNKNOWN_SERVICE;
  if (Array.isArray(attrs)) {
    for (let i = 0; i < attrs.length; i++) {
      const kv = attrs[i] as { key?: unknown; value?: unknown } | null;
      if (kv !== null && typeof kv === 'object' && kv.key === ATTR_SERVICE_NAME) {
        const v = scalarOf(kv.value);
        if (typeof v === 'string' && v !== '') serviceName = v;
        break;
      }
    }
  }
  const cut: CutState = { truncated: false, dropped: 0 };
  serviceName = capString(serviceName, caps, cut);
  const types: Record<string, TypeTree> = {};
  let json = attributesToJson(attrs, caps, cut, null, null, null, types);
  if (cut.truncated || cut.dropped > 0) json = withTruncatedMark(json);
  return {
    serviceName,
    resourceAttributes: json,
    droppedAttributesCount: count(resource?.droppedAttributesCount) + cut.dropped,
    schemaUrl: capText(textOrNull(schemaUrl), caps, cut),
    types: cut.typed === undefined ? null : types,
  };
}

/**
 * A scope's name, version, attributes and schema URL, capped like every text (a cut is marked in
 * the scope's attributes, not on each span: it is the library's, not the span's).
 */
export function scopeContext(scope: ScopeIn | null | undefined, caps: IngestCaps, schemaUrl?: string | null): ScopeContext {
  const cut: CutState = { truncated: false, dropped: 0 };
  const name = capText(textOrNull(scope?.name), caps, cut);
  const version = capText(textOrNull(scope?.version), caps, cut);
  const url = capText(textOrNull(schemaUrl), caps, cut);
  const list = scope?.attributes;
  let attributes: string | null = null;
  const types: Record<string, TypeTree> = {};
  if (Array.isArray(list) ? list.length > 0 : list != null) {
    attributes = attributesToJson(list, caps, cut, null, null, null, types);
    if (cut.truncated || cut.dropped > 0) attributes = withTruncatedMark(attributes);
  }
  return {
    name, version, attributes, schemaUrl: url,
    droppedAttributesCount: count(scope?.droppedAttributesCount) + cut.dropped,
    types: cut.typed === undefined ? null : types,
  };
}

/**
 * A required id as lower-case hex of `bytes` bytes; a string is the rejection reason when it is
 * missing, not hex, of another length or all zeros.
 */
export function requiredId(id: IdIn | null | undefined, bytes: number, field: string): { hex: string } | string {
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
