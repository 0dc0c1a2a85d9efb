/**
 * Control end to end: the real collector (with --control-token) and the example order service
 * holding a control connection (FLOWTRACE_CONTROL=1), next to one that holds none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, getJson, waitForExecution, waitForList, type ExecutionDetail } from '../fixtures/collector-api.js';
import { startCollector, startExample, type Started } from '../fixtures/processes.js';

const CONTROL = 'e2e-control-token';
let collector: Started;
let controlled: Started;
let plain: Started;
beforeAll(async () => {
  collector = await startCollector({ args: ['--control-token', CONTROL] });
  [controlled, plain] = await Promise.all([
    startExample('order-service', collector.url, { FLOWTRACE_CONTROL: '1' }),
    startExample('order-service', collector.url, { OTEL_SERVICE_NAME: 'order-service-plain' }),
  ]);
  await waitFor(async () => (await control()).instances.some((i) => i.service === 'order-service'));
});
afterAll(async () => {
  await Promise.all([controlled?.stop(), plain?.stop()]);
  await collector?.stop();
});

interface ControlStatus { enabled: boolean; instances: Array<{ service: string; flows: Array<{ id: string; cancel: boolean; replay: boolean }> }> }
const control = async (): Promise<ControlStatus> => (await getJson<ControlStatus>(`${collector.url}/api/control`))!;

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const act = async (traceId: string, action: 'cancel' | 'replay', body: Record<string, unknown> = {}, token = CONTROL) => {
  const res = await fetch(`${collector.url}/api/executions/${traceId}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ requestedBy: 'e2e test', ...body }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** Places an order that runs ~30 s (slow notify) without waiting for it; resolves its running execution. */
async function placeLongOrder(service: Started, serviceName: string, orderId: string): Promise<{ traceId: string; response: Promise<number> }> {
  const response = fetch(`${service.url}/orders`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orderId, items: [{ sku: 'slow', qty: 1, price: 5 }], chargeFailRate: 0, notifyMs: 30_000 }),
  }).then((r) => r.status);
  const traceId = await waitForList(collector.url, `service=${serviceName}&status=running`, (xs) => xs[0]?.traceId, 15_000);
  return { traceId, response };
}

describe('cancel and replay of order runs through the collector', () => {
  it('announces the flows of the service that opted in, and nothing of the one that did not', async () => {
    const status = await control();
    expect(status.enabled).toBe(true);
    expect(status.instances.map((i) => i.service)).toEqual(['order-service']);
    expect(status.instances[0].flows).toContainEqual(expect.objectContaining({ id: 'process-order', cancel: true, replay: true }));
  });

  it('cancels a running order: the run stops at once, ends cancelled naming who asked, and a second cancel is a no-op', async () => {
    const { traceId, response } = await placeLongOrder(controlled, 'order-service', 'ord-cancel');
    expect((await act(traceId, 'cancel', {}, '')).status).toBe(401);
    const first = await act(traceId, 'cancel');
    expect(first).toMatchObject({ status: 200, body: { outcome: 'cancelled' } });
    expect(await response).toBe(409);
    const d = await waitForExecution(collector.url, traceId, finished);
    expect(d.execution.status).toBe('cancelled');
    const root = d.spans.find((s) => s.parentSpanId === null)!;
    expect(root.attributes['flow.cancel.requested_by']).toBe('e2e test');
    const second = await act(traceId, 'cancel');
    expect(second).toMatchObject({ status: 200, body: { outcome: 'already_cancelled' } });
  }, 40_000);

  it('never sends a request to a service without control: its run goes on', async () => {
    const { traceId, response } = await placeLongOrder(plain, 'order-service-plain', 'ord-plain');
    const refused = await act(traceId, 'cancel');
    expect(refused).toMatchObject({ status: 503, body: { code: 'FT_CONTROL_NO_INSTANCE' } });
    // Not cancelled: it is still running after the refusal (it ends by itself in ~30 s; not waited for).
    const d = await getJson<ExecutionDetail>(`${collector.url}/api/executions/${traceId}`);
    expect(d?.execution.status).toBe('running');
    void response.catch(() => undefined);
  }, 40_000);

  it('replays a failed order with an edited input: a new execution, triggered by replay, linked to the failed one', async () => {
    const res = await fetch(`${controlled.url}/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'ord-bad', customerId: 'cy', items: [{ sku: 'pen', qty: 0, price: 2 }], card: { number: '4111111111111111', cvv: '123' }, chargeFailRate: 0, notifyMs: 1 }),
    });
    expect(res.status).toBe(400);
    const failedId = res.headers.get('x-trace-id')!;
    const failed = await waitForExecution(collector.url, failedId, finished);
    expect(failed.execution.status).toBe('error');

    const asCaptured = await act(failedId, 'replay');
    expect(asCaptured).toMatchObject({ status: 400, body: { code: 'FT_REPLAY_INPUT_INCOMPLETE' } });
    expect(String(asCaptured.body.message)).toContain('card.cvv');

    const input = { orderId: 'ord-bad', customerId: 'cy', items: [{ sku: 'pen', qty: 1, price: 2 }], card: { number: '4242424242424242', cvv: '321' }, chargeFailRate: 0, notifyMs: 1, warehouses: 2 };
    const started = await act(failedId, 'replay', { input });
    expect(started).toMatchObject({ status: 202, body: { outcome: 'started' } });
    const replayId = String(started.body.newTraceId);
    const replay = await waitForExecution(collector.url, replayId, finished);
    expect(replay.execution).toMatchObject({ status: 'success', triggerType: 'replay', flowName: 'process-order' });
    const root = replay.spans.find((s) => s.parentSpanId === null) as ExecutionDetail['spans'][number] & { links: Array<{ traceId: string; spanId: string }> };
    expect(root.attributes['flow.replay.of']).toBe(failedId);
    expect(root.links.map((l) => l.traceId)).toEqual([failedId]);
  }, 40_000);
});
