// Span details on demand: cache, abort of a superseded request, a pause before asking during fast moves, quiet refresh.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpanDetailsLoader, type DetailsView } from '../../src/lib/api/span-details-loader.js';
import { LruCache } from '../../src/lib/model/lru-cache.js';
import type { SpanDetailsModel } from '../../src/lib/model/types.js';
import { makeDetails } from '../fixtures/make-span.js';

const TRACE = 'a'.repeat(32);

interface Call {
  spanId: string;
  signal: AbortSignal;
  resolve: (d: SpanDetailsModel) => void;
  reject: (e: unknown) => void;
}

function harness(options: { settleMs?: number; cacheSize?: number } = {}) {
  const calls: Call[] = [];
  const views: DetailsView[] = [];
  let clock = 0;
  const loader = new SpanDetailsLoader({
    fetch: (_traceId, spanId, signal) =>
      new Promise((resolve, reject) => {
        calls.push({ spanId, signal, resolve, reject });
        signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      }),
    onChange: (v) => views.push(v),
    now: () => clock,
    ...options,
  });
  const last = () => views[views.length - 1];
  const advance = async (ms: number) => {
    clock += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };
  return { loader, calls, views, last, advance };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SpanDetailsLoader', () => {
  it('fetches a chosen span at once, shows loading, then its details', async () => {
    const h = harness();
    h.loader.show(TRACE, 's1');
    expect(h.calls.map((c) => c.spanId)).toEqual(['s1']);
    expect(h.last()).toMatchObject({ spanId: 's1', loading: true, details: null });
    h.calls[0].resolve(makeDetails({ spanId: 's1' }));
    await h.advance(0);
    expect(h.last()).toMatchObject({ spanId: 's1', loading: false, details: { spanId: 's1' }, error: null });
  });

  it('answers a span shown before from the cache, without a request', async () => {
    const h = harness();
    h.loader.show(TRACE, 's1');
    h.calls[0].resolve(makeDetails({ spanId: 's1' }));
    await h.advance(1000);
    h.loader.show(TRACE, 's2');
    h.calls[1].resolve(makeDetails({ spanId: 's2' }));
    await h.advance(1000);
    h.loader.show(TRACE, 's1');
    expect(h.calls).toHaveLength(2);
    expect(h.last()).toMatchObject({ spanId: 's1', loading: false, details: { spanId: 's1' } });
  });

  it('aborts the request of a span left before it answered, and never shows its late answer', async () => {
    const h = harness();
    h.loader.show(TRACE, 's1');
    await h.advance(500);
    h.loader.show(TRACE, 's2');
    expect(h.calls[0].signal.aborted).toBe(true);
    h.calls[0].resolve(makeDetails({ spanId: 's1' }));
    await h.advance(0);
    expect(h.last()).toMatchObject({ spanId: 's2', loading: true, details: null });
  });

  it('waits for a pause while the choice moves fast, then asks once for where it stopped', async () => {
    const h = harness({ settleMs: 80 });
    h.loader.show(TRACE, 's0');
    for (let i = 1; i <= 20; i++) {
      await h.advance(30);
      h.loader.show(TRACE, `s${i}`);
    }
    expect(h.calls.map((c) => c.spanId)).toEqual(['s0']);
    expect(h.last()).toMatchObject({ spanId: 's20', loading: true });
    await h.advance(80);
    expect(h.calls.map((c) => c.spanId)).toEqual(['s0', 's20']);
    h.calls[1].resolve(makeDetails({ spanId: 's20' }));
    await h.advance(0);
    expect(h.last()).toMatchObject({ spanId: 's20', details: { spanId: 's20' } });
  });

  it('shows an error and asks again on retry; an abort is no error', async () => {
    const h = harness();
    h.loader.show(TRACE, 's1');
    h.calls[0].reject(new Error('HTTP 500'));
    await h.advance(0);
    expect(h.last()).toMatchObject({ spanId: 's1', loading: false, details: null });
    expect((h.last().error as Error).message).toBe('HTTP 500');
    h.loader.retry();
    expect(h.last()).toMatchObject({ loading: true, error: null });
    h.calls[1].resolve(makeDetails({ spanId: 's1' }));
    await h.advance(0);
    expect(h.last()).toMatchObject({ details: { spanId: 's1' }, error: null });
    h.loader.show(TRACE, 's2');
    h.loader.show(TRACE, null);
    await h.advance(0);
    expect(h.last()).toMatchObject({ spanId: null, error: null, loading: false });
  });

  it('refreshes the shown span quietly when it changed, and forgets changed spans in the cache', async () => {
    const h = harness();
    h.loader.show(TRACE, 's1');
    h.calls[0].resolve(makeDetails({ spanId: 's1', logs: [] }));
    await h.advance(1000);
    h.loader.show(TRACE, 's2');
    h.calls[1].resolve(makeDetails({ spanId: 's2' }));
    await h.advance(1000);
    // s1 changed (a live update): its cached details go; s2, shown, is not among them.
    h.loader.invalidate(['s1']);
    expect(h.calls).toHaveLength(2);
    h.loader.show(TRACE, 's1');
    expect(h.calls).toHaveLength(3);
    h.calls[2].resolve(makeDetails({ spanId: 's1' }));
    await h.advance(0);
    // Everything changed (a refetch of the trace): the shown span keeps its details while asking again.
    const before = h.views.length;
    h.loader.invalidate();
    expect(h.calls).toHaveLength(4);
    expect(h.views.length).toBe(before);
    const console = [{ spanId: 's1', timeMs: 1, severity: 'INFO', severityNumber: 9, body: 'late line', attributes: {} }];
    h.calls[3].resolve(makeDetails({ spanId: 's1', logs: console }));
    await h.advance(0);
    expect(h.last().details?.logs.map((l) => l.body)).toEqual(['late line']);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect(c.has('b')).toBe(false);
    expect([c.get('a'), c.get('c'), c.size]).toEqual([1, 3, 2]);
    c.set('a', 10);
    c.set('d', 4);
    expect([c.has('c'), c.get('a')]).toEqual([false, 10]);
    expect(c.delete('a')).toBe(true);
    c.clear();
    expect(c.size).toBe(0);
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
