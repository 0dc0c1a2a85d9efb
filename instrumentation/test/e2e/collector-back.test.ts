/**
 * The service side of an outage: the collector goes away for a few seconds and comes back on
 * the same address and database. The service answers throughout, and the spans it could not
 * deliver meanwhile are retried and arrive once the collector is back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finished, waitForExecution } from '../fixtures/collector-api.js';
import { startCollector, startExample, type Started } from '../fixtures/processes.js';

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

describe('an example service whose collector goes away and comes back', () => {
  it('answers while the collector is down and delivers those executions once it is back', async () => {
    collector = await startCollector({ db });
    const port = Number(new URL(collector.url).port);
    service = await startExample('order-service', collector.url);
    const warmup = await fetch(`${service.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await waitForExecution(collector.url, warmup.headers.get('x-trace-id') ?? '', finished);
    await collector.stop();

    const traceIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const res = await fetch(`${service.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
      traceIds.push(res.headers.get('x-trace-id') ?? '');
    }
    await new Promise((r) => setTimeout(r, 1_500)); // the exporters fail at least once

    collector = await startCollector({ port, db });
    for (const traceId of traceIds) {
      const detail = await waitForExecution(collector.url, traceId, finished, 30_000);
      expect(detail.execution.status).toBe('success');
      expect(detail.spans.length).toBeGreaterThan(50);
    }
  }, 90_000);
});
