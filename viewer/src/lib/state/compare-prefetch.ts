/**
 * The first page of a comparison, asked for before the compare page is open, since the
 * server's part (reading both traces and matching them) is most of the time from click to
 * drawn: when the pointer or the focus comes to a link to it, when "compare with the previous
 * run" has found the run, and — when a finished run of at most EAGER_MAX_SPANS spans is shown
 * while another (as small) is marked — once that page is idle, since a run is marked to be
 * compared with the next ones opened.
 *
 * Invariants: one slot (the comparison most recently asked for); an answer is handed out once,
 * only for the same pair and not when older than FRESH_MS, with its age, so that the page asks
 * again for an answer it may find stale (the runs may have changed since); a failed prefetch is
 * handed out as the failure it is (the page shows it with Retry), never swallowed.
 */
import type { ExecutionComparison } from '@flowtrace/collector/api';
import { getComparison } from '../api/why-endpoints.js';
import { api } from './auth.svelte.js';

/** Rows of the first page: a tall screen's worth (26 px rows) and more. */
export const FIRST_PAGE_ROWS = 120;
/** The most rows the route gives: the second request asks for all of them. */
export const ALL_ROWS = 200_000;
/** Runs up to this size are compared ahead of the click when the page is idle (~100 ms of the collector's time at 10k). */
export const EAGER_MAX_SPANS = 20_000;
const FRESH_MS = 60_000;

let slot: { key: string; at: number; answer: Promise<ExecutionComparison> } | undefined;

/** Starts loading the first page of `a` compared with `b`, unless it is loading already. */
export function prefetchComparison(a: string, b: string): void {
  const key = `${a}/${b}`;
  if (slot?.key === key && Date.now() - slot.at < FRESH_MS) return;
  const answer = getComparison(api, a, b, {}, FIRST_PAGE_ROWS);
  answer.catch(() => undefined); // handed to the page, which reports it; not an unhandled rejection meanwhile
  slot = { key, at: Date.now(), answer };
}

/** The first page of `a` compared with `b`: the prefetched one if fresh (with its age in ms), else asked for now. */
export function firstComparisonPage(a: string, b: string): { answer: Promise<ExecutionComparison>; ageMs: number } {
  const key = `${a}/${b}`;
  const ready = slot?.key === key && Date.now() - slot.at < FRESH_MS ? slot : undefined;
  slot = undefined;
  return ready ? { answer: ready.answer, ageMs: Date.now() - ready.at } : { answer: getComparison(api, a, b, {}, FIRST_PAGE_ROWS), ageMs: 0 };
}

/** Calls `fn` once the page is idle (or after `timeoutMs`); returns the cancel. */
export function whenIdle(fn: () => void, timeoutMs = 1_000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  const timer = setTimeout(fn, 200);
  return () => clearTimeout(timer);
}
