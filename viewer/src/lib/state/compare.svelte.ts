/**
 * The compare page's state: the two runs' comparison (rows matched by the collector), the
 * pair chosen for the side-by-side input, output and error (asked for alone, with one row,
 * so a big comparison is not sent again), and the rows' virtual scroll.
 *
 * A comparison comes in two answers: a first page of rows (a screenful; often asked for before
 * the page opened, compare-prefetch.ts), drawn at once, then all rows with the counts of the
 * whole comparison — asked for too when the first page held every row but was asked for more
 * than STALE_AFTER_MS ago (the runs may have changed since). Until the second is in, `complete`
 * is false and the counts are not shown (they would count only the first page). The rows of the first page are the first rows of the
 * second (the collector's matching is deterministic and cut at the limit), so a chosen row and
 * the scroll position stay right when the rows are swapped.
 */
import type { ExecutionComparison } from '@flowtrace/collector/api';
import type { ApiRequestError } from '../api/client.js';
import { getComparison } from '../api/why-endpoints.js';
import { api } from './auth.svelte.js';
import { ALL_ROWS, firstComparisonPage } from './compare-prefetch.js';

export const COMPARE_ROW_HEIGHT = 26;
/** A prefetched first page older than this is followed by a fresh answer even when it held every row. */
const STALE_AFTER_MS = 2_000;

export class CompareState {
  data = $state.raw<ExecutionComparison | null>(null);
  detail = $state.raw<ExecutionComparison['detail'] | null>(null);
  /** Index of the chosen row, -1 for the roots. */
  chosen = $state(-1);
  loading = $state(false);
  detailLoading = $state(false);
  /** All rows are in (and the counts are those of the whole comparison). */
  complete = $state(false);
  error = $state<ApiRequestError | null>(null);
  onlyDifferences = $state(false);
  scrollTop = $state(0);
  viewport = $state(500);
  private a = '';
  private b = '';
  private detailController: AbortController | null = null;
  private loadController: AbortController | null = null;

  /** Rows shown: all, or those that differ (a side missing, status changed, or 10 % / 1 ms slower or faster). */
  readonly rows = $derived.by(() => {
    const rows = this.data?.rows ?? [];
    if (!this.onlyDifferences) return rows.map((row, index) => ({ row, index }));
    return rows.map((row, index) => ({ row, index })).filter(({ row }) =>
      row.a === null || row.b === null || row.statusChanged ||
      (row.deltaMs !== null && Math.abs(row.deltaMs) >= 1 && Math.abs(row.deltaMs) >= 0.1 * Math.max(row.a.durationMs ?? 0, 1)));
  });

  readonly first = $derived(Math.max(0, Math.floor(this.scrollTop / COMPARE_ROW_HEIGHT) - 5));
  readonly last = $derived(Math.min(this.rows.length, Math.ceil((this.scrollTop + this.viewport) / COMPARE_ROW_HEIGHT) + 5));

  /** Loads the comparison: its first page, drawn as soon as it is in, then all its rows. */
  async load(a: string, b: string): Promise<void> {
    this.a = a;
    this.b = b;
    this.loadController?.abort();
    const controller = new AbortController();
    this.loadController = controller;
    this.loading = this.data === null;
    this.complete = false;
    try {
      const page = firstComparisonPage(a, b);
      const first = await page.answer;
      if (controller.signal.aborted) return;
      this.data = first;
      this.detail = first.detail;
      this.error = null;
      this.loading = false;
      if (first.truncated || page.ageMs > STALE_AFTER_MS) {
        // Asked for once the first rows are on screen: producing and reading all rows (MBs of
        // JSON for 10k spans) must not compete with drawing the first ones.
        await afterPaint();
        if (controller.signal.aborted) return;
        const all = await getComparison(api, a, b, {}, ALL_ROWS, controller.signal);
        if (controller.signal.aborted) return;
        // The detail shown stays: the user may have chosen a row meanwhile (a fresh answer's roots replace an untouched one).
        this.data = all;
        if (this.chosen < 0) this.detail = all.detail;
      }
      this.complete = true;
    } catch (err) {
      if (!controller.signal.aborted) this.error = err as ApiRequestError;
    } finally {
      if (this.loadController === controller) this.loading = false;
    }
  }

  /** Stops what is still loading (the page is closed). */
  dispose(): void {
    this.loadController?.abort();
    this.detailController?.abort();
  }

  /** Shows row `index` side by side (a row of one side shows that side alone). */
  async choose(index: number): Promise<void> {
    const row = this.data?.rows[index];
    if (!row) return;
    this.chosen = index;
    this.detailController?.abort();
    const controller = new AbortController();
    this.detailController = controller;
    this.detailLoading = true;
    try {
      // An empty pair would mean "the roots": a row of one side asks for that side and the other root is not shown.
      const pair = { aSpan: row.a?.spanId ?? null, bSpan: row.b?.spanId ?? null };
      const answer = await getComparison(api, this.a, this.b, pair, 1, controller.signal);
      if (controller.signal.aborted) return;
      const d = answer.detail;
      this.detail = row.a && row.b ? d : {
        ...d,
        aSpanId: row.a?.spanId ?? null,
        bSpanId: row.b?.spanId ?? null,
        input: { a: row.a ? d.input.a : null, b: row.b ? d.input.b : null, differingPaths: [] },
        output: { a: row.a ? d.output.a : null, b: row.b ? d.output.b : null, differingPaths: [] },
        error: { a: row.a ? d.error.a : null, b: row.b ? d.error.b : null, differingPaths: [] },
      };
    } catch (err) {
      if (!controller.signal.aborted) this.error = err as ApiRequestError;
    } finally {
      if (this.detailController === controller) this.detailLoading = false;
    }
  }
}

/** Resolves once the next frame has been painted, or after 100 ms in a tab that paints nothing (hidden). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    }));
  });
}
