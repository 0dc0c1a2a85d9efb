import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, waitForExecution, waitForList, type ExecutionDetail } from '../fixtures/collector-api.js';
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

async function order(body: Record<string, unknown>, abortAfterMs?: number): Promise<{ status: number; traceId: string; body: Record<string, unknown> }> {
  try {
    const res = await fetch(`${service.url}/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      signal: abortAfterMs ? AbortSignal.timeout(abortAfterMs) : undefined,
    });
    return { status: res.status, traceId: res.headers.get('x-trace-id') ?? '', body: (await res.json()) as Record<string, unknown> };
  } catch {
    return { status: 0, traceId: '', body: {} };
  }
}

const items = [{ sku: 'book', qty: 2, price: 10 }];
const byName = (d: ExecutionDetail, name: string) => d.spans.filter((s) => s.name === name);

describe('the order service sending to a real collector', () => {
  it('shows a successful order as one execution with all its nodes, console lines and redacted input', async () => {
    const res = await order({ customerId: 'ann', items, chargeFailRate: 0, notifyMs: 20, card: { number: '4111', cvv: '999' } });
    expect(res.status).toBe(200);
    // Spans and console lines travel in separate batches: wait for both, then check everything.
    const d = await waitForExecution(collector.url, res.traceId, (x) =>
      finished(x) && x.spans.length >= 55 && x.logs.some((l) => l.body.startsWith('sending confirmation')));
    expect(d.execution).toMatchObject({ flowName: 'process-order', executionKind: 'flow', serviceName: 'order-service', status: 'success', triggerType: 'http', userId: 'ann', spanCount: 55 });
    const root = d.spans.find((s) => s.parentSpanId === null);
    for (const name of ['validate', 'price', 'charge', 'notify']) {
      const [span] = byName(d, name);
      expect(span.status).toBe('success');
      expect(span.parentSpanId).toBe(root?.spanId);
    }
    const stock = byName(d, 'check-stock');
    expect(stock).toHaveLength(50);
    expect(new Set(stock.map((s) => s.attributes['flow.node.index'])).size).toBe(50);
    expect(String(root?.attributes['flow.input'])).toContain('"cvv":"[REDACTED]"');
    expect(JSON.parse(String(root?.attributes['flow.output']))).toMatchObject({ total: 24, notified: true });
    const validate = byName(d, 'validate')[0];
    expect(d.logs.find((l) => l.body.startsWith('validating order'))?.spanId).toBe(validate.spanId);
    expect(d.logs.some((l) => l.body.includes('[REDACTED]') || l.body.includes('sending confirmation'))).toBe(true);
  });

  it('shows an order whose charge keeps failing as an error naming the charge node, with the exception', async () => {
    const res = await order({ customerId: 'bob', items, chargeFailRate: 1 });
    expect(res.status).toBe(502);
    const d = await waitForExecution(collector.url, res.traceId, finished);
    expect(d.execution.status).toBe('error');
    expect(d.execution.errorNodeId).toBe('charge');
    const charges = byName(d, 'charge');
    expect(charges.length).toBeGreaterThanOrEqual(1);
    for (const c of charges) {
      expect(c.status).toBe('error');
      expect(c.events.find((e) => e.name === 'exception')?.attributes['exception.type']).toBe('PaymentError');
    }
    expect(byName(d, 'notify')).toHaveLength(0);
  });

  it('shows an invalid order as failed in validate', async () => {
    const res = await order({ items: [{ sku: 'x', qty: 0, price: 1 }] });
    expect(res.status).toBe(400);
    const d = await waitForExecution(collector.url, res.traceId, finished);
    expect(d.execution.status).toBe('error');
    expect(d.execution.errorNodeId).toBe('validate');
  });

  it('shows a skipped notification as skipped in a successful order', async () => {
    const res = await order({ items, optOut: true, chargeFailRate: 0 });
    const d = await waitForExecution(collector.url, res.traceId, finished);
    expect(d.execution.status).toBe('success');
    expect(byName(d, 'notify')[0].status).toBe('skipped');
  });

  it('shows an order past its timeout as timed_out', async () => {
    const res = await order({ items, chargeFailRate: 0, notifyMs: 5_000, timeoutMs: 400 });
    expect(res.status).toBe(504);
    const d = await waitForExecution(collector.url, res.traceId, finished);
    expect(d.execution.status).toBe('timed_out');
    expect(byName(d, 'notify')[0].status).toBe('timed_out');
  });

  it('shows an order whose client went away as cancelled', async () => {
    const res = await order({ customerId: 'cancel-me', items, chargeFailRate: 0, notifyMs: 5_000 }, 800);
    expect(res.status).toBe(0);
    const found = await waitForList(collector.url, 'user=cancel-me', (xs) => xs.find((x) => x.status === 'cancelled'));
    const d = await waitForExecution(collector.url, found.traceId, finished);
    expect(byName(d, 'notify')[0].status).toBe('cancelled');
  });

  it('shows an order lookup as an http_handler execution from the Fastify plugin', async () => {
    const placed = await order({ items, chargeFailRate: 0, notifyMs: 1 });
    const id = String(placed.body.orderId);
    expect((await fetch(`${service.url}/orders/${id}`)).status).toBe(200);
    const lookup = await waitForList(collector.url, 'limit=50', (xs) => xs.find((x) => x.flowName === 'GET /orders/:id' && x.status !== 'running'));
    expect(lookup.executionKind).toBe('http_handler');
    const d = await waitForExecution(collector.url, lookup.traceId, finished);
    expect(d.spans.map((s) => s.name).sort()).toEqual(['GET /orders/:id', 'load-order']);
  });
});
