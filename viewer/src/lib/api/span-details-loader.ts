/**
 * A chosen span's details, on demand: one request per chosen span, answered from a small
 * cache when the span was shown before. Choosing another span aborts the request of the
 * previous one, and choices in quick succession (an arrow key held down) wait for a short
 * pause before asking, so a fast walk through the waterfall costs one request, not fifty.
 * Framework-free so it can be unit-tested with a fake fetch and fake timers;
 * lib/state/span-details.svelte.ts wraps it for the span panel.
 */
import { LruCache } from '../model/lru-cache.js';
import type { SpanDetailsModel } from '../model/types.js';

export interface DetailsView {
  traceId: string | null;
  spanId: string | null;
  /** The shown span's details; while a quiet refresh runs, the previous answer. */
  details: SpanDetailsModel | null;
  /** True while the shown span has no details yet and they are on the way. */
  loading: boolean;
  error: unknown;
}

export type FetchDetails = (traceId: string, spanId: string, signal: AbortSignal) => Promise<SpanDetailsModel>;

export interface SpanDetailsLoaderOptions {
  fetch: FetchDetails;
  onChange: (view: DetailsView) => void;
  /** Spans whose details are kept (default 50). */
  cacheSize?: number;
  /** A choice made within this many ms of the previous one waits this long before fetching (default 80). */
  settleMs?: number;
  now?: () => number;
}

const NOTHING: DetailsView = { traceId: null, spanId: null, details: null, loading: false, error: null };
const keyOf = (traceId: string, spanId: string): string => `${traceId}/${spanId}`;

export class SpanDetailsLoader {
  private view: DetailsView = NOTHING;
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastChoiceAt = Number.NEGATIVE_INFINITY;
  private readonly cache: LruCache<string, SpanDetailsModel>;
  private readonly settleMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SpanDetailsLoaderOptions) {
    this.cache = new LruCache(options.cacheSize ?? 50);
    this.settleMs = options.settleMs ?? 80;
    this.now = options.now ?? (() => performance.now());
  }

  /** Shows the details of a span (null: none), from the cache or fetched. */
  show(traceId: string, spanId: string | null): void {
    if (spanId === null) {
      this.cancel();
      if (this.view !== NOTHING) this.set(NOTHING);
      return;
    }
    if (traceId === this.view.traceId && spanId === this.view.spanId && !this.view.error) return;
    this.cancel();
    const at = this.now();
    const quick = at - this.lastChoiceAt < this.settleMs;
    this.lastChoiceAt = at;
    const cached = this.cache.get(keyOf(traceId, spanId));
    if (cached) {
      this.set({ traceId, spanId, details: cached, loading: false, error: null });
      return;
    }
    this.set({ traceId, spanId, details: null, loading: true, error: null });
    if (!quick) {
      this.fetch(traceId, spanId);
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fetch(traceId, spanId);
    }, this.settleMs);
  }

  /**
   * Forgets cached details of these spans of the shown trace (all when omitted), because they
   * changed. When the shown span is among them it is fetched again, quietly: it keeps showing
   * what it has until the new answer arrives.
   */
  invalidate(spanIds?: Iterable<string>): void {
    const { traceId, spanId } = this.view;
    let shownChanged = spanIds === undefined;
    if (spanIds === undefined) this.cache.clear();
    else if (traceId !== null) {
      for (const id of spanIds) {
        this.cache.delete(keyOf(traceId, id));
        if (id === spanId) shownChanged = true;
      }
    }
    if (!shownChanged || traceId === null || spanId === null || this.timer) return;
    this.controller?.abort();
    this.fetch(traceId, spanId);
  }

  /** Asks again for the shown span after an error. */
  retry(): void {
    const { traceId, spanId } = this.view;
    if (traceId === null || spanId === null) return;
    this.cancel();
    this.set({ ...this.view, loading: this.view.details === null, error: null });
    this.fetch(traceId, spanId);
  }

  dispose(): void {
    this.cancel();
  }

  private fetch(traceId: string, spanId: string): void {
    const controller = new AbortController();
    this.controller = controller;
    const isShown = () => this.view.traceId === traceId && this.view.spanId === spanId;
    this.options.fetch(traceId, spanId, controller.signal).then(
      (details) => {
        if (controller.signal.aborted) return;
        this.controller = null;
        this.cache.set(keyOf(traceId, spanId), details);
        if (isShown()) this.set({ ...this.view, details, loading: false, error: null });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        this.controller = null;
        if (isShown()) this.set({ ...this.view, loading: false, error });
      },
    );
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.controller?.abort();
    this.controller = null;
  }

  private set(view: DetailsView): void {
    this.view = view;
    this.options.onChange(view);
  }
}
