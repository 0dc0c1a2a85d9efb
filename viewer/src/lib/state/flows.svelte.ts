/**
 * The Flows page and one flow's statistics page: list of flows, and for one flow its
 * time series and per-node numbers over a chosen range (bucket chosen by the server when
 * not given).
 */
import type { ApiRequestError } from '../api/client.js';
import { getFlowStats, listFlows, type FlowStats, type FlowStatsSeries } from '../api/endpoints.js';
import { RANGES } from '../model/filters.js';
import { api } from './auth.svelte.js';

export class FlowListState {
  flows = $state.raw<FlowStats[]>([]);
  loading = $state(false);
  error = $state<ApiRequestError | null>(null);
  sort = $state<keyof FlowStats>('lastRunAt');

  readonly sorted: FlowStats[] = $derived.by(() => {
    const key = this.sort;
    return [...this.flows].sort((a, b) => {
      const x = a[key] ?? -Infinity;
      const y = b[key] ?? -Infinity;
      if (typeof x === 'string' && typeof y === 'string') return key === 'flowName' ? x.localeCompare(y) : y.localeCompare(x);
      return Number(y) - Number(x);
    });
  });

  async load(quiet = false): Promise<void> {
    if (!quiet) this.loading = true;
    try {
      this.flows = await listFlows(api);
      this.error = null;
    } catch (err) {
      this.error = err as ApiRequestError;
    } finally {
      this.loading = false;
    }
  }
}

/** Bucket widths that give 30–100 points over each range (all time: the server's choice). */
const BUCKETS: Record<string, string> = { '1h': '1m', '6h': '5m', '24h': '15m', '7d': '2h', '30d': '6h' };

export class FlowStatsState {
  stats = $state.raw<FlowStatsSeries | null>(null);
  loading = $state(false);
  error = $state<ApiRequestError | null>(null);

  async load(name: string, range: string, quiet = false): Promise<void> {
    if (!quiet) this.loading = true;
    const span = RANGES[range] ?? (range === '30d' ? 30 * 86_400_000 : 86_400_000);
    const now = Date.now();
    try {
      this.stats = await getFlowStats(api, name, {
        // all time: from the epoch; the server fits the buckets to the runs it finds
        from: new Date(range === 'all' ? 0 : now - span).toISOString(),
        to: new Date(now).toISOString(),
        bucket: BUCKETS[range],
      });
      this.error = null;
    } catch (err) {
      this.error = err as ApiRequestError;
    } finally {
      this.loading = false;
    }
  }
}
