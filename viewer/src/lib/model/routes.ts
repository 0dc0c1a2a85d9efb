/**
 * The viewer's URLs. History routing: the collector serves index.html for unknown
 * non-/api paths. Pages: / (executions, `?trace=` selects one), /executions/:traceId
 * (one execution full width), /executions/:a/compare/:b, /logs (lines with no span), /flows, /flows/:name, /explore/metrics (`?service=&name=`
 * picks one; /metrics is the collector's Prometheus endpoint), /sql.
 */

export type Route =
  | { page: 'executions' }
  | { page: 'execution'; traceId: string }
  | { page: 'compare'; a: string; b: string }
  | { page: 'logs' }
  | { page: 'flows' }
  | { page: 'flow'; flowName: string }
  | { page: 'metrics' }
  | { page: 'sql' }
  | { page: 'not-found'; path: string };

/** Which page a pathname shows. */
export function matchRoute(pathname: string): Route {
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean).map(safeDecode);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'executions')) return { page: 'executions' };
  if (parts.length === 2 && parts[0] === 'executions') return { page: 'execution', traceId: parts[1] };
  if (parts.length === 4 && parts[0] === 'executions' && parts[2] === 'compare') return { page: 'compare', a: parts[1], b: parts[3] };
  if (parts.length === 1 && parts[0] === 'logs') return { page: 'logs' };
  if (parts.length === 1 && parts[0] === 'flows') return { page: 'flows' };
  if (parts.length === 2 && parts[0] === 'flows') return { page: 'flow', flowName: parts[1] };
  if (parts.length === 2 && parts[0] === 'explore' && parts[1] === 'metrics') return { page: 'metrics' };
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
  /** Two executions compared (a is the baseline). */
  compare: (a: string, b: string) => `/executions/${encodeURIComponent(a)}/compare/${encodeURIComponent(b)}`,
  /** Console and log lines that belong to no span. */
  logs: () => '/logs',
  /** One flow's page; `range` as its range menu names them (1h … 30d, all). */
  flow: (name: string, range?: string) => `/flows/${encodeURIComponent(name)}${range ? `?range=${range}` : ''}`,
  /** The Metrics page, on one service's metric when given, over a range of its menu (15m … 7d). */
  metrics: (service?: string, name?: string, range?: string) => {
    const q = new URLSearchParams();
    if (service && name) {
      q.set('service', service);
      q.set('name', name);
    }
    if (range) q.set('range', range);
    const qs = q.toString();
    return qs ? `/explore/metrics?${qs}` : '/explore/metrics';
  },
  sql: (sql?: string) => (sql ? `/sql?q=${encodeURIComponent(sql)}` : '/sql'),
  /**
   * The executions list narrowed to one flow (its whole name) and, when given, a relative range
   * (`all` is none), a time window (epoch ms), a status, and runs that reached a node.
   */
  flowExecutions: (name: string, narrow: { range?: string; fromMs?: number; toMs?: number; status?: string; nodeId?: string } = {}) => {
    const q = new URLSearchParams({ flow: name });
    if (narrow.fromMs !== undefined) q.set('from', new Date(narrow.fromMs).toISOString());
    if (narrow.toMs !== undefined) q.set('to', new Date(narrow.toMs).toISOString());
    if (narrow.fromMs === undefined && narrow.range && narrow.range !== 'all') q.set('range', narrow.range);
    if (narrow.status) q.set('status', narrow.status);
    if (narrow.nodeId) q.set('attr', `flow.node.id=${narrow.nodeId}`);
    return `/?${q.toString()}`;
  },
};
