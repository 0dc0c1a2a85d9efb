/**
 * Span details on demand: the execution page paints its waterfall from the trace outline
 * alone, and a chosen span's attributes, payloads and console lines arrive afterwards — with
 * a loading state meanwhile, from a cache the second time, and one request (not one per
 * key press) when the keyboard walks quickly through the rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { makeExecution } from '../fixtures/otlp.js';
import { launchBrowser, newPage, sendLogs, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let run: ReturnType<typeof makeExecution>;

const SPAN_ROUTE = /\/api\/executions\/[0-9a-f]{32}\/spans\/[0-9a-f]{16}$/;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  run = makeExecution({
    flowName: 'invoice',
    startMs: Date.now() - 30_000,
    input: { customer: 'c-9' },
    nodes: [
      { name: 'load customer', durationMs: 8, input: { id: 'c-9' }, output: { name: 'Ada', plan: 'gold' }, console: [{ body: 'customer found' }] },
      { name: 'render pdf', type: 'code', durationMs: 30, output: { pages: 3 } },
      ...Array.from({ length: 30 }, (_, i) => ({ name: `line item ${i}`, durationMs: 2, output: { line: i } })),
    ],
  });
  await sendSpans(collector.url, 'billing', [run.root, ...run.nodes]);
  await sendLogs(collector.url, 'billing', run.logs);
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

/** Records the API paths the page asks for. */
function recordRequests(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/executions/')) paths.push(path);
  });
  return paths;
}

describe('span details on demand', () => {
  it('paints from the outline, then shows a chosen span at once and its details when they arrive', async () => {
    const page = await newPage(browser);
    const requests = recordRequests(page);
    // Hold the span's details back until the test has seen the loading state.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(SPAN_ROUTE, async (route: Route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${collector.url}/executions/${run.traceId}`);
    await expect.poll(() => page.locator('[data-testid="span-row"]').count(), { timeout: 15_000 }).toBeGreaterThan(10);
    expect(requests).toContain(`/api/executions/${run.traceId}/outline`);
    expect(requests).not.toContain(`/api/executions/${run.traceId}`);

    await page.locator('[data-testid="span-row"]', { hasText: 'load customer' }).click();
    const panel = page.locator('[data-testid="span-panel"]');
    // What the outline knows shows at once; the rest is loading.
    await expect.poll(() => panel.locator('h2').textContent()).toBe('load customer');
    expect(await panel.locator('[data-testid="span-details"]').getAttribute('data-state')).toBe('loading');
    expect(await panel.locator('[data-testid="span-details-loading"]').count()).toBe(1);
    release();
    await expect.poll(() => panel.locator('[data-testid="span-details"]').getAttribute('data-state')).toBe('loaded');
    expect(await panel.locator('[data-testid="json-input"]').textContent()).toContain('c-9');
    expect(await panel.locator('[data-testid="json-output"]').textContent()).toContain('gold');
    expect(await panel.locator('[data-testid="console-lines"]').textContent()).toContain('customer found');
    expect(await panel.locator('[data-testid="attributes"]').first().textContent()).toContain('flow.node.id');
    await page.context().close();
  });

  it('answers a span chosen before from its cache and asks once when the keyboard runs through the rows', async () => {
    const page = await newPage(browser);
    const requests = recordRequests(page);
    await page.goto(`${collector.url}/executions/${run.traceId}`);
    await expect.poll(() => page.locator('[data-testid="span-row"]').count(), { timeout: 15_000 }).toBeGreaterThan(10);
    const panel = page.locator('[data-testid="span-panel"]');
    const spanRequests = () => requests.filter((p) => SPAN_ROUTE.test(p));

    await page.locator('[data-testid="span-row"]', { hasText: 'render pdf' }).click();
    await expect.poll(() => panel.locator('[data-testid="json-output"]').textContent()).toContain('pages');
    await page.locator('[data-testid="span-row"]', { hasText: 'load customer' }).click();
    await expect.poll(() => panel.locator('[data-testid="json-output"]').textContent()).toContain('gold');
    const before = spanRequests().length;
    await page.locator('[data-testid="span-row"]', { hasText: 'render pdf' }).click();
    await expect.poll(() => panel.locator('[data-testid="json-output"]').textContent()).toContain('pages');
    expect(spanRequests().length).toBe(before);

    // Twenty quick steps down, as a held arrow key repeats (every ~30 ms): the panel follows every
    // step, the details are asked for once the keys pause.
    await page.locator('[data-testid="waterfall"]').focus();
    const gaps = await page.evaluate(async () => {
      const waterfall = document.querySelector('[data-testid="waterfall"]')!;
      const at: number[] = [];
      for (let i = 0; i < 20; i++) {
        at.push(performance.now());
        waterfall.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
        await new Promise((r) => setTimeout(r, 30));
      }
      return at.slice(1).map((t, i) => t - at[i]);
    });
    const target = await panel.getAttribute('data-span-id');
    await expect.poll(() => panel.locator('[data-testid="span-details"]').getAttribute('data-state')).toBe('loaded');
    const walk = spanRequests().slice(before);
    // One request for the first step and one where the walk stopped; a busy machine may stretch
    // a step past the 80 ms pause, and such a step may ask too.
    const pauses = gaps.filter((g) => g >= 80).length;
    expect(walk.length).toBeLessThanOrEqual(2 + pauses);
    expect(walk[walk.length - 1]).toContain(`/spans/${target}`);
    expect(await panel.locator('[data-testid="json-output"]').textContent()).toMatch(/"?line"?:\s*\d+/);
    await page.context().close();
  });

  it('opens a span from the URL and shows a missing span as an error with a retry', async () => {
    const page = await newPage(browser);
    const node = run.nodes[0];
    await page.goto(`${collector.url}/executions/${run.traceId}?span=${node.spanId}`);
    const panel = page.locator('[data-testid="span-panel"]');
    await expect.poll(() => panel.locator('[data-testid="json-input"]').textContent(), { timeout: 15_000 }).toContain('c-9');
    // The collector loses the span (deleted meanwhile): the panel says so and offers a retry.
    await page.route(SPAN_ROUTE, (route: Route) => route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ code: 'FT_SPAN_NOT_FOUND', message: 'No span with this id in the execution', statusCode: 404 }) }));
    await page.locator('[data-testid="span-row"]', { hasText: 'line item 3' }).click();
    await expect.poll(() => panel.locator('[data-testid="span-details"]').getAttribute('data-state')).toBe('error');
    expect(await panel.textContent()).toContain('No span with this id');
    await page.unroute(SPAN_ROUTE);
    await panel.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => panel.locator('[data-testid="json-output"]').textContent()).toContain('3');
    await page.context().close();
  });
});
