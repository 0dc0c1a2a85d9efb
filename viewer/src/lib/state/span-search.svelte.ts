/**
 * What the trace view's search and span filters ask of the collector: the spans whose
 * attribute values hold the search text, and those carrying the filter's key = value
 * (GET …/span-matches). Asked for after a short pause in typing, the previous question
 * cancelled (the collector stops its query); the answers go into the waterfall state.
 */
import { getSpanMatches } from '../api/endpoints.js';
import { emptySpanFilters, parseAttributeFilter, spanFilterPredicate, type SpanFilterSpec } from '../model/span-filters.js';
import { api } from './auth.svelte.js';
import type { WaterfallState } from './waterfall.svelte.js';

const PAUSE_MS = 250;

export class SpanSearchState {
  filters = $state.raw<SpanFilterSpec>(emptySpanFilters());
  private withAttribute: ReadonlySet<string> | null = null;
  private searchAsk = new Asker();
  private attributeAsk = new Asker();

  constructor(
    private readonly waterfall: () => WaterfallState,
    private readonly traceId: () => string,
  ) {}

  /** The search text changed: ask which spans hold it in attribute values. */
  searchChanged(text: string): void {
    const q = text.trim();
    if (q.length < 2) {
      this.searchAsk.cancel();
      this.waterfall().searchExtra = null;
      return;
    }
    this.searchAsk.ask((signal) => getSpanMatches(api, this.traceId(), { q }, signal), (ids) => (this.waterfall().searchExtra = ids));
  }

  /** New filter values from the filter bar. */
  setFilters(next: SpanFilterSpec): void {
    const attributeChanged = next.attribute !== this.filters.attribute;
    this.filters = next;
    if (attributeChanged) {
      this.withAttribute = null;
      const pair = parseAttributeFilter(next.attribute);
      if (pair) {
        this.attributeAsk.ask((signal) => getSpanMatches(api, this.traceId(), { attr: [`${pair.key}=${pair.value}`] }, signal), (ids) => {
          this.withAttribute = ids;
          this.apply();
        });
      } else this.attributeAsk.cancel();
    }
    this.apply();
  }

  private apply(): void {
    this.waterfall().spanFilter = spanFilterPredicate(this.filters, this.withAttribute, Date.now());
  }

  dispose(): void {
    this.searchAsk.cancel();
    this.attributeAsk.cancel();
  }
}

/** One question at a time, asked after a pause; a newer one cancels the older. */
class Asker {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private controller: AbortController | null = null;

  ask<T>(fetch: (signal: AbortSignal) => Promise<T>, answer: (value: T) => void): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      const controller = new AbortController();
      this.controller = controller;
      fetch(controller.signal).then(
        (value) => {
          if (!controller.signal.aborted) answer(value);
        },
        () => undefined, // the outline's own matches still show; a failed question adds none
      );
    }, PAUSE_MS);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.controller?.abort();
    this.controller = null;
  }
}
