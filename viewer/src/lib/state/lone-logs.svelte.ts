/**
 * The logs page: console and log lines that belong to no span, newest first, over a recent
 * range, filtered by minimum severity and text on the collector (the page holds one page of lines).
 */
import type { LogEntry } from '@flowtrace/collector/api';
import type { ApiRequestError } from '../api/client.js';
import { getLoneLogs } from '../api/why-endpoints.js';
import { minSeverity, type SeverityLevel } from '../model/log-filter.js';
import { api } from './auth.svelte.js';

export const LOG_RANGES = { '15m': 900_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 } as const;
export type LogRange = keyof typeof LOG_RANGES;

export class LoneLogsState {
  lines = $state.raw<LogEntry[]>([]);
  truncated = $state(false);
  loading = $state(false);
  error = $state<ApiRequestError | null>(null);
  private controller: AbortController | null = null;

  async load(range: LogRange, level: SeverityLevel, text: string): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.loading = true;
    try {
      const now = Date.now();
      const page = await getLoneLogs(api, {
        from: new Date(now - LOG_RANGES[range]).toISOString(), to: new Date(now + 60_000).toISOString(),
        severity: minSeverity(level) || undefined, q: text.trim() || undefined, limit: 500,
      }, controller.signal);
      if (controller.signal.aborted) return;
      this.lines = page.lines;
      this.truncated = page.truncated;
      this.error = null;
    } catch (err) {
      if (!controller.signal.aborted) this.error = err as ApiRequestError;
    } finally {
      if (this.controller === controller) this.loading = false;
    }
  }
}
