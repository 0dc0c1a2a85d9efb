/**
 * The live feed: one EventSource on GET /api/live with automatic reconnect that catches
 * up from the last seen sequence number (`?since=`), duplicate suppression by seq, and
 * polling as a fallback only while the stream keeps failing. Framework-free so it can be
 * unit-tested with a fake EventSource; lib/state/live.svelte.ts wraps it for the pages.
 */
import type { LiveEvent, LiveEventType } from '@flowtrace/collector/api';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'polling' | 'stopped';

/** The event names the collector sends (the viewer imports only types from the collector). */
export const LIVE_TYPES = [
  'execution.started',
  'execution.completed',
  'execution.failed',
  'span.started',
  'span.completed',
  'span.failed',
  // Console lines: only streams of one trace get them (lib/state/live-lines.svelte.ts).
  'log',
] as const satisfies readonly LiveEventType[];

interface EventSourceLike {
  addEventListener(type: string, listener: (e: MessageEvent) => void): void;
  close(): void;
  onopen: ((e: Event) => void) | null;
  onerror: ((e: Event) => void) | null;
}

export interface LiveStreamOptions {
  /** URL for a connection that resumes after `since` (null: from now). */
  url: (since: number | null) => string;
  onEvent: (event: LiveEvent) => void;
  onStatus: (status: LiveStatus) => void;
  /** Called on every polling tick and after a reconnect, so pages can refetch what they show. */
  onResync: () => void;
  createEventSource?: (url: string) => EventSourceLike;
  pollMs?: number;
  maxBackoffMs?: number;
  /** Failures in a row before polling starts. */
  pollAfterFailures?: number;
}

export class LiveStream {
  private source: EventSourceLike | null = null;
  private lastSeq: number | null = null;
  private failures = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = true;
  /** No event seen yet on the current connection. */
  private fresh = true;
  private readonly o: Required<LiveStreamOptions>;

  constructor(options: LiveStreamOptions) {
    this.o = {
      createEventSource: (url) => new EventSource(url) as unknown as EventSourceLike,
      pollMs: 5000,
      maxBackoffMs: 15_000,
      pollAfterFailures: 3,
      ...options,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.source?.close();
    this.source = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopPolling();
    this.o.onStatus('stopped');
  }

  /** Drops the connection and reconnects now (after a token change, say). */
  restart(): void {
    this.stop();
    this.start();
  }

  private connect(): void {
    this.o.onStatus(this.pollTimer ? 'polling' : this.failures > 0 ? 'reconnecting' : 'connecting');
    const es = this.o.createEventSource(this.o.url(this.lastSeq));
    this.source = es;
    this.fresh = true;
    const handle = (e: MessageEvent) => this.receive(e);
    for (const type of LIVE_TYPES) es.addEventListener(type, handle);
    es.addEventListener('message', handle);
    // The collector's buffer no longer holds what we missed: refetch instead of replaying.
    es.addEventListener('resync', () => this.o.onResync());
    es.onopen = () => {
      const wasFailing = this.failures > 0;
      this.failures = 0;
      this.stopPolling();
      this.o.onStatus('live');
      if (wasFailing) this.o.onResync();
    };
    es.onerror = () => {
      if (this.source !== es) return;
      es.close();
      this.source = null;
      this.failures++;
      if (this.failures >= this.o.pollAfterFailures) this.startPolling();
      else this.o.onStatus('reconnecting');
      const delay = Math.min(this.o.maxBackoffMs, 500 * 2 ** (this.failures - 1));
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        if (!this.stopped) this.connect();
      }, delay);
    };
  }

  private receive(e: MessageEvent): void {
    let event: LiveEvent;
    try {
      event = JSON.parse(String(e.data)) as LiveEvent;
    } catch {
      return; // a keep-alive or a malformed line: nothing to show
    }
    const seq = typeof event.seq === 'number' ? event.seq : Number(e.lastEventId);
    const first = this.fresh;
    this.fresh = false;
    if (Number.isFinite(seq)) {
      if (this.lastSeq !== null && seq <= this.lastSeq) {
        // A replay only sends events after `since`; an older number first thing on a new
        // connection means the collector restarted and counts from zero again.
        if (!first) return;
        this.o.onResync();
      }
      this.lastSeq = seq;
    }
    this.o.onEvent(event);
  }

  private startPolling(): void {
    this.o.onStatus('polling');
    if (this.pollTimer) return;
    this.o.onResync();
    this.pollTimer = setInterval(() => this.o.onResync(), this.o.pollMs);
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }
}
