/**
 * Optional bearer tokens: one guards OTLP ingest (/v1/*), the other the query API
 * (/api/*, /metrics). Tokens are compared in constant time (on their SHA-256, so length
 * does not leak either) and never logged. EventSource cannot send headers, so the live
 * stream also takes `?access_token=`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** A constant-time check of a presented token against the expected one. */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(expected), digest(presented));
}

/** The bearer token a request presents (header, or access_token for the live stream). */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  const path = request.url.split('?')[0];
  if (path === '/api/live') {
    const query = request.query as { access_token?: unknown } | undefined;
    if (typeof query?.access_token === 'string') return query.access_token;
  }
  return undefined;
}

/** Which token a path needs: 'ingest', 'query' or none. */
export function guardOf(url: string): 'ingest' | 'query' | undefined {
  const path = url.split('?')[0];
  if (path.startsWith('/v1/')) return 'ingest';
  if (path.startsWith('/api/') || path === '/metrics') return 'query';
  return undefined;
}

/**
 * A request URL fit for the log: the value of `access_token`, and either token wherever it
 * appears (a client may put it in any parameter), replaced by [redacted].
 */
export function redactUrl(url: string, tokens: Array<string | undefined>): string {
  let out = url.replace(/([?&]access_token=)[^&#]*/gi, '$1[redacted]');
  for (const token of tokens) {
    if (token) out = out.split(token).join('[redacted]').split(encodeURIComponent(token)).join('[redacted]');
  }
  return out;
}
