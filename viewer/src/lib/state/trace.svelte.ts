/**
 * One execution as the Execution view holds it: its outline (what the waterfall draws; a
 * span's attributes and console lines come per span, lib/state/span-details.svelte.ts),
 * fetched once, then kept current from the live feed — span events merge in (batched, so a
 * burst rebuilds the tree once), and the end of the execution triggers a quiet refetch so the
 * final statuses settle without a reload. Events that arrive while a fetch is in flight are
 * merged onto its answer, which may be older than they are. `onspanschange` tells which
 * spans changed (all after a refetch), so cached span details can be dropped.
 */
import type { LiveEvent } from '@flowtrace/collector/api';
import type { ApiRequestError } from '../api/client.js';
import { deleteExecution, getExecutionOutline } from '../api/endpoints.js';
import { toExecution, toSpan } from '../api/wire-to-domain.js';
import { buildTraceTree, type TraceTree } from '../model/trace-tree.js';
import type { SpanModel, TraceData } from '../model/types.js';
import { api } from './auth.svelte.js';
import { takeEarlyOutline } from './early-outline.js';

/** Traces above this size are not refetched while running (live events keep them current). */
const REFETCH_LIMIT = 5000;

export class TraceState {
  traceId = $state<string | null>(null);
  data = $state.raw<TraceData | null>(null);
  tree = $state.raw<TraceTree | null>(null);
  loading = $state(false);
  error = $state<ApiRequestError | null>(null);
  /** The last quiet refetch failed (the collector is unreachable): what is shown is its earlier answer. */
  stale = $state(false);
  /** Bytes of the answer so far while a (large) trace downloads. */
  progress = $state<{ received: number; total: number | null } | null>(null);
  /** Where the last load spent its time: waiting for the outline (download + parse + convert), then the tree. */
  timing = $state<{ fetchMs: number; treeMs: number } | null>(null);
  /** Told which spans changed after a live flush, or null after a refetch (anything may have). */
  onspanschange: ((spanIds: ReadonlySet<string> | null) => void) | null = null;
  private controller: AbortController | null = null;
  private pending = new Map<string, SpanModel>();
  /** Spans from live events since the current load started; merged onto its answer. */
  private duringLoad = new Map<string, SpanModel>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private refetchTimer: ReturnType<typeof setTimeout> | null = null;

  async load(traceId: string, quiet = false): Promise<void> {
    if (traceId !== this.traceId) {
      this.data = null;
      this.tree = null;
      this.pending.clear();
    }
    this.traceId = traceId;
    this.controller?.abort();
    const onProgress = quiet ? undefined : (received: number, total: number | null) => (this.progress = { received, total });
    // The first load may find its request already on the way (started by main.ts).
    const early = quiet ? null : takeEarlyOutline(traceId, onProgress ?? null);
    const controller = early?.controller ?? new AbortController();
    this.controller = controller;
    if (!quiet) this.loading = true;
    this.duringLoad.clear();
    const t0 = performance.now();
    try {
      const data = await (early?.data ?? getExecutionOutline(api, traceId, controller.signal, onProgress));
      if (controller.signal.aborted) return;
      const t1 = performance.now();
      if (this.duringLoad.size > 0) data.spans = mergeSpans(data.spans, this.duringLoad);
      const tree = buildTraceTree(data.spans, data.execution.remoteParentSpanId);
      this.data = data;
      this.tree = tree;
      this.error = null;
      this.stale = false;
      this.timing = { fetchMs: Math.round(t1 - t0), treeMs: Math.round(performance.now() - t1) };
      if (quiet) this.onspanschange?.(null);
    } catch (err) {
      if (controller.signal.aborted) return;
      // A quiet refetch that fails keeps the trace on screen (the collector restarts, say).
      if (quiet && this.data) this.stale = true;
      else this.error = err as ApiRequestError;
    } finally {
      if (this.controller === controller) {
        this.loading = false;
        this.progress = null;
        this.controller = null;
        this.duringLoad.clear();
      }
    }
  }

  /** Applies a live event of any trace (others are ignored). */
  onLive(event: LiveEvent): void {
    if (!this.traceId || event.traceId !== this.traceId) return;
    if (event.span) {
      const span = toSpan(event.span);
      this.pending.set(span.spanId, span);
      if (this.controller) this.duringLoad.set(span.spanId, span);
      this.flushTimer ??= setTimeout(() => this.flush(), 150);
    }
    if (event.execution && this.data) {
      this.data = { ...this.data, execution: { ...this.data.execution, ...toExecution(event.execution) } };
    }
    if (event.type === 'execution.completed' || event.type === 'execution.failed') this.scheduleRefetch(300, true);
    else if (this.data && this.data.spans.length < REFETCH_LIMIT) this.scheduleRefetch(1500);
  }

  /** Deletes the execution in the collector; the error (if any) is kept for the page to show. */
  async remove(): Promise<boolean> {
    if (!this.traceId) return false;
    try {
      await deleteExecution(api, this.traceId);
      return true;
    } catch (err) {
      this.error = err as ApiRequestError;
      return false;
    }
  }

  /** Quiet refetch (after a reconnect or a polling tick). */
  refresh(): void {
    if (this.traceId && !this.loading) void this.load(this.traceId, true);
  }

  private flush(): void {
    this.flushTimer = null;
    if (!this.data || this.pending.size === 0) return;
    const spans = mergeSpans(this.data.spans, this.pending);
    const changed = new Set(this.pending.keys());
    this.pending.clear();
    this.data = { ...this.data, spans, execution: { ...this.data.execution, spanCount: Math.max(this.data.execution.spanCount, spans.length) } };
    this.tree = buildTraceTree(spans, this.data.execution.remoteParentSpanId);
    this.onspanschange?.(changed);
  }

  /** Throttled: a pending refetch stays unless `force` (the execution ended) moves it closer. */
  private scheduleRefetch(ms: number, force = false): void {
    if (this.refetchTimer && !force) return;
    if (this.refetchTimer) clearTimeout(this.refetchTimer);
    this.refetchTimer = setTimeout(() => {
      this.refetchTimer = null;
      this.refresh();
    }, ms);
  }

  dispose(): void {
    this.controller?.abort();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.refetchTimer) clearTimeout(this.refetchTimer);
  }
}

/** Spans with live updates merged in by id; a late start never reopens a finished span. */
function mergeSpans(spans: SpanModel[], updates: ReadonlyMap<string, SpanModel>): SpanModel[] {
  const byId = new Map(spans.map((s) => [s.spanId, s] as const));
  for (const [id, s] of updates) {
    const old = byId.get(id);
    if (old && old.endMs !== null && s.endMs === null) continue;
    byId.set(id, s);
  }
  return [...byId.values()];
}
