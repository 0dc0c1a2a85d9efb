/**
 * The SQL console: the query text (mirrored into the URL so a link reruns it), the last
 * result or the API's error, and the chart the result allows.
 */
import type { ApiRequestError } from '../api/client.js';
import { runSql, type SqlResult } from '../api/endpoints.js';
import { chartForResult, type ChartData } from '../model/chart.js';
import { api } from './auth.svelte.js';

export class SqlState {
  text = $state('');
  result = $state.raw<SqlResult | null>(null);
  error = $state<ApiRequestError | null>(null);
  running = $state(false);
  view = $state<'table' | 'chart'>('table');
  private controller: AbortController | null = null;

  readonly chart: ChartData | null = $derived(this.result ? chartForResult(this.result.columns, this.result.rows) : null);

  async run(sql = this.text): Promise<void> {
    if (!sql.trim()) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.running = true;
    try {
      this.result = await runSql(api, sql, controller.signal);
      this.error = null;
    } catch (err) {
      if (controller.signal.aborted) return;
      this.error = err as ApiRequestError;
      this.result = null;
    } finally {
      if (this.controller === controller) this.running = false;
    }
  }
}
