/**
 * The URL as reactive state: pathname and query, navigate() with pushState/replaceState,
 * back/forward via popstate, and same-origin <a> clicks turned into navigations.
 */
import { matchRoute, type Route } from '../model/routes.js';

class Router {
  pathname = $state(location.pathname);
  search = $state(location.search);
  readonly route: Route = $derived(matchRoute(this.pathname));
  readonly query: URLSearchParams = $derived(new URLSearchParams(this.search));

  constructor() {
    window.addEventListener('popstate', () => this.sync());
    document.addEventListener('click', (e) => this.intercept(e));
  }

  /** Goes to `url` (path + query); `replace` keeps the history entry (for typing in filters). */
  navigate(url: string, options: { replace?: boolean } = {}): void {
    const target = new URL(url, location.href);
    if (target.pathname + target.search === location.pathname + location.search) return;
    if (options.replace) history.replaceState(null, '', target.pathname + target.search);
    else history.pushState(null, '', target.pathname + target.search);
    this.sync();
  }

  /** Replaces one or more query keys on the current path. */
  setQuery(changes: Record<string, string | null>, options: { replace?: boolean } = {}): void {
    const params = new URLSearchParams(this.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') params.delete(k);
      else params.set(k, v);
    }
    const qs = params.toString();
    this.navigate(this.pathname + (qs ? `?${qs}` : ''), options);
  }

  private sync(): void {
    this.pathname = location.pathname;
    this.search = location.search;
  }

  private intercept(e: MouseEvent): void {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    e.preventDefault();
    this.navigate(url.pathname + url.search);
  }
}

export const router = new Router();
