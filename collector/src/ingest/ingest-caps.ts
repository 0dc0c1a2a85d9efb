/**
 * Limits applied on ingest so that no single span can blow up storage or the viewer. What is
 * cut is recorded on the span: dropped counts grow and the attribute `flowtrace.truncated` is
 * set to true.
 */

/** Caps on ingest; every field is optional in the options, see DEFAULT_INGEST_CAPS. */
export interface IngestCaps {
  /** Longest string or bytes value kept, in UTF-8 bytes (longer values are cut). */
  maxValueBytes: number;
  /** Attributes kept per span, event, link, log record and resource (the rest are dropped). */
  maxAttributes: number;
  /** Deepest nesting of array/kvlist values kept (deeper values are replaced by a marker). */
  maxDepth: number;
  /** Items kept per array or kvlist value. */
  maxValueItems: number;
  /** Events kept per span. */
  maxEvents: number;
  /** Links kept per span. */
  maxLinks: number;
}

export const DEFAULT_INGEST_CAPS: Readonly<IngestCaps> = Object.freeze({
  maxValueBytes: 64 * 1024,
  maxAttributes: 1000,
  maxDepth: 16,
  maxValueItems: 1000,
  maxEvents: 1000,
  maxLinks: 1000,
});

/** The attribute that marks a span, log record or resource whose data was cut on ingest. */
export const ATTR_TRUNCATED = 'flowtrace.truncated';

/** Caps from partial options, defaults for the rest. */
export function resolveCaps(options?: Partial<IngestCaps>): IngestCaps {
  return options === undefined ? { ...DEFAULT_INGEST_CAPS } : { ...DEFAULT_INGEST_CAPS, ...options };
}
