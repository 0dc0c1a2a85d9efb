/**
 * What the execution view asks the collector "why" for: the critical path (fetched when its
 * toggle is turned on, kept as a mask over the tree's spans for the waterfall) and the time
 * statistics (fetched when the time tab opens). A live rebuild of the tree re-derives the
 * mask; a run that is still running asks again for the path when the toggle is turned on.
 */
import type { CriticalPath, TraceStats } from '@flowtrace/collector/api';
import type { ApiRequestError } from '../api/client.js';
import { getCriticalPath, getTraceStats } from '../api/why-endpoints.js';
import type { TraceTree } from '../model/trace-tree.js';
import { api } from './auth.svelte.js';

/** The views of an execution: the waterfall, a TCP connection's runs, the flow graph, time, console. */
export type ViewMode = 'waterfall' | 'runs' | 'graph' | 'time' | 'console';

export class WhyState {
  showCritical = $state(false);
  path = $state.raw<CriticalPath | null>(null);
  stats = $state.raw<TraceStats | null>(null);
  loading = $state(false);
  error = $state<ApiRequestError | null>(null);

  constructor(
    private readonly traceId: () => string,
    private readonly tree: () => TraceTree | null,
  ) {}

  /** 1 at the tree index of every span on the critical path (when shown). */
  readonly criticalMask: Uint8Array | null = $derived.by(() => {
    const tree = this.tree();
    if (!this.showCritical || !this.path || !tree) return null;
    const mask = new Uint8Array(tree.spans.length);
    for (const id of this.path.spanIds) {
      const i = tree.indexById.get(id);
      if (i !== undefined) mask[i] = 1;
    }
    return mask;
  });

  /** Critical-path time per span id, for the span panel. */
  readonly criticalMsById: ReadonlyMap<string, number> = $derived(
    new Map((this.path?.spanIds ?? []).map((id, k) => [id, this.path!.criticalMs[k]])),
  );

  async toggleCritical(on: boolean): Promise<void> {
    this.showCritical = on;
    if (on) await this.run(async () => (this.path = await getCriticalPath(api, this.traceId())));
  }

  async loadStats(): Promise<void> {
    await this.run(async () => (this.stats = await getTraceStats(api, this.traceId())));
  }

  private async run(work: () => Promise<unknown>): Promise<void> {
    this.loading = true;
    try {
      await work();
      this.error = null;
    } catch (err) {
      this.error = err as ApiRequestError;
    } finally {
      this.loading = false;
    }
  }
}
