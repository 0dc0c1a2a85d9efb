// The live feed client with a fake EventSource: dedupe by seq, reconnect with catch-up, polling fallback.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveStream, type LiveStatus } from '../../src/lib/api/live-stream.js';

class FakeEventSource {
  static all: FakeEventSource[] = [];
  listeners = new Map<string, Array<(e: MessageEvent) => void>>();
  onopen: ((e: Event) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  closed = false;
  constructor(public url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, l: (e: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: object) {
    for (const l of this.listeners.get(type) ?? []) l({ data: JSON.stringify(data), lastEventId: '' } as MessageEvent);
  }
}

describe('LiveStream', () => {
  let events: number[];
  let statuses: LiveStatus[];
  let resyncs: number;
  let stream: LiveStream;

  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.all = [];
    events = [];
    statuses = [];
    resyncs = 0;
    stream = new LiveStream({
      url: (since) => `/api/live${since === null ? '' : `?since=${since}`}`,
      onEvent: (e) => events.push(e.seq),
      onStatus: (s) => statuses.push(s),
      onResync: () => resyncs++,
      createEventSource: (url) => new FakeEventSource(url),
      pollMs: 1000,
      pollAfterFailures: 2,
    });
    stream.start();
  });
  afterEach(() => {
    stream.stop();
    vi.useRealTimers();
  });

  const last = () => FakeEventSource.all[FakeEventSource.all.length - 1];

  it('delivers typed events once, dropping repeats by sequence number', () => {
    last().onopen?.(new Event('open'));
    last().emit('execution.started', { seq: 1, type: 'execution.started', traceId: 't' });
    last().emit('span.completed', { seq: 2, type: 'span.completed', traceId: 't' });
    last().emit('span.completed', { seq: 2, type: 'span.completed', traceId: 't' });
    expect(events).toEqual([1, 2]);
    expect(statuses).toEqual(['connecting', 'live']);
  });

  it('reconnects after an error and catches up from the last sequence number', () => {
    last().onopen?.(new Event('open'));
    last().emit('span.started', { seq: 7, type: 'span.started', traceId: 't' });
    last().onerror?.(new Event('error'));
    expect(statuses.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(600);
    expect(last().url).toBe('/api/live?since=7');
    last().onopen?.(new Event('open'));
    expect(statuses.at(-1)).toBe('live');
    expect(resyncs).toBe(1);
  });

  it('falls back to polling while the stream keeps failing, and stops polling once it is back', () => {
    last().onerror?.(new Event('error'));
    vi.advanceTimersByTime(600);
    last().onerror?.(new Event('error'));
    expect(statuses.at(-1)).toBe('polling');
    const before = resyncs;
    vi.advanceTimersByTime(1000);
    expect(resyncs).toBeGreaterThan(before);
    vi.advanceTimersByTime(1000);
    last().onopen?.(new Event('open'));
    const after = resyncs;
    vi.advanceTimersByTime(5000);
    expect(resyncs).toBe(after);
    expect(statuses.at(-1)).toBe('live');
  });

  it('starts counting again when a restarted collector numbers its events from zero', () => {
    last().onopen?.(new Event('open'));
    last().emit('span.started', { seq: 40, type: 'span.started', traceId: 't' });
    last().onerror?.(new Event('error'));
    vi.advanceTimersByTime(600);
    last().onopen?.(new Event('open'));
    const before = resyncs;
    last().emit('execution.started', { seq: 1, type: 'execution.started', traceId: 'u' });
    last().emit('execution.completed', { seq: 2, type: 'execution.completed', traceId: 'u' });
    expect(events).toEqual([40, 1, 2]);
    expect(resyncs).toBe(before + 1);
  });

  it('asks for a resync when the collector says the missed events are gone', () => {
    last().emit('resync', {});
    expect(resyncs).toBe(1);
  });
});
