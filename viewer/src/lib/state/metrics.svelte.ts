/**
 * The Metrics page's state: the catalog of metric names per service (with a name filter), and
 * the chosen metric over a range. A newer series request aborts an older one, so a quick
 * change of metric or range never shows the answer of the one before.
 */
import type { ApiRequestError } from '../api/client.js';
import { getMetricSeries, listMetrics } from '../api/endpoints.js';
import { RANGES } from '../model/filters.js';
import { groupByService, type MetricEntry, type MetricView, type ServiceMetrics } from '../model/metrics.js';
import { api } from './auth.svelte.js';

export class MetricCatalogState {
  metrics = $state.raw<MetricEntry[]>([]);
  loading = $state(false);
  error = $state<ApiRequestError | null>(null);
  filter = $state('');
  readonly groups: ServiceMetrics[] = $derived(groupByService(this.metrics, this.filter));

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.metrics = await listMetrics(api);
      this.error = null;
    } catch (err) {
      this.error = err as ApiRequestError;
    } finally {
      this.loading = false;
    }
  }
}

/** The ranges the page offers, and bucket widths that give 30–100 points over each. */
export const METRIC_RANGES: Array<{ key: string; label: string; bucket: string }> = [
  { key: '15m', label: 'Last 15 minutes', bucket: '15s' },
  { key: '1h', label: 'Last hour', bucket: '1m' },
  { key: '6h', label: 'Last 6 hours', bucket: '5m' },
  { key: '24h', label: 'Last 24 hours', bucket: '15m' },
  { key: '7d', label: 'Last 7 days', bucket: '2h' },
];

export class MetricSeriesState {
  view = $state.raw<MetricView | null>(null);
  loading = $state(false);
  error = $state<ApiRequestError | null>(null);
  private controller: AbortController | null = null;

  async load(service: string, name: string, range: string): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.loading = true;
    const chosen = METRIC_RANGES.find((r) => r.key === range) ?? METRIC_RANGES[1];
    const now = Date.now();
    try {
      const view = await getMetricSeries(api, {
        service,
        name,
        from: new Date(now - (RANGES[chosen.key] ?? 3_600_000)).toISOString(),
        to: new Date(now).toISOString(),
        bucket: chosen.bucket,
      }, controller.signal);
      if (controller.signal.aborted) return;
      this.view = view;
      this.error = null;
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      this.view = null;
      this.error = err as ApiRequestError;
    } finally {
      if (this.controller === controller) this.loading = false;
    }
  }

  dispose(): void {
    this.controller?.abort();
  }
}
