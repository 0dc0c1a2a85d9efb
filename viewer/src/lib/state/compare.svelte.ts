/**
 * The compare page's state: the two runs' comparison (rows matched by the collector), the
 * pair chosen for the side-by-side input, output and error (asked for alone, with one row,
 * so a big comparison is not sent again), and the rows' virtual scroll.
 */
import type { ExecutionComparison } from '@flowtrace/collector/api';
import type { ApiRequestError } from '../api/client.js';
import { getComparison } from '../api/why-endpoints.js';
import { api } from './auth.svelte.js';

export const COMPARE_ROW_HEIGHT = 26;

export class CompareState {
  data = $state.raw<ExecutionComparison | null>(null);
  detail = $state.raw<ExecutionComparison['detail'] | null>(null);
  /** Index of the chosen row, -1 for the roots. */
  chosen = $state(-1);
  loading = $state(false);
  detailLoading = $state(false);
  error = $state<ApiRequestError | null>(null);
  onlyDifferences = $state(false);
  scrollTop = $state(0);
  viewport = $state(500);
  private a = '';
  private b = '';
  private detailController: AbortController | null = null;

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

  async load(a: string, b: string): Promise<void> {
    this.a = a;
    this.b = b;
    this.loading = true;
    try {
      const data = await getComparison(api, a, b);
      this.data = data;
      this.detail = data.detail;
      this.error = null;
    } catch (err) {
      this.error = err as ApiRequestError;
    } finally {
      this.loading = false;
    }
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
