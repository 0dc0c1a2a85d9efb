/**
 * The console lines of one running trace as they are stored: a live stream of that trace
 * (GET /api/live?traceId=, which alone carries `log` events) open while the trace runs, its
 * lines kept per trace (at most MAX_LIVE_LINES, oldest dropped) for the span panel to merge
 * into the details it fetched (lib/model/live-lines.ts). After a reconnect the panel's details
 * are refetched anyway (TraceState.refresh invalidates them), so nothing is lost in a gap.
 */
import { LiveStream } from '../api/live-stream.js';
import { liveLine, MAX_LIVE_LINES } from '../model/live-lines.js';
import type { ConsoleLine } from '../model/types.js';
import { api } from './auth.svelte.js';

export class TraceLiveLines {
  lines = $state.raw<ConsoleLine[]>([]);
  private stream: LiveStream | null = null;
  private traceId: string | null = null;

  /** Starts collecting the lines of `traceId` (from now on). */
  watch(traceId: string): void {
    if (this.traceId === traceId && this.stream) return;
    this.stop();
    this.traceId = traceId;
    const stream = new LiveStream({
      url: (since) => api.liveUrl({ traceId, since: since ?? undefined }),
      onEvent: (e) => {
        const line = liveLine(e);
        if (line) this.lines = this.lines.length >= MAX_LIVE_LINES ? [...this.lines.slice(1), line] : [...this.lines, line];
      },
      onStatus: () => {},
      onResync: () => {},
      // A second stream of the app must not fall back to polling: the main stream resyncs the view.
      pollAfterFailures: Number.POSITIVE_INFINITY,
    });
    this.stream = stream;
    stream.start();
  }

  /** Stops the stream; the lines stay (the span panel shows them until its details catch up). */
  stop(): void {
    this.stream?.stop();
    this.stream = null;
  }
}
