/**
 * Whether a failed export is worth sending again later. The OTLP/HTTP exporter reports FAILED
 * both when it gave up retrying (connection refused or reset, timeout, 429/502/503/504 for
 * longer than its retry window, too many exports at once) and when the collector refused the
 * request: an `OTLPExporterError` whose `code` is the HTTP status. The OTLP specification
 * says a client must not retry any status but 429, 502, 503 and 504, and such a request
 * would only be refused again and hold up the redelivery buffer, so those are given up.
 */

/** HTTP statuses the OTLP/HTTP specification allows to retry. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** True when the failure may go away by itself: the collector was unreachable, busy or overloaded. */
export function isRetryableFailure(error: unknown): boolean {
  const status = (error as { code?: unknown } | undefined)?.code;
  if (typeof status !== 'number') return true; // no HTTP answer (network error, timeout) or no detail
  return RETRYABLE_STATUSES.has(status);
}
