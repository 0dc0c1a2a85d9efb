import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, waitForExecution } from '../fixtures/collector-api.js';
import { startCollector, startExample, type Started } from '../fixtures/processes.js';

interface Stats {
  spans: { pending: number; dropped: number; failed: number }; logs: { pending: number; dropped: number }; heapUsed: number; rss: number;
  control?: { state: string; connects: number; failures: number };
}

let collector: Started;
let service: Started;
beforeAll(async () => {
  // The service also holds a control connection: losing it must not slow or break the service either.
  collector = await startCollector({ args: ['--control-token', 'down-test'] });
  service = await startExample('order-service', collector.url, { FLOWTRACE_EXAMPLE_STATS: '1', NODE_FLAGS: '--expose-gc', FLOWTRACE_CONTROL: '1' });
});
afterAll(async () => {
  await service?.stop();
  await collector?.stop();
});

const body = JSON.stringify({ items: [{ sku: 'a', qty: 1, price: 3 }], chargeFailRate: 0, notifyMs: 1 });
const placeOrder = async (): Promise<Response> => fetch(`${service.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

/** Places `n` orders, `parallel` at a time; returns the status codes. */
async function placeOrders(n: number, parallel: number): Promise<number[]> {
  const codes: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < n) {
      next++;
      codes.push((await placeOrder()).status);
    }
  }));
  return codes;
}

/** Asks the service for its queue, drop and memory figures (it answers on SIGUSR2). */
async function stats(): Promise<Stats> {
  const before = service.output().length;
  service.process.kill('SIGUSR2');
  for (let i = 0; i < 50; i++) {
    const m = /stats (\{.*\})\n/.exec(service.output().slice(before));
    if (m) return JSON.parse(m[1]) as Stats;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('service printed no stats');
}

describe('an example service whose collector is stopped', () => {
  it('keeps answering every request, keeps its export queue and memory bounded, and counts what it drops', async () => {
    const first = await placeOrder();
    expect(first.status).toBe(200);
    await waitForExecution(collector.url, first.headers.get('x-trace-id') ?? '', finished);
    const before = await stats();
    expect(before.control).toMatchObject({ state: 'connected', connects: 1, failures: 0 });
    await collector.stop();

    const started = Date.now();
    const round1 = await placeOrders(150, 10);
    expect(round1.every((c) => c === 200)).toBe(true);
    const s1 = await stats();
    expect(s1.spans.pending).toBeLessThanOrEqual(4096);
    expect(s1.spans.dropped).toBeGreaterThan(0);

    const round2 = await placeOrders(150, 10);
    expect(round2.every((c) => c === 200)).toBe(true);
    const s2 = await stats();
    expect(s2.spans.pending).toBeLessThanOrEqual(4096);
    expect(s2.logs.pending).toBeLessThanOrEqual(4096);
    expect(s2.spans.dropped).toBeGreaterThan(s1.spans.dropped);
    // 150 more orders = 8 250 more spans; with a bounded queue the live heap must not grow with them.
    expect(s2.heapUsed - s1.heapUsed).toBeLessThan(20 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(40_000);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    // The control connection dropped and is retried with backoff (0.5 s doubling to 30 s): a
    // few attempts, not a tight loop.
    expect(s2.control?.state).not.toBe('connected');
    expect(s2.control?.failures).toBeGreaterThan(0);
    expect(s2.control?.failures).toBeLessThan(15);
  }, 60_000);
});
