/**
 * The executions list: first page for the current filters, more pages on demand
 * (cursor), live inserts and updates from the live feed, and a debounced refetch when
 * only the server can tell whether a live execution fits the filters.
 */
import type { LiveEvent } from '@flowtrace/collector/api';
import type { ApiRequestError } from '../api/client.js';
import { listExecutions } from '../api/endpoints.js';
import { toExecution } from '../api/wire-to-domain.js';
import { filtersToApi, matchesLocally, type ExecutionFilters } from '../model/filters.js';
import type { Execution } from '../model/types.js';
import { api } from './auth.svelte.js';

const PAGE = 50;

export class ExecutionListState {
  items = $state.raw<Execution[]>([]);
  nextCursor = $state<string | null>(null);
  loading = $state(false);
  loadingMore = $state(false);
  error = $state<ApiRequestError | null>(null);
  private filters: ExecutionFilters | null = null;
  private controller: AbortController | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** Live events that arrived while a load was in flight; replayed onto its answer. */
  private duringLoad: LiveEvent[] = [];

  /** Loads the first page for `filters`, dropping any request still in flight. */
  async load(filters: ExecutionFilters, quiet = false): Promise<void> {
    this.filters = filters;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    if (!quiet) this.loading = true;
    this.duringLoad = [];
    try {
      const page = await listExecutions(api, filtersToApi(filters, Date.now()), null, PAGE, controller.signal);
      if (controller.signal.aborted) return;
      this.items = page.executions;
      this.nextCursor = page.nextCursor;
      this.error = null;
      // The answer may predate events that already arrived: apply them again.
      for (const event of this.duringLoad) this.apply(event);
    } catch (err) {
      if (!controller.signal.aborted) this.error = err as ApiRequestError;
    } finally {
      if (this.controller === controller) {
        this.loading = false;
        this.controller = null;
        this.duringLoad = [];
      }
    }
  }

  /** Appends the next (older) page. */
  async loadMore(): Promise<void> {
    if (!this.filters || !this.nextCursor || this.loadingMore) return;
    this.loadingMore = true;
    try {
      const page = await listExecutions(api, filtersToApi(this.filters, Date.now()), this.nextCursor, PAGE);
      const seen = new Set(this.items.map((e) => e.traceId));
      this.items = [...this.items, ...page.executions.filter((e) => !seen.has(e.traceId))];
      this.nextCursor = page.nextCursor;
    } catch (err) {
      this.error = err as ApiRequestError;
    } finally {
      this.loadingMore = false;
    }
  }

  /** Refetches the first page quietly (after a reconnect, a polling tick, or a live event). */
  refresh(): void {
    if (this.filters) void this.load(this.filters, true);
  }

  /** Applies one live event to the list. */
  onLive(event: LiveEvent): void {
    if (!event.execution || !this.filters) return;
    if (this.controller) this.duringLoad.push(event);
    this.apply(event);
  }

  private apply(event: LiveEvent): void {
    if (!event.execution || !this.filters) return;
    const e = toExecution(event.execution);
    const at = this.items.findIndex((x) => x.traceId === e.traceId);
    if (at >= 0) {
      if (this.items[at].lastSeenMs > e.lastSeenMs) return;
      const next = this.items.slice();
      next[at] = e;
      this.items = next;
      return;
    }
    const fits = matchesLocally(this.filters, e, Date.now());
    if (fits === null) this.scheduleRefresh();
    else if (fits) this.items = [e, ...this.items].sort((a, b) => b.startMs - a.startMs);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.refresh();
    }, 1000);
  }

  dispose(): void {
    this.controller?.abort();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }
}
