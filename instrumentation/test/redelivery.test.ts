/**
 * Redelivery of failed export batches: a fake exporter that fails a number of times and then
 * takes everything stands in for a collector that is away and comes back. Backoff timers are
 * faked (or pinned short) so the tests take milliseconds; the setupTracing tests at the end use
 * a real OTLP receiver answering 503, then 200.
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { node, runFlow, setupTracing } from '../src/index.js';
import { ExportAccount, type ExportStats } from '../src/export/account.js';
import { CountingExporter } from '../src/export/bounded.js';
import { HeldBatches } from '../src/export/held-batches.js';
import { Redelivery, type RedeliveryOptions } from '../src/export/redelivery.js';
import { isRetryableFailure } from '../src/export/retryable-failure.js';
import { close, eventually } from './fixtures/net.js';
import { startReceiver } from './fixtures/otlp-receiver.js';

/** A connection refused, as the OTLP exporter reports it after its own retries. */
const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' });
/** An HTTP answer, as the OTLP exporter reports it (OTLPExporterError: code = status). */
const answered = (status: number): Error => Object.assign(new Error(`HTTP ${status}`), { code: status });

/** Exporter that fails `failures` times, then accepts; answers in a microtask (or never, when `hang`). */
class FlakyExporter<T> {
  readonly delivered: T[][] = [];
  readonly attempts: Array<{ at: number; items: T[] }> = [];
  error: () => Error = refused;
  hang = false;
  constructor(public failures: number) {}
  export(items: T[], done: (result: ExportResult) => void): void {
    this.attempts.push({ at: Date.now(), items });
    if (this.hang) return;
    const fail = this.failures > 0;
    if (fail) this.failures--;
    else this.delivered.push(items);
    queueMicrotask(() => done(fail ? { code: ExportResultCode.FAILED, error: this.error() } : { code: ExportResultCode.SUCCESS }));
  }
  shutdown(): Promise<void> { return Promise.resolve(); }
}

/** A pipeline as setupTracing builds it: account, counting exporter, redelivery, flaky "OTLP" exporter. */
function pipeline(failures: number, options: Partial<RedeliveryOptions> = {}) {
  const exporter = new FlakyExporter<string>(failures);
  const account = new ExportAccount('items', 1_000);
  const redelivery = new Redelivery<string>(exporter, account, { maxItems: 100, random: () => 0, ...options });
  const counting = new CountingExporter<string>(exporter, account, redelivery);
  let offered = 0;
  /** Offers a batch as the batch processor would: admitted into the queue, then exported. */
  const exportBatch = (items: string[]): Promise<ExportResult> => {
    for (const _ of items) { account.admit(); offered++; }
    return new Promise((resolve) => counting.export(items, resolve));
  };
  /** Every offered item is in exactly one counter. */
  const balanced = (s: ExportStats = account.stats): boolean =>
    s.pending + s.exporting + s.buffered + s.dropped + s.failed + s.exported === offered;
  return { exporter, account, redelivery, counting, exportBatch, balanced, stats: account.stats };
}

const items = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('redelivery of failed export batches', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('holds a batch that failed and delivers it once the collector is back', async () => {
    const p = pipeline(3); // the first export and two redeliveries fail
    const result = await p.exportBatch(items('a', 5));
    expect(result.code).toBe(ExportResultCode.FAILED); // the batch processor still hears the truth
    expect(p.stats).toMatchObject({ exporting: 0, buffered: 5, failed: 0, exported: 0 });
    expect(p.balanced()).toBe(true);

    await vi.advanceTimersByTimeAsync(1_000); // redelivery 1: fails
    await vi.advanceTimersByTimeAsync(2_000); // redelivery 2: fails
    expect(p.exporter.delivered).toEqual([]);
    expect(p.stats.buffered).toBe(5);
    await vi.advanceTimersByTimeAsync(4_000); // redelivery 3: accepted
    expect(p.exporter.delivered).toEqual([items('a', 5)]);
    expect(p.stats).toMatchObject({ buffered: 0, dropped: 0, failed: 0, exported: 5, redelivered: 5 });
    expect(p.balanced()).toBe(true);
    expect(vi.getTimerCount()).toBe(0); // nothing left scheduled
  });

  it('backs off from 1 s, doubling, up to 30 s, with downward jitter', async () => {
    const p = pipeline(100);
    await p.exportBatch(items('a', 1));
    await vi.advanceTimersByTimeAsync(200_000);
    const gaps = p.exporter.attempts.slice(1).map((a, i) => a.at - p.exporter.attempts[i].at);
    expect(gaps.slice(0, 9)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);

    const jittered = pipeline(100, { random: () => 0.5 });
    await jittered.exportBatch(items('b', 1));
    await vi.advanceTimersByTimeAsync(3_000);
    const at = jittered.exporter.attempts.map((a) => a.at - jittered.exporter.attempts[0].at);
    expect(at.slice(0, 3)).toEqual([0, 900, 900 + 1_800]); // 10 % off each wait
  });

  it('sends one redelivery at a time, and the next one straight after a success', async () => {
    const p = pipeline(3); // three first exports fail
    await p.exportBatch(items('a', 2));
    await p.exportBatch(items('b', 2));
    await p.exportBatch(items('c', 2));
    expect(p.stats.buffered).toBe(6);
    p.exporter.hang = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(p.exporter.attempts).toHaveLength(4); // one redelivery in flight, not three
    await vi.advanceTimersByTimeAsync(60_000);
    expect(p.exporter.attempts).toHaveLength(4); // and no second one while it hangs
  });

  it('delivers the held batches one after another without waiting once one gets through', async () => {
    const p = pipeline(3);
    await p.exportBatch(items('a', 2));
    await p.exportBatch(items('b', 2));
    await p.exportBatch(items('c', 2));
    await vi.advanceTimersByTimeAsync(1_000); // one timer, then a chain of microtasks
    expect(p.exporter.delivered).toEqual([items('a', 2), items('b', 2), items('c', 2)]); // oldest first
    expect(p.stats).toMatchObject({ buffered: 0, exported: 6, redelivered: 6 });
    expect(p.balanced()).toBe(true);
  });

  it('starts redelivering at once, without waiting for the backoff, when a new export gets through', async () => {
    const p = pipeline(6); // the first export and five redeliveries fail: the next wait is 32 s → 30 s
    await p.exportBatch(items('old', 3));
    await vi.advanceTimersByTimeAsync(1_000 + 2_000 + 4_000 + 8_000 + 16_000);
    expect(p.exporter.failures).toBe(0);
    expect(p.stats.buffered).toBe(3);
    await p.exportBatch(items('new', 2)); // the collector takes this one
    await vi.advanceTimersByTimeAsync(0);
    expect(p.exporter.delivered).toEqual([items('new', 2), items('old', 3)]);
    expect(p.stats).toMatchObject({ buffered: 0, exported: 5, redelivered: 3 });
  });

  it('keeps new batches flowing while old ones wait', async () => {
    const p = pipeline(1);
    await p.exportBatch(items('old', 2)); // held
    p.exporter.hang = true;
    await vi.advanceTimersByTimeAsync(1_000); // its redelivery hangs
    p.exporter.hang = false;
    const fresh = await p.exportBatch(items('new', 2));
    expect(fresh.code).toBe(ExportResultCode.SUCCESS);
    expect(p.exporter.delivered).toEqual([items('new', 2)]);
  });

  it('bounds the buffer in items: the oldest are dropped and counted', async () => {
    const p = pipeline(100, { maxItems: 10 });
    await p.exportBatch(items('a', 4));
    await p.exportBatch(items('b', 4));
    await p.exportBatch(items('c', 4)); // 12 > 10: a0 and a1 go
    expect(p.stats).toMatchObject({ buffered: 10, dropped: 2, failed: 0 });
    await p.exportBatch(items('d', 15)); // bigger than the whole buffer: only its newest 10 stay
    expect(p.stats).toMatchObject({ buffered: 10, dropped: 2 + 10 + 5 });
    expect(p.balanced()).toBe(true);
    p.exporter.failures = 0;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(p.exporter.delivered.slice(-1)).toEqual([items('d', 15).slice(5)]);
    expect(p.stats).toMatchObject({ buffered: 0, redelivered: 10, failed: 0 });
    expect(p.balanced()).toBe(true);
  });

  it('gives up a batch the collector refuses for good, and holds one it refuses for now', async () => {
    const p = pipeline(1);
    p.exporter.error = () => answered(400);
    await p.exportBatch(items('bad', 3));
    expect(p.stats).toMatchObject({ buffered: 0, failed: 3 });
    p.exporter.failures = 1;
    p.exporter.error = () => answered(503);
    await p.exportBatch(items('busy', 2));
    expect(p.stats).toMatchObject({ buffered: 2, failed: 3 });
    expect(vi.getTimerCount()).toBe(1);
    // A held batch refused for good at its redelivery is given up, and the next one goes at once.
    p.exporter.failures = 1;
    p.exporter.error = () => answered(500);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(p.stats).toMatchObject({ buffered: 0, failed: 5 });
    expect(p.balanced()).toBe(true);
  });

  it('with size 0, gives up failed batches as before and schedules nothing', async () => {
    const p = pipeline(1, { maxItems: 0 });
    await p.exportBatch(items('a', 4));
    expect(p.stats).toMatchObject({ buffered: 0, failed: 4, exported: 0 });
    expect(vi.getTimerCount()).toBe(0);
    expect(p.redelivery.enabled).toBe(false);
    expect(p.balanced()).toBe(true);
  });

  it('drain() sends everything held, and ends at the first failure or the deadline; it never rejects', async () => {
    const p = pipeline(3);
    await p.exportBatch(items('a', 1));
    await p.exportBatch(items('b', 1));
    await p.exportBatch(items('c', 1));
    await p.redelivery.drain(Date.now() + 5_000); // collector back: all sent, no timer needed
    expect(p.exporter.delivered).toEqual([['a0'], ['b0'], ['c0']]);

    const down = pipeline(100);
    await down.exportBatch(items('x', 1));
    await down.exportBatch(items('y', 1));
    const attempts = down.exporter.attempts.length;
    await down.redelivery.drain(Date.now() + 5_000); // still down: one try, then back to the backoff
    expect(down.exporter.attempts.length).toBe(attempts + 1);
    expect(down.stats.buffered).toBe(2);

    const hanging = pipeline(1);
    await hanging.exportBatch(items('h', 1));
    hanging.exporter.hang = true;
    let done = false;
    void hanging.redelivery.drain(Date.now() + 2_000).then(() => { done = true; });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('close() gives up what is held (counted as failed) and holds nothing more', async () => {
    const p = pipeline(100);
    await p.exportBatch(items('a', 3));
    await p.counting.shutdown(); // what the batch processor calls on shutdown
    expect(p.stats).toMatchObject({ buffered: 0, failed: 3 });
    expect(vi.getTimerCount()).toBe(0);
    await p.exportBatch(items('b', 2));
    expect(p.stats).toMatchObject({ buffered: 0, failed: 5 });
    expect(p.balanced()).toBe(true);
  });

  it('counts an exporter that throws as a failure, and never throws into its caller', async () => {
    const p = pipeline(0);
    p.exporter.export = () => { throw new Error('serializer broke'); };
    const result = await p.exportBatch(items('a', 2));
    expect(result.code).toBe(ExportResultCode.FAILED);
    // Thrown: not an HTTP answer, so held; its redelivery throws too and is given up then.
    expect(p.stats.buffered).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(p.stats).toMatchObject({ buffered: 0, failed: 2 });
    expect(p.balanced()).toBe(true);
  });
});

describe('redelivery timers', () => {
  it('are unref\'d: a buffer waiting for the collector never keeps the process alive', async () => {
    // Real timers, short backoff; polled with setImmediate so that only the redelivery's own timers are seen.
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    try {
      const p = pipeline(100, { initialBackoffMs: 5, maxBackoffMs: 10 });
      await p.exportBatch(items('a', 1));
      void p.redelivery.drain(Date.now() + 1_000); // its deadline timer too
      const until = Date.now() + 3_000;
      while (p.exporter.attempts.length < 5 && Date.now() < until) await new Promise((r) => setImmediate(r));
      expect(p.exporter.attempts.length).toBeGreaterThanOrEqual(5);
      const timers = setTimeoutSpy.mock.results.map((r) => r.value as NodeJS.Timeout);
      expect(timers.length).toBeGreaterThanOrEqual(4);
      expect(timers.filter((t) => t.hasRef())).toHaveLength(0);
      p.redelivery.close();
    } finally {
      setTimeoutSpy.mockRestore();
    }
  });
});

describe('the held batches', () => {
  it('never cut the batch being re-sent: the new batch loses its oldest items instead', () => {
    const held = new HeldBatches<string>(5);
    expect(held.push(['a', 'b', 'c'])).toBe(0);
    const sending = held.shift() ?? [];
    expect(held.push(['d', 'e', 'f', 'g'], sending.length)).toBe(2); // 3 reserved + 4 > 5
    held.unshift(sending);
    expect(held.items).toBe(5);
    expect([held.shift(), held.shift()]).toEqual([['a', 'b', 'c'], ['f', 'g']]);
    expect(held.isEmpty).toBe(true);
  });
});

describe('which failures are worth redelivering', () => {
  it('follows the OTLP specification: no answer, 429, 502, 503 and 504 yes; other statuses no', () => {
    expect(isRetryableFailure(refused())).toBe(true);
    expect(isRetryableFailure(new Error('Request timed out'))).toBe(true);
    expect(isRetryableFailure(undefined)).toBe(true);
    for (const status of [429, 502, 503, 504]) expect(isRetryableFailure(answered(status))).toBe(true);
    for (const status of [400, 401, 403, 404, 413, 415, 500, 501]) expect(isRetryableFailure(answered(status))).toBe(false);
  });
});

describe('setupTracing with a collector that is away for longer than the exporter retries', () => {
  it('delivers the held spans once it answers again, and flushes the held ones on shutdown', async () => {
    const receiver = await startReceiver();
    receiver.status = 503; // "unavailable": the exporter retries within exportTimeoutMs, then gives up
    const tracing = setupTracing({ serviceName: 'redelivered', endpoint: receiver.url, exportIntervalMs: 20, exportTimeoutMs: 200, diagLogLevel: 'none' });
    const warn = vi.spyOn(diag, 'warn');
    try {
      runFlow({ id: 'while-away' }, null, () => node({ id: 'n' }, () => 1));
      await eventually(() => (tracing.stats().spans.buffered >= 2 ? true : undefined), 3_000, 'spans held');
      expect(receiver.text('/v1/traces')).toContain('while-away'); // it was tried, and refused
      expect(tracing.stats().spans.failed).toBe(0);
      expect(warn.mock.calls.some(([m]) => /held for redelivery/.test(String(m)))).toBe(true);

      const triedBefore = receiver.requests.length;
      receiver.status = 200; // back: the background redelivery (1 s backoff) delivers them
      await eventually(() => (tracing.stats().spans.redelivered >= 2 ? true : undefined), 5_000, 'spans redelivered');
      expect(receiver.requests.length).toBeGreaterThan(triedBefore);
      expect(tracing.stats().spans).toMatchObject({ buffered: 0, failed: 0, dropped: 0 });

      receiver.status = 503;
      runFlow({ id: 'before-shutdown' }, null, () => 2);
      await eventually(() => (tracing.stats().spans.buffered >= 1 ? true : undefined), 3_000, 'span held');
      receiver.status = 200;
      const before = receiver.text('/v1/traces').split('before-shutdown').length;
      await tracing.shutdown(3_000); // delivers what is held without waiting for the backoff
      expect(receiver.text('/v1/traces').split('before-shutdown').length).toBeGreaterThan(before);
      expect(tracing.stats().spans).toMatchObject({ pending: 0, exporting: 0, buffered: 0, failed: 0 });
    } finally {
      warn.mockRestore();
      await tracing.shutdown(500);
      await close(receiver.server);
    }
  });

  it('with redeliveryBufferSize 0, gives the failed spans up and counts them as failed', async () => {
    const receiver = await startReceiver();
    receiver.status = 503;
    const tracing = setupTracing({ serviceName: 'not-redelivered', endpoint: receiver.url, exportIntervalMs: 20, exportTimeoutMs: 200, redeliveryBufferSize: 0, diagLogLevel: 'none' });
    try {
      runFlow({ id: 'given-up' }, null, () => node({ id: 'n' }, () => 1));
      await eventually(() => (tracing.stats().spans.failed >= 2 ? true : undefined), 3_000, 'spans given up');
      expect(tracing.stats().spans.buffered).toBe(0);
    } finally {
      await tracing.shutdown(500);
      await close(receiver.server);
    }
  });
});
