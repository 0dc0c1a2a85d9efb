/**
 * Execution-list filters and their URL form. The URL is the source of truth (a link
 * reproduces the view, back works), so filters round-trip through URLSearchParams; a
 * relative time range ("1h") is resolved to `from` only when the API is asked.
 */
import type { QueryValue } from '../api/client.js';

export interface ExecutionFilters {
  flow: string;
  service: string;
  status: string;
  user: string;
  trigger: string;
  /** A relative range like 15m, 1h, 24h, 7d, or '' for any time. */
  range: string;
  /** Absolute bounds (ISO), used when range is ''. */
  from: string;
  to: string;
  minDurationMs: string;
  maxDurationMs: string;
  /** `key=value` pairs. */
  attrs: string[];
  q: string;
  /**
   * Where q is looked for: '' everywhere (names, attribute values with payloads, console lines),
   * 'errors' only in a run's own fields and its error texts (the API's in=errors, fast on any
   * history). A scope of the search box, not a filter: not counted as one. URL key `in`.
   */
  qIn: '' | 'errors';
  /** '' newest first, 'duration' longest first (an order, not a filter: not counted as one). */
  sort: '' | 'duration';
}

export const FILTER_KEYS = ['flow', 'service', 'status', 'user', 'trigger', 'range', 'from', 'to', 'minDurationMs', 'maxDurationMs', 'q'] as const;
type ScalarKey = (typeof FILTER_KEYS)[number];

export const RANGES: Record<string, number> = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

export function emptyFilters(): ExecutionFilters {
  return { flow: '', service: '', status: '', user: '', trigger: '', range: '', from: '', to: '', minDurationMs: '', maxDurationMs: '', attrs: [], q: '', qIn: '', sort: '' };
}

/** Reads filters from a URL query. Unknown keys are ignored. */
export function filtersFromSearch(params: URLSearchParams): ExecutionFilters {
  const f = emptyFilters();
  for (const key of FILTER_KEYS) f[key] = params.get(key) ?? '';
  f.attrs = params.getAll('attr').filter((a) => a.includes('='));
  f.qIn = params.get('in') === 'errors' ? 'errors' : '';
  f.sort = params.get('sort') === 'duration' ? 'duration' : '';
  return f;
}

/** Writes filters into a URL query (empty values left out), keeping other keys. */
export function filtersToSearch(f: ExecutionFilters, base = new URLSearchParams()): URLSearchParams {
  const out = new URLSearchParams(base);
  for (const key of FILTER_KEYS) {
    out.delete(key);
    if (f[key as ScalarKey]) out.set(key, f[key as ScalarKey]);
  }
  out.delete('attr');
  for (const a of f.attrs) out.append('attr', a);
  out.delete('in');
  if (f.qIn) out.set('in', f.qIn);
  out.delete('sort');
  if (f.sort) out.set('sort', f.sort);
  return out;
}

/** The query of GET /api/executions for these filters at time `now`. */
export function filtersToApi(f: ExecutionFilters, now: number): Record<string, QueryValue> {
  const span = RANGES[f.range];
  return {
    flow: f.flow,
    service: f.service,
    status: f.status,
    user: f.user,
    trigger: f.trigger,
    from: span ? new Date(now - span).toISOString() : f.from,
    to: span ? undefined : f.to,
    minDurationMs: f.minDurationMs,
    maxDurationMs: f.maxDurationMs,
    attr: f.attrs,
    q: f.q,
    in: f.q && f.qIn ? f.qIn : undefined,
    // A text search may answer a first page of the runs found by their error texts before older
    // history is searched (the API's partial pages); the list loads the next pages as it scrolls.
    // A search in errors only reads no span: its pages are full at once.
    partial: f.q && !f.qIn ? 'true' : undefined,
    sort: f.sort || undefined,
  };
}

/**
 * Whether a flow name passes the flow filter: the whole name, or a prefix when the filter ends
 * in `*` (as the API reads it).
 */
export function flowMatches(filter: string, flowName: string): boolean {
  return filter.length > 1 && filter.endsWith('*') ? flowName.startsWith(filter.slice(0, -1)) : flowName === filter;
}

/**
 * The flow filter for what a user typed: a known flow's whole name as it is, anything else as
 * a prefix (`check` → `check*`), so that typing the start of a name finds its runs.
 */
export function flowFilterFor(typed: string, knownFlows: readonly string[]): string {
  const text = typed.trim();
  if (text === '' || text.endsWith('*') || knownFlows.includes(text)) return text;
  return `${text}*`;
}

/** How many filters are set (for a "3 filters · clear" hint). */
export function activeFilterCount(f: ExecutionFilters): number {
  return FILTER_KEYS.filter((k) => f[k] !== '').length + f.attrs.length;
}

/** Whether a live execution fits the simple filters; null when only the server can tell (attrs, q). */
export function matchesLocally(
  f: ExecutionFilters,
  e: { flowName: string; serviceName: string; status: string; userId: string | null; triggerType: string | null; startMs: number; durationMs: number },
  now: number,
): boolean | null {
  if (f.flow && !flowMatches(f.flow, e.flowName)) return false;
  if (f.service && e.serviceName !== f.service) return false;
  if (f.status && e.status !== f.status) return false;
  if (f.user && e.userId !== f.user) return false;
  if (f.trigger && e.triggerType !== f.trigger) return false;
  if (f.to || f.from) return null;
  if (f.range && RANGES[f.range] && e.startMs < now - RANGES[f.range]) return false;
  if (f.attrs.length > 0 || f.q || f.minDurationMs || f.maxDurationMs) return null;
  // In duration order, only the server knows where a run goes among the pages loaded.
  if (f.sort) return null;
  return true;
}

/** ISO time → the value of an <input type="datetime-local"> (local time, minutes). */
export function isoToLocalInput(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** The value of a datetime-local input → ISO time ('' stays ''). */
export function localInputToIso(value: string): string {
  if (!value) return '';
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}
