/**
 * The execution-wide console: every console line of a run in time order, filtered by
 * severity and text. While the run is running it asks every POLL_MS for lines newer than the
 * last one it has (the live feed carries spans, not lines), and stops when the run ends.
 */
import type { LogEntry } from '@flowtrace/collector/api';
import type { ApiRequestError } from '../api/client.js';
import { getRunLogs } from '../api/why-endpoints.js';
import { filterLines, type SeverityLevel } from '../model/log-filter.js';
import { nsToMs } from '../model/time.js';
import { api } from './auth.svelte.js';

const POLL_MS = 1000;

export interface RunLine extends LogEntry {
  timeMs: number;
}

export class RunConsoleState {
  lines = $state.raw<RunLine[]>([]);
  level = $state<SeverityLevel>('all');
  text = $state('');
  loading = $state(false);
  error = $state<ApiRequestError | null>(null);
  truncated = $state(false);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private traceId = '';
  private stopped = false;

  /** `spanName` lets the text filter match the span a line came from too. */
  constructor(private readonly spanName: (spanId: string | null) => string) {}

  readonly shown: RunLine[] = $derived(filterLines(this.lines, this.level, this.text, (l) => this.spanName(l.spanId)));

  /** Loads the run's lines; `running()` says whether to keep asking for new ones. */
  async start(traceId: string, running: () => boolean): Promise<void> {
    this.traceId = traceId;
    this.loading = true;
    await this.fetch(undefined);
    this.loading = false;
    const tick = async () => {
      if (this.stopped) return;
      if (running()) await this.fetch(this.lines.at(-1)?.timeUnixNano);
      if (!this.stopped) this.timer = setTimeout(tick, POLL_MS);
    };
    this.timer = setTimeout(tick, POLL_MS);
  }

  private async fetch(afterNs: string | undefined): Promise<void> {
    try {
      const page = await getRunLogs(api, this.traceId, afterNs);
      const more = page.lines.map((l) => ({ ...l, timeMs: nsToMs(l.timeUnixNano) }));
      this.lines = afterNs === undefined ? more : more.length > 0 ? [...this.lines, ...more] : this.lines;
      this.truncated = page.truncated;
      this.error = null;
    } catch (err) {
      this.error = err as ApiRequestError;
    }
  }

  dispose(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
