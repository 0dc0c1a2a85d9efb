/**
 * The executions list and one execution's waterfall, against a real collector filled
 * through OTLP: listing, filtering, opening, the span panel, and a run that finishes live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeExecution, msToNs, startMark, type FixtureSpan } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendLogs, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let page: Page;
const now = Date.now();

async function seed(base: string) {
  const runs = [
    makeExecution({
      flowName: 'checkout',
      startMs: now - 60_000,
      userId: 'alice',
      trigger: 'http',
      input: { cartId: 'c-42' },
      output: { orderId: 'o-7' },
      nodes: [
        { name: 'load cart', durationMs: 12, input: { cartId: 'c-42' }, output: { items: [{ sku: 'A1', qty: 2 }, { sku: 'B9', qty: 1 }] }, console: [{ body: 'cart loaded with 2 items' }] },
        { name: 'charge card', type: 'http', durationMs: 48, input: { amount: 31.5, currency: 'EUR' }, output: { chargeId: 'ch_123', ok: true }, console: [{ body: 'charging 31.50 EUR' }, { body: 'slow gateway', level: 'WARN' }] },
        { name: 'send receipt', durationMs: 7, output: { sent: true } },
      ],
    }),
    makeExecution({
      flowName: 'checkout',
      startMs: now - 50_000,
      userId: 'bob',
      trigger: 'http',
      nodes: [
        { name: 'load cart', durationMs: 10 },
        { name: 'charge card', durationMs: 30, error: 'card declined', console: [{ body: 'gateway said no', level: 'ERROR' }] },
      ],
    }),
    makeExecution({ flowName: 'send-report', startMs: now - 40_000, userId: 'alice', trigger: 'scheduled', nodes: [{ name: 'query', durationMs: 120 }, { name: 'render', durationMs: 40 }, { name: 'email', durationMs: 25 }] }),
    makeExecution({ flowName: 'send-report', startMs: now - 30_000, userId: 'carol', trigger: 'scheduled', nodes: [{ name: 'query', durationMs: 95 }, { name: 'render', durationMs: 33 }] }),
    makeExecution({ flowName: 'sync-inventory', startMs: now - 20_000, trigger: 'queue', nodes: [{ name: 'fetch', durationMs: 60 }, { name: 'upsert', durationMs: 80 }] }),
  ];
  for (const r of runs) {
    await sendSpans(base, 'shop', [r.root, ...r.nodes]);
    await sendLogs(base, 'shop', r.logs);
  }
  return runs;
}

let runs: Awaited<ReturnType<typeof seed>>;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  runs = await seed(collector.url);
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

const rows = () => page.locator('[data-testid="execution-row"]');

describe('executions page', () => {
  it('lists every execution, newest first', async () => {
    await page.goto(collector.url + '/');
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(5);
    expect(await rows().first().getAttribute('data-trace-id')).toBe(runs[4].traceId);
    await expect.poll(() => page.locator('[data-testid="live-indicator"]').textContent()).toContain('Live');
  });

  it('narrows the list with the flow and status filters and keeps them in the URL', async () => {
    await page.fill('[data-testid="filter-flow"]', 'send-report');
    await page.press('[data-testid="filter-flow"]', 'Enter');
    await expect.poll(() => rows().count()).toBe(2);
    expect(page.url()).toContain('flow=send-report');
    await page.goto(collector.url + '/?status=error');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().getAttribute('data-trace-id')).toBe(runs[1].traceId);
    await page.goBack();
    await expect.poll(() => rows().count()).toBe(2);
  });

  it('opens the waterfall of a clicked execution and shows a span with its input, output and console lines', async () => {
    await page.goto(collector.url + '/');
    await rows().filter({ hasText: 'alice' }).filter({ hasText: 'checkout' }).first().click();
    const view = page.locator('[data-testid="execution-view"]');
    await expect.poll(() => view.getAttribute('data-trace-id')).toBe(runs[0].traceId);
    await expect.poll(() => page.locator('[data-testid="span-row"]').count()).toBe(4);
    expect(page.url()).toContain(`trace=${runs[0].traceId}`);
    await page.locator('[data-testid="span-row"]', { hasText: 'charge card' }).click();
    const panel = page.locator('[data-testid="span-panel"]');
    await expect.poll(() => panel.locator('[data-testid="json-input"]').textContent()).toContain('EUR');
    expect(await panel.locator('[data-testid="json-output"]').textContent()).toContain('ch_123');
    const console = await panel.locator('[data-testid="console-lines"]').textContent();
    expect(console).toContain('charging 31.50 EUR');
    expect(console).toContain('slow gateway');
    expect(page.url()).toContain('span=');
    await screenshot(page, 'executions');
  });

  it('searches inside the trace and moves through matches with the keyboard', async () => {
    await page.fill('[data-testid="span-search"]', 'card');
    await expect.poll(() => page.locator('[data-testid="match-count"]').textContent()).toContain('/1');
    await page.locator('[data-testid="waterfall"]').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[data-testid="span-panel"] h2').textContent()).toBe('load cart');
  });

  it('shows a failed execution with the failing node and the exception stack', async () => {
    await page.goto(`${collector.url}/executions/${runs[1].traceId}`);
    await expect.poll(() => page.locator('[data-testid="execution-error"]').textContent(), { timeout: 10_000 }).toContain('card declined');
    await page.locator('[data-testid="execution-error"] button').click();
    await expect.poll(() => page.locator('[data-testid="exceptions"]').textContent()).toContain('card declined');
    await screenshot(page, 'execution-error');
  });

  it('turns a running execution into a success without a reload', async () => {
    const startMs = Date.now() - 2000;
    const run = makeExecution({ flowName: 'long-job', startMs, trigger: 'manual', nodes: [{ name: 'step one', durationMs: 300 }, { name: 'step two', durationMs: 500 }] });
    const [first, second] = run.nodes as [FixtureSpan, FixtureSpan];
    await sendLogs(collector.url, 'worker', [startMark(run.root), startMark(first)]);
    await page.goto(collector.url + '/');
    const row = page.locator(`[data-testid="execution-row"][data-trace-id="${run.traceId}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('running');
    await row.click();
    const header = page.locator('[data-testid="execution-header"] [data-status]').first();
    await expect.poll(() => header.getAttribute('data-status')).toBe('running');
    await sendSpans(collector.url, 'worker', [first]);
    await sendLogs(collector.url, 'worker', [startMark(second)]);
    await expect.poll(() => page.locator('[data-testid="span-row"]').count(), { timeout: 10_000 }).toBe(3);
    await screenshot(page, 'execution-running');
    const end = Date.now();
    await sendSpans(collector.url, 'worker', [{ ...second, endNs: msToNs(end - 5) }, { ...run.root, endNs: msToNs(end) }]);
    await expect.poll(() => header.getAttribute('data-status'), { timeout: 10_000 }).toBe('success');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('success');
    await expect.poll(() => page.locator('[data-testid="span-row"][data-status="running"]').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.locator('[data-testid="span-row"][data-status="success"]').count()).toBe(3);
    expect(await page.locator('[data-testid="execution-header"]').textContent()).toContain('complete');
    expect(await page.locator('[data-testid="execution-header"]').textContent()).not.toContain('incomplete');
    await screenshot(page, 'execution-finished');
  });

  it('reads a TCP connection as an ordered list of handler runs', async () => {
    const conn = makeExecution({
      flowName: 'tcp 10.0.0.7',
      kind: 'tcp_handler',
      trigger: 'tcp',
      startMs: Date.now() - 5000,
      rootAttributes: { 'network.peer.address': '10.0.0.7', 'network.peer.port': 52114 },
      nodes: [
        { name: 'on data', durationMs: 4, input: { bytes: 12 }, console: [{ body: 'HELO' }] },
        { name: 'on data', durationMs: 9, input: { bytes: 48 } },
        { name: 'on data', durationMs: 3, error: 'bad frame' },
      ],
    });
    await sendSpans(collector.url, 'gateway', [conn.root, ...conn.nodes]);
    await sendLogs(collector.url, 'gateway', conn.logs);
    await page.goto(`${collector.url}/?trace=${conn.traceId}`);
    const runsList = page.locator('[data-testid="tcp-runs"] li');
    await expect.poll(() => runsList.count(), { timeout: 10_000 }).toBe(3);
    // The peer address is an attribute of the root, which arrives with the root's details.
    await expect.poll(() => page.locator('[data-testid="tcp-runs"]').textContent()).toContain('10.0.0.7:52114');
    expect(await runsList.nth(0).textContent()).toContain('#1');
    await runsList.nth(0).locator('button').click();
    await expect.poll(() => page.locator('[data-testid="console-lines"]').textContent()).toContain('HELO');
    await screenshot(page, 'tcp-connection');
  });

  it('follows the dark theme of the system', async () => {
    const dark = await newPage(browser, 'dark');
    await dark.goto(`${collector.url}/?trace=${runs[0].traceId}`);
    await expect.poll(() => dark.locator('[data-testid="span-row"]').count(), { timeout: 10_000 }).toBe(4);
    const bg = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(20, 23, 29)');
    await screenshot(dark, 'executions-dark');
    await dark.context().close();
  });
});
