/**
 * The chosen span's details as runes state, for the span panel (and the TCP view's peer
 * address): a thin wrapper of lib/api/span-details-loader.ts on the shared API client.
 */
import type { ApiRequestError } from '../api/client.js';
import { getSpanDetails } from '../api/endpoints.js';
import { SpanDetailsLoader } from '../api/span-details-loader.js';
import type { SpanDetailsModel } from '../model/types.js';
import { api } from './auth.svelte.js';

export class SpanDetailsState {
  spanId = $state<string | null>(null);
  details = $state.raw<SpanDetailsModel | null>(null);
  loading = $state(false);
  error = $state<ApiRequestError | null>(null);
  private readonly loader = new SpanDetailsLoader({
    fetch: (traceId, spanId, signal) => getSpanDetails(api, traceId, spanId, signal),
    onChange: (view) => {
      this.spanId = view.spanId;
      this.details = view.details;
      this.loading = view.loading;
      this.error = (view.error as ApiRequestError | null) ?? null;
    },
  });

  show(traceId: string, spanId: string | null): void {
    this.loader.show(traceId, spanId);
  }

  /** Changed spans (all when omitted): their cached details go, the shown one refreshes quietly. */
  invalidate(spanIds?: Iterable<string>): void {
    this.loader.invalidate(spanIds);
  }

  retry(): void {
    this.loader.retry();
  }

  dispose(): void {
    this.loader.dispose();
  }
}
