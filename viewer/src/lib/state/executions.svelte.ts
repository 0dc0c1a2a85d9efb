/**
 * The executions list: the first page for the current filters, older pages on demand
 * (cursor), and live arrivals — without ever moving rows under the user or cancelling a
 * search because something new arrived:
 * - an execution the list shows is updated in place (rows have a fixed height);
 * - a new one that fits the filters goes on top while the list is at rest (at its top, the
 *   pointer elsewhere), else it is held and counted ("N new executions");
 * - a new one only the server can match (text, attributes, duration, a fixed time range) is
 *   counted; a click asks the server for the first page and merges it on top, keeping the
 *   pages and the scroll position already there;
 * - the list is bounded (lib/model/live-list.ts); a refresh that fails (the collector
 *   restarts) keeps the rows and marks them stale.
 */
import type { LiveEvent } from '@flowtrace/collector/api';
import type { ApiRequestError } from '../api/client.js';
import { listExecutions } from '../api/endpoints.js';
import { toExecution } from '../api/wire-to-domain.js';
import { filtersToApi, matchesLocally, type ExecutionFilters } from '../model/filters.js';
import { appendPage, emptyList, firstPage, hasOlder, MAX_LIST_ROWS, prependNewer, updateRow, type LoadedList } from '../model/live-list.js';
import type { Execution } from '../model/types.js';
import { api } from './auth.svelte.js';

const PAGE = 50;

/** A search of every span's text running this long offers the search in error texts only (slowSearch). */
export const SLOW_SEARCH_MS = 1_000;

export class ExecutionListState {
  list = $state.raw<LoadedList>(emptyList());
  readonly items = $derived(this.list.items);
  readonly hasOlder = $derived(hasOlder(this.list));
  loading = $state(false);
  loadingMore = $state(false);
  /** The "N new executions" click is being answered. */
  loadingNew = $state(false);
  error = $state<ApiRequestError | null>(null);
  /** The last refresh failed (the collector is unreachable): the rows are what it said before. */
  stale = $state(false);
  /** New executions that fit the filters, held while the user reads the list. */
  held = $state.raw<Execution[]>([]);
  /** New executions only the server can match to the filters. */
  unmatched = $state.raw<ReadonlySet<string>>(new Set());
  readonly newCount = $derived(this.held.length + this.unmatched.size);
  /** The filters search text: older pages may take a while (all history is searched), and may be short. */
  textSearch = $state(false);
  /**
   * A search of every span's text (not in errors only) has been running for SLOW_SEARCH_MS: the
   * list offers to search error messages only, which reads no span and answers at once.
   */
  slowSearch = $state(false);
  private slowTimer: ReturnType<typeof setTimeout> | undefined;
  private filters: ExecutionFilters | null = null;
  private controller: AbortController | null = null;
  /** The pointer is over the list or it is scrolled down: rows must not move. */
  private reading = false;
  /** Live events that arrived while a load was in flight; replayed onto its answer. */
  private duringLoad: LiveEvent[] = [];

  /** Loads the first page for `filters`, dropping a request for other filters still in flight. */
  async load(filters: ExecutionFilters, quiet = false): Promise<void> {
    this.filters = filters;
    this.textSearch = filters.q.trim() !== '';
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    if (!quiet) this.loading = true;
    this.duringLoad = [];
    if (!quiet) this.watchSlow(filters);
    try {
      const page = await listExecutions(api, filtersToApi(filters, Date.now()), null, PAGE, controller.signal);
      if (controller.signal.aborted) return;
      this.list = firstPage(page.executions, page.nextCursor);
      this.held = [];
      this.unmatched = new Set();
      this.error = null;
      this.stale = false;
      // The answer may predate events that already arrived: apply them again.
      for (const event of this.duringLoad) this.apply(event);
    } catch (err) {
      if (controller.signal.aborted) return;
      // A quiet refresh that fails keeps what is shown (the collector restarts, say).
      if (quiet && this.list.items.length > 0) this.stale = true;
      else this.error = err as ApiRequestError;
    } finally {
      if (this.controller === controller) {
        if (!quiet) this.watchSlow(null);
        this.loading = false;
        this.controller = null;
        this.duringLoad = [];
      }
    }
  }

  /** Appends the next (older) page. */
  async loadMore(): Promise<void> {
    if (!this.filters || !hasOlder(this.list) || this.loadingMore) return;
    this.loadingMore = true;
    const filters = this.filters;
    this.watchSlow(filters);
    try {
      const query = filtersToApi(filters, Date.now());
      const { nextCursor, olderThanMs } = this.list;
      // After a cut where no page ended, the next page is asked for by time (rows it repeats are skipped).
      if (nextCursor === null && olderThanMs !== null) query.to = new Date(olderThanMs).toISOString();
      const page = await listExecutions(api, query, nextCursor, PAGE);
      if (filters !== this.filters) return;
      this.list = appendPage(this.list, page.executions, page.nextCursor);
      this.stale = false;
    } catch (err) {
      this.error = err as ApiRequestError;
    } finally {
      if (filters === this.filters) this.watchSlow(null);
      this.loadingMore = false;
    }
  }

  /**
   * Refetches the first page quietly (after a reconnect or a polling tick). A load still
   * running is left alone: its answer is as fresh.
   */
  refresh(): void {
    if (this.filters && !this.controller) void this.load(this.filters, true);
  }

  /** Shows the new executions: held ones at once; unmatched ones by asking the server for the first page. */
  async showNew(): Promise<void> {
    if (!this.filters) return;
    if (this.unmatched.size === 0) {
      this.list = prependNewer(this.list, this.held);
      this.held = [];
      return;
    }
    const filters = this.filters;
    this.loadingNew = true;
    try {
      // A full first page (not partial): a page made only of new rows then means a gap before the rows shown.
      const page = await listExecutions(api, { ...filtersToApi(filters, Date.now()), partial: undefined }, null, PAGE);
      if (filters !== this.filters) return;
      const known = new Set(this.list.items.map((e) => e.traceId));
      const fresh = page.executions.filter((e) => !known.has(e.traceId));
      if (fresh.length === page.executions.length && page.nextCursor !== null) {
        // More arrived than a page holds: older pages would leave a gap, so start again.
        this.list = firstPage(page.executions, page.nextCursor);
      } else {
        let items = this.list.items;
        for (const e of page.executions) items = updateRow(items, e) ?? items;
        this.list = prependNewer({ ...this.list, items }, [...fresh, ...this.held.filter((e) => !fresh.some((f) => f.traceId === e.traceId))]);
      }
      this.held = [];
      this.unmatched = new Set();
      this.stale = false;
    } catch (err) {
      this.error = err as ApiRequestError;
    } finally {
      this.loadingNew = false;
    }
  }

  /** Told by the list view: whether the user is reading (pointer over it, or scrolled down). */
  setReading(reading: boolean): void {
    this.reading = reading;
    if (!reading && this.held.length > 0) {
      this.list = prependNewer(this.list, this.held);
      this.held = [];
    }
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
    const inList = updateRow(this.list.items, e);
    if (inList) {
      if (inList !== this.list.items) this.list = { ...this.list, items: inList };
      return;
    }
    const inHeld = updateRow(this.held, e);
    if (inHeld) {
      this.held = inHeld;
      return;
    }
    if (this.unmatched.has(e.traceId)) return;
    // Only executions newer than the list's top are new; an older one belongs to pages not shown.
    const top = this.list.items[0];
    if (top && e.startMs < top.startMs && hasOlder(this.list)) return;
    const fits = matchesLocally(this.filters, e, Date.now());
    if (fits === false) return;
    if (fits === null) this.unmatched = new Set([...this.unmatched, e.traceId]);
    else if (this.reading || this.loading) this.held = [e, ...this.held].slice(0, MAX_LIST_ROWS);
    else this.list = prependNewer(this.list, [e]);
  }

  /**
   * Starts timing a search for `filters` (null: the search ended): one of every span's text that
   * runs past SLOW_SEARCH_MS sets slowSearch. Only the newest search is timed.
   */
  private watchSlow(filters: ExecutionFilters | null): void {
    clearTimeout(this.slowTimer);
    this.slowSearch = false;
    if (filters === null || filters.q.trim() === '' || filters.qIn === 'errors') return;
    this.slowTimer = setTimeout(() => (this.slowSearch = true), SLOW_SEARCH_MS);
  }

  dispose(): void {
    clearTimeout(this.slowTimer);
    this.controller?.abort();
  }
}
