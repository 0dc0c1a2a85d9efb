/**
 * One live connection for the whole app. Pages subscribe to events (all, or for one
 * trace) and to resyncs (after a reconnect or on a polling tick) to refetch what they show.
 */
import type { LiveEvent } from '@flowtrace/collector/api';
import { LiveStream, type LiveStatus } from '../api/live-stream.js';
import { api, auth } from './auth.svelte.js';

type Listener = (event: LiveEvent) => void;

class Live {
  status = $state<LiveStatus>('stopped');
  lastEventAt = $state<number | null>(null);
  private readonly listeners = new Set<Listener>();
  private readonly resyncs = new Set<() => void>();
  private readonly stream = new LiveStream({
    url: (since) => api.liveUrl({ since: since ?? undefined }),
    onEvent: (e) => {
      this.lastEventAt = Date.now();
      for (const l of this.listeners) l(e);
    },
    onStatus: (s) => {
      this.status = s;
    },
    onResync: () => {
      for (const r of this.resyncs) r();
    },
  });

  constructor() {
    // A token that came from another tab (auth.svelte.ts) reconnects the stream with it.
    auth.onTokenChange(() => this.restart());
  }

  start(): void {
    this.stream.start();
  }

  restart(): void {
    this.stream.restart();
  }

  /** Listens to live events; returns the unsubscribe function (use it in $effect cleanup). */
  subscribe(listener: Listener, onResync?: () => void): () => void {
    this.listeners.add(listener);
    if (onResync) this.resyncs.add(onResync);
    return () => {
      this.listeners.delete(listener);
      if (onResync) this.resyncs.delete(onResync);
    };
  }
}

export const live = new Live();
