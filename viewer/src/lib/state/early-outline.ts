/**
 * The outline of the execution the app opens with, asked for as soon as the app's script
 * runs (main.ts) instead of once the page has mounted, so the collector renders it while the
 * app starts. The execution view takes the request over (TraceState.load) rather than asking
 * again; a request nobody takes for its trace is aborted.
 */
import type { ProgressFn } from '../api/client.js';
import { getExecutionOutline } from '../api/endpoints.js';
import type { TraceData } from '../model/types.js';
import { api } from './auth.svelte.js';

export interface EarlyOutline {
  traceId: string;
  controller: AbortController;
  data: Promise<TraceData>;
  /** Where download progress goes once a view took the request over. */
  onProgress: ProgressFn | null;
}

let pending: EarlyOutline | null = null;

/** Starts loading the outline of `traceId`. */
export function startEarlyOutline(traceId: string): void {
  pending?.controller.abort();
  const controller = new AbortController();
  const early: EarlyOutline = { traceId, controller, onProgress: null, data: Promise.resolve(null as never) };
  early.data = getExecutionOutline(api, traceId, controller.signal, (received, total) => early.onProgress?.(received, total));
  // Whoever takes it handles its failure; untaken, a failure is nobody's business.
  early.data.catch(() => undefined);
  pending = early;
  // The first number formatted for the locale loads ICU's data (40–95 ms in Chromium here), and
  // the waterfall's first paint formats span counts: pay for it while the outline is on its way.
  setTimeout(() => (0).toLocaleString(), 0);
}

/** The early request for `traceId`, once; null when there is none (one for another trace is aborted). */
export function takeEarlyOutline(traceId: string, onProgress: ProgressFn | null): EarlyOutline | null {
  const early = pending;
  pending = null;
  if (!early) return null;
  if (early.traceId !== traceId) {
    early.controller.abort();
    return null;
  }
  early.onProgress = onProgress;
  return early;
}
