/**
 * The viewer's URLs. History routing: the collector serves index.html for unknown
 * non-/api paths. Pages: / (executions, `?trace=` selects one), /executions/:traceId
 * (one execution full width), /flows, /flows/:name, /sql.
 */

export type Route =
  | { page: 'executions' }
  | { page: 'execution'; traceId: string }
  | { page: 'flows' }
  | { page: 'flow'; flowName: string }
  | { page: 'sql' }
  | { page: 'not-found'; path: string };

/** Which page a pathname shows. */
export function matchRoute(pathname: string): Route {
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean).map(safeDecode);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'executions')) return { page: 'executions' };
  if (parts.length === 2 && parts[0] === 'executions') return { page: 'execution', traceId: parts[1] };
  if (parts.length === 1 && parts[0] === 'flows') return { page: 'flows' };
  if (parts.length === 2 && parts[0] === 'flows') return { page: 'flow', flowName: parts[1] };
  if (parts.length === 1 && parts[0] === 'sql') return { page: 'sql' };
  return { page: 'not-found', path: pathname };
}

/** The execution a URL opens, if any: /executions/:traceId, or the executions page's ?trace=. */
export function openedTraceId(pathname: string, search: string): string | null {
  const route = matchRoute(pathname);
  if (route.page === 'execution') return route.traceId;
  if (route.page === 'executions') return new URLSearchParams(search).get('trace') || null;
  return null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const paths = {
  executions: (query = '') => `/${query ? `?${query}` : ''}`,
  execution: (traceId: string, spanId?: string | null) =>
    `/executions/${encodeURIComponent(traceId)}${spanId ? `?span=${encodeURIComponent(spanId)}` : ''}`,
  flows: () => '/flows',
  /** One flow's page; `range` as its range menu names them (1h … 30d, all). */
  flow: (name: string, range?: string) => `/flows/${encodeURIComponent(name)}${range ? `?range=${range}` : ''}`,
  sql: (sql?: string) => (sql ? `/sql?q=${encodeURIComponent(sql)}` : '/sql'),
  flowExecutions: (name: string) => `/?flow=${encodeURIComponent(name)}`,
};
