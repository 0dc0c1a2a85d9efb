/**
 * Control from the viewer, end to end: the example order service (a child process, holding a
 * control connection) sends to an in-process collector started with a control token; in
 * Chromium a running order and a running HTTP request (a handler that allows cancel) are
 * cancelled, and a failed order is replayed with an edited input: its redacted values are
 * marked where they are in the input, and a run with one left is refused unless confirmed.
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

  it('cancels a running HTTP request (a handler that allows cancel) from its page', async () => {
    const response = fetch(`${service.url}/reports/monthly?ms=60000`).then((r) => r.status);
    const running = async (): Promise<string | undefined> =>
      (await apiGet<{ executions: Array<{ traceId: string; executionKind: string | null }> }>('/api/executions?status=running'))
        .executions.find((e) => e.executionKind === 'http_handler')?.traceId;
    await expect.poll(running, { timeout: 15_000 }).toBeTruthy();
    const traceId = (await running())!;

    await page.goto(`${collector.url}/executions/${traceId}`);
    const cancel = page.locator('[data-testid="cancel-execution"]');
    await cancel.waitFor({ timeout: 15_000 });
    await cancel.click();
    const token = page.locator('[data-testid="control-token-input"]');
    if (await token.isVisible()) {
      await token.fill(CONTROL);
      await token.press('Enter');
    }
    await expect.poll(() => page.locator('[data-testid="control-stage"]').textContent(), { timeout: 10_000 }).toContain('cancelled');
    expect(await response).toBe(409);
    await expect.poll(() => statusOf(traceId), { timeout: 10_000 }).toBe('cancelled');
    await expect.poll(() => page.locator('[data-testid="execution-header"] [data-status]').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('cancelled');
    // The parts that had not run yet never start; the one running when the cancel came ends cancelled.
    await expect.poll(() => page.locator('[data-testid="span-row"][data-status="cancelled"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot(page, 'control-cancel-handler');
  });

  it('replays a failed order: the redacted card is marked in the input, a run with a value left is refused unless confirmed, then the new run links back', async () => {
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
    const editor = dialog.locator('[data-testid="replay-input"]');
    const marks = dialog.locator('[data-testid="replay-inline-mark"]');
    // Each redacted value is marked where it is: on the editor's line that holds it.
    await expect.poll(() => marks.evaluateAll((els) => els.map((e) => e.getAttribute('data-path'))), { timeout: 10_000 }).toEqual(['card.number', 'card.cvv']);
    const lines = (await editor.inputValue()).split('\n');
    expect(await marks.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line')))))
      .toEqual([lines.findIndex((l) => l.includes('"number": "[REDACTED]"')), lines.findIndex((l) => l.includes('"cvv": "[REDACTED]"'))]);
    // …and drawn over it: a mark's top is its line's top in the editor.
    const text = await editor.evaluate((el) => {
      const style = getComputedStyle(el);
      return { top: el.getBoundingClientRect().top + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop) - el.scrollTop, lineHeight: parseFloat(style.lineHeight) };
    });
    for (const mark of await marks.all()) {
      const m = (await mark.boundingBox())!;
      const line = Number(await mark.getAttribute('data-line'));
      expect(Math.abs(m.y - (text.top + line * text.lineHeight))).toBeLessThan(text.lineHeight / 2);
    }
    expect(await dialog.locator('[data-testid="replay-todo"]').textContent()).toContain('2 values to re-enter');
    await screenshot(page, 'control-replay-dialog');

    // The card number is given, the cvv is not: Run refuses and says which value is left.
    const edited = (await editor.inputValue())
      .replace('"qty": 0', '"qty": 3')
      .replace('"number": "[REDACTED]"', '"number": "4242424242424242"');
    await editor.fill(edited);
    await expect.poll(() => marks.evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).toEqual(['card.cvv']);
    await dialog.locator('[data-testid="replay-run"]').click();
    const refused = dialog.locator('[data-testid="replay-refused"]');
    expect(await refused.textContent()).toContain('card.cvv');
    expect(await refused.textContent()).toContain('[REDACTED]');
    expect(await dialog.locator('[data-testid="replay-stage"]').count()).toBe(0);
    await screenshot(page, 'control-replay-refused');

    // Confirmed: it runs with the cvv left empty (null), never as "[REDACTED]".
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/executions/${failedId}/replay`));
    await dialog.locator('[data-testid="replay-run-empty"]').click();
    expect((await sent).postDataJSON().input).toMatchObject({ items: [{ sku: 'pen', qty: 3 }], card: { number: '4242424242424242', cvv: null } });
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
