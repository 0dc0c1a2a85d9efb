import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, waitForExecution, waitForList } from '../fixtures/collector-api.js';
import { startCollector, startExample, type Started } from '../fixtures/processes.js';

let collector: Started;
let service: Started;
beforeAll(async () => {
  collector = await startCollector();
  service = await startExample('order-service', collector.url);
});
afterAll(async () => {
  await service?.stop();
  await collector?.stop();
});

describe('an execution in flight', () => {
  it('is visible as running, with its long node open, before it ends, and as success after', async () => {
    const pending = fetch(`${service.url}/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'long-runner', items: [{ sku: 'a', qty: 1, price: 1 }], chargeFailRate: 0, notifyMs: 6_000 }),
    });
    const running = await waitForList(collector.url, 'user=long-runner', (xs) => xs.find((x) => x.status === 'running'), 5_000);
    const during = await waitForExecution(collector.url, running.traceId, (d) =>
      d.spans.some((s) => s.name === 'notify' && s.status === 'running') && d.spans.some((s) => s.name === 'validate' && s.status === 'success'), 5_000);
    expect(during.execution.status).toBe('running');
    const notify = during.spans.find((s) => s.name === 'notify');
    expect(notify?.endTime).toBeNull();
    expect(during.spans.find((s) => s.name === 'validate')?.status).toBe('success');
    expect(during.logs.some((l) => l.body.startsWith('sending confirmation') && l.spanId === notify?.spanId)).toBe(true);

    const res = await pending;
    expect(res.status).toBe(200);
    const after = await waitForExecution(collector.url, running.traceId, finished);
    expect(after.execution.status).toBe('success');
    expect(after.spans.find((s) => s.name === 'notify')?.status).toBe('success');
  });

  it('cut short by a stopping service is shown as cancelled, not left running', async () => {
    const doomed = await startExample('order-service', collector.url);
    void fetch(`${doomed.url}/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'doomed', items: [{ sku: 'a', qty: 1, price: 1 }], chargeFailRate: 0, notifyMs: 60_000 }),
    }).catch(() => undefined);
    const running = await waitForList(collector.url, 'user=doomed', (xs) => xs.find((x) => x.status === 'running'), 5_000);
    await waitForExecution(collector.url, running.traceId, (d) => d.spans.some((s) => s.name === 'notify'), 5_000);
    await doomed.stop();
    const d = await waitForExecution(collector.url, running.traceId, finished);
    expect(d.execution.status).toBe('cancelled');
    expect(d.spans.find((s) => s.name === 'notify')?.status).toBe('cancelled');
  });
});
