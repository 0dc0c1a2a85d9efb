/**
 * Control from the viewer, end to end: the example order service (a child process, holding a
 * control connection) sends to an in-process collector started with a control token; in
 * Chromium a running order is cancelled and a failed one replayed with an edited input.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, startCollector, type Collector } from './harness.js';

const ORDER_SERVICE = fileURLToPath(new URL('../../../examples/dist/order-service.js', import.meta.url));
const CONTROL = 'viewer-control-token';

let collector: Collector;
let browser: Browser;
let page: Page;
let service: { url: string; process: ChildProcess };

/** Starts the example order service with a control connection; resolves when it prints its URL. */
function startOrderService(endpoint: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [ORDER_SERVICE], {
    env: { ...process.env, PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, FLOWTRACE_CONTROL: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('order service not ready')), 20_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], process: child });
      }
    });
  });
}

const apiGet = async <T>(path: string): Promise<T> => (await (await fetch(collector.url + path)).json()) as T;
const statusOf = async (traceId: string): Promise<string | undefined> =>
  (await apiGet<{ execution?: { status: string } }>(`/api/executions/${traceId}`)).execution?.status;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector({ controlToken: CONTROL });
  service = await startOrderService(collector.url);
  // The service dials in right after it starts.
  for (let i = 0; i < 150 && (await apiGet<{ instances: unknown[] }>('/api/control')).instances.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  page = await newPage(browser);
});

afterAll(async () => {
  service?.process.kill('SIGTERM');
  await browser?.close();
  await collector?.close();
});

describe('cancel and replay from the viewer', () => {
  it('cancels a running order from its page: requested, delivered, cancelled', async () => {
    const response = fetch(`${service.url}/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'ord-slow', customerId: 'cy', items: [{ sku: 'lamp', qty: 1, price: 40 }], chargeFailRate: 0, notifyMs: 60_000, warehouses: 8 }),
    }).then((r) => r.status);
    const running = async (): Promise<string | undefined> =>
      (await apiGet<{ executions: Array<{ traceId: string }> }>('/api/executions?status=running')).executions[0]?.traceId;
    await expect.poll(running, { timeout: 15_000 }).toBeTruthy();
    const traceId = (await running())!;

    await page.goto(`${collector.url}/executions/${traceId}`);
    const cancel = page.locator('[data-testid="cancel-execution"]');
    await cancel.waitFor({ timeout: 15_000 });
    await cancel.click();
    await page.fill('[data-testid="control-token-input"]', CONTROL);
    await page.press('[data-testid="control-token-input"]', 'Enter');
    await expect.poll(() => page.locator('[data-testid="control-stage"]').textContent(), { timeout: 10_000 }).toContain('cancelled');
    expect(await response).toBe(409);
    await expect.poll(() => statusOf(traceId), { timeout: 10_000 }).toBe('cancelled');
    await expect.poll(() => page.locator('[data-testid="execution-header"] [data-status]').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('cancelled');
    // The ended spans replace their start marks in the view (they arrive in the next export batch).
    await expect.poll(() => page.locator('[data-testid="execution-header"] .run').count(), { timeout: 10_000 }).toBe(0);
    await screenshot(page, 'control-cancel');
  });

  it('replays a failed order: the redacted card must be filled in, then the new run links back to it', async () => {
    const res = await fetch(`${service.url}/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'ord-bad', customerId: 'cy', items: [{ sku: 'pen', qty: 0, price: 2 }], card: { number: '4111111111111111', cvv: '123' }, chargeFailRate: 0, notifyMs: 1, warehouses: 4 }),
    });
    expect(res.status).toBe(400);
    const failedId = res.headers.get('x-trace-id')!;
    await expect.poll(() => statusOf(failedId), { timeout: 10_000 }).toBe('error');

    await page.goto(`${collector.url}/executions/${failedId}`);
    await page.locator('[data-testid="replay-execution"]').click({ timeout: 15_000 });
    const dialog = page.locator('[data-testid="replay-dialog"]');
    await expect.poll(() => dialog.locator('[data-testid="replay-mark"]').allTextContents(), { timeout: 10_000 })
      .toEqual(['card.number — redacted', 'card.cvv — redacted']);
    expect(await dialog.locator('[data-testid="replay-run"]').isDisabled()).toBe(true);
    expect(await dialog.locator('[data-testid="replay-blocked"]').textContent()).toContain('2 redacted or cut values');
    await screenshot(page, 'control-replay-dialog');

    const edited = (await dialog.locator('[data-testid="replay-input"]').inputValue())
      .replace('"qty": 0', '"qty": 3')
      .replace('"number": "[REDACTED]"', '"number": "4242424242424242"')
      .replace('"cvv": "[REDACTED]"', '"cvv": "321"');
    await dialog.locator('[data-testid="replay-input"]').fill(edited);
    expect(await dialog.locator('[data-testid="replay-run"]').isDisabled()).toBe(false);
    await dialog.locator('[data-testid="replay-run"]').click();
    await dialog.locator('[data-testid="replay-open"]').click({ timeout: 10_000 });

    const replayOf = page.locator('[data-testid="replay-of"]');
    await expect.poll(() => replayOf.textContent(), { timeout: 15_000 }).toContain(failedId.slice(0, 16));
    await expect.poll(() => page.locator('[data-testid="execution-header"] [data-status]').first().getAttribute('data-status'), { timeout: 15_000 }).toBe('success');
    const newId = await page.locator('[data-testid="execution-view"]').getAttribute('data-trace-id');
    expect(newId).not.toBe(failedId);
    const replayed = await apiGet<{ spans: Array<{ parentSpanId: string | null; attributes: Record<string, unknown> }> }>(`/api/executions/${newId}`);
    expect(JSON.parse(String(replayed.spans.find((s) => s.parentSpanId === null)?.attributes['flow.input']))).toMatchObject({ items: [{ sku: 'pen', qty: 3 }] });
    await screenshot(page, 'control-replay-of');
  });
});
