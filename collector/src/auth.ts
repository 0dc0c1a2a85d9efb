/**
 * Access control, decided per route — never from the URL's text. Each route gets an access
 * class when it is registered, from its declared path pattern (or an explicit `config.access`):
 * `ingest` (/v1/*), `query` (the API, /metrics, Grafana's readers) or `public` (the viewer's
 * files, /healthz). However a client spells a path (percent-encoding, absolute-form targets),
 * Fastify routes it to one route and that route's class decides. A request that matches no
 * route reaches only the not-found handler, which serves no data.
 *
 * Tokens are compared in constant time (on their SHA-256, so length does not leak either) and
 * never logged: URLs are redacted after decoding. EventSource cannot send headers, so routes
 * listed in TOKEN_IN_QUERY_ROUTES also take `?access_token=`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, RouteOptions } from 'fastify';

/** `control`: cancel and replay of runs (the --control-token; set explicitly by those routes, never from a pattern). */
export type Access = 'ingest' | 'query' | 'control' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which token the route needs; set from the route's pattern when not given. */
    access?: Access;
  }
}

/** Route patterns (as declared, not as requested) that also take the token as ?access_token=. */
const TOKEN_IN_QUERY_ROUTES = new Set(['/api/live']);

/** Path patterns open without a token. Anything not listed here or under /v1/ needs the query token. */
const PUBLIC_ROUTES = new Set(['/healthz']);

/** The access class of a route from its declared pattern: closed (query) unless known otherwise. */
export function accessOfPattern(pattern: string): Access {
  if (pattern.startsWith('/v1/')) return 'ingest';
  if (PUBLIC_ROUTES.has(pattern)) return 'public';
  return 'query';
}

/**
 * An onRoute hook: stamps each route with its access class (an explicit one is kept). CORS
 * preflights never reach the check: @fastify/cors answers them in its own earlier hook.
 */
export function stampAccess(route: RouteOptions, fallback?: Access): void {
  const config = (route.config ?? {}) as { access?: Access };
  route.config = { ...config, access: config.access ?? fallback ?? accessOfPattern(route.url) };
}

/** The access class of the route a request matched; undefined for no route (not found). */
export function accessOfRequest(request: FastifyRequest): Access | undefined {
  if (request.is404) return undefined;
  return (request.routeOptions.config as { access?: Access } | undefined)?.access ?? 'query';
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** A constant-time check of a presented token against the expected one. */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(expected), digest(presented));
}

/** The bearer token a request presents (header, or access_token on the routes that take it). */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  if (!request.is404 && TOKEN_IN_QUERY_ROUTES.has(request.routeOptions.url ?? '')) {
    const query = request.query as { access_token?: unknown } | undefined;
    if (typeof query?.access_token === 'string') return query.access_token;
  }
  return undefined;
}

/** Decodes each run of valid percent-escapes; a malformed one stays as sent. */
function decodeLoosely(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** The decoded path of a request target, origin-form or absolute-form, dot segments resolved. */
export function requestPath(rawUrl: string): string {
  let pathname: string;
  try {
    pathname = new URL(rawUrl, 'http://request.invalid').pathname;
  } catch {
    pathname = rawUrl.split('?')[0];
  }
  return decodeLoosely(pathname);
}

/**
 * A request URL fit for the log, decoded first so that no spelling hides a secret: the value
 * of any `access_token` parameter (whatever its case or encoding), and any value or path that
 * holds either token, become [redacted].
 */
export function redactUrl(url: string, tokens: Array<string | undefined>): string {
  const secrets = tokens.filter((t): t is string => typeof t === 'string' && t !== '');
  const hide = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  const split = url.indexOf('?');
  const path = hide(decodeLoosely(split < 0 ? url : url.slice(0, split)));
  if (split < 0) return path;
  const pairs = url.slice(split + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const key = hide(decodeLoosely((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ')));
    if (eq < 0) return key;
    const value = decodeLoosely(pair.slice(eq + 1).replace(/\+/g, ' '));
    const secret = key.trim().toLowerCase() === 'access_token' || hide(value) !== value;
    return `${key}=${secret ? '[redacted]' : value}`;
  });
  return `${path}?${pairs.join('&')}`;
}
