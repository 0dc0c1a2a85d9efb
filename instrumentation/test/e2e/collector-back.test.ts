/**
 * The service side of an outage longer than the OTLP exporter's own retries: the collector
 * goes away, orders keep coming, the exporter gives up on every batch of them (the test waits
 * for exactly that in the service's counters rather than for a fixed time), and the collector
 * comes back on the same address and database. The service answers throughout, and every
 * span and console line of those orders arrives once the collector is back, through the
 * instrumentation's redelivery buffer. Without redelivery the spans would be given up and the
 * executions never complete.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finished, waitForExecution, type ExecutionDetail } from '../fixtures/collector-api.js';
import { startCollector, startExample, type Started } from '../fixtures/processes.js';
import { waitForServiceStats } from '../fixtures/service-stats.js';

const dir = mkdtempSync(join(tmpdir(), 'ft-back-'));
const db = join(dir, 'db.duckdb');
let collector: Started | undefined;
let service: Started | undefined;
afterAll(async () => {
  await service?.stop();
  await collector?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const body = JSON.stringify({ items: [{ sku: 'a', qty: 1, price: 3 }], chargeFailRate: 0, notifyMs: 1 });
const placeOrder = (): Promise<Response> => fetch(`${service?.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('an example service whose collector goes away for longer than the exporter retries, and comes back', () => {
  it('answers while the collector is down and delivers those executions, spans and console lines, once it is back', async () => {
    // With a control connection too, which must come back by itself (backoff, then reconnect).
    const args = ['--control-token', 'back-test'];
    collector = await startCollector({ db, args });
    const port = Number(new URL(collector.url).port);
    service = await startExample('order-service', collector.url, { FLOWTRACE_EXAMPLE_STATS: '1', FLOWTRACE_CONTROL: '1' });

    // A first order, stored completely: how many spans an order makes, and the service is warm.
    const warmup = await placeOrder();
    expect(warmup.status).toBe(200);
    const complete = (spanCount: number) => (d: ExecutionDetail): boolean =>
      finished(d) && d.spans.length >= spanCount && d.logs.some((l) => l.body.startsWith('sending confirmation'));
    const warm = await waitForExecution(collector.url, warmup.headers.get('x-trace-id') ?? '', complete(50), 30_000);
    const spansPerOrder = warm.execution.spanCount;
    expect(spansPerOrder).toBeGreaterThanOrEqual(50);
    const before = await waitForServiceStats(service, (s) => s.spans.pending === 0 && s.spans.exporting === 0, 10_000, 'warm-up exported');

    await collector.stop();
    const downAt = Date.now();
    const traceIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const res = await placeOrder();
      expect(res.status).toBe(200);
      expect(await res.json()).toHaveProperty('total');
      expect(Date.now() - started).toBeLessThan(5_000); // the outage does not slow the service down
      traceIds.push(res.headers.get('x-trace-id') ?? '');
    }
    expect(new Set(traceIds).size).toBe(5);

    // Every span of those orders has left the queue and its first export has failed: the OTLP
    // exporter's own retries (5 s) are over. Only then does the collector come back.
    const lost = (s: { buffered: number; failed: number; dropped: number }): number => s.buffered + s.failed + s.dropped;
    const outage = await waitForServiceStats(service, (s) =>
      s.spans.pending === 0 && s.spans.exporting === 0 && lost(s.spans) - lost(before.spans) >= 5 * spansPerOrder
      && s.logs.pending === 0 && s.logs.exporting === 0 && lost(s.logs) > lost(before.logs),
    60_000, 'the exporter gave up on the outage\'s batches');
    expect(Date.now() - downAt).toBeGreaterThan(4_000);
    expect(outage.spans.buffered - before.spans.buffered).toBeGreaterThanOrEqual(5 * spansPerOrder);
    expect(outage.spans.dropped).toBe(before.spans.dropped);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);

    collector = await startCollector({ port, db, args });
    for (const traceId of traceIds) {
      const detail = await waitForExecution(collector.url, traceId, complete(spansPerOrder), 60_000);
      expect(detail.execution.status).toBe('success');
      expect(detail.execution.spanCount).toBe(spansPerOrder);
    }

    const after = await waitForServiceStats(service, (s) => s.spans.buffered === 0 && s.logs.buffered === 0, 30_000, 'redelivery buffer emptied');
    expect(after.spans.redelivered - before.spans.redelivered).toBeGreaterThanOrEqual(5 * spansPerOrder);
    expect(after.logs.redelivered).toBeGreaterThan(before.logs.redelivered);
    for (const signal of ['spans', 'logs'] as const) {
      expect(after[signal].failed).toBe(before[signal].failed);
      expect(after[signal].dropped).toBe(before[signal].dropped);
    }
    const reconnected = await waitForServiceStats(service, (s) => s.control?.state === 'connected' && s.control.connects >= 2, 40_000, 'control connection back');
    expect(reconnected.control?.failures).toBeGreaterThan(0);
    const connected = (await (await fetch(`${collector.url}/api/control`)).json()) as { instances: Array<{ service: string }> };
    expect(connected.instances.map((i) => i.service)).toEqual(['order-service']);
  }, 180_000);
});
