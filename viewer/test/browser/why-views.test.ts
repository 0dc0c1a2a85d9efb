/**
 * The "why" views in Chromium against a real collector: two runs compared (from "compare with
 * the previous run"), the critical path in the waterfall and self time in the span panel, the
 * time tab (table and flame graph), the run as its flow graph (a loop collapsed ×N, a 10k-span
 * run kept to a few boxes), the execution-wide console (filters, live while the run runs), and
 * the logs page of lines with no span. Each view writes its screenshot to docs/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hex, makeBigTrace, makeExecution, msToNs, startMark, type FixtureSpan } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendLogs, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let good: ReturnType<typeof makeExecution>;
let bad: ReturnType<typeof makeExecution>;
let big: ReturnType<typeof makeBigTrace>;
const t0 = Date.now() - 120_000;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  const items = (n: number) => Array.from({ length: n }, (_, k) => ({ id: `email-${k}`, name: `send email ${k}`, type: 'email', durationMs: 3, output: { to: `u${k}@x.test` } }));
  good = makeExecution({
    flowName: 'checkout', startMs: t0, input: { cart: 'c-1' }, output: { ok: true },
    nodes: [
      { id: 'load', name: 'load cart', durationMs: 12, output: { items: 2, total: 30 }, console: [{ body: 'cart has 2 items' }] },
      { id: 'charge', name: 'charge card', type: 'http', durationMs: 40, input: { amount: 30 }, output: { receipt: 'r-1', card: { last4: '4242' } } },
      ...items(3),
    ],
  });
  bad = makeExecution({
    flowName: 'checkout', startMs: t0 + 10_000, input: { cart: 'c-2' },
    nodes: [
      { id: 'load', name: 'load cart', durationMs: 14, output: { items: 3, total: 45 }, console: [{ body: 'cart has 3 items' }, { body: 'price list is stale', level: 'WARN' }] },
      { id: 'fraud', name: 'fraud check', type: 'http', durationMs: 55, console: [{ body: 'score 0.7' }] },
      { id: 'charge', name: 'charge card', type: 'http', durationMs: 120, input: { amount: 45 }, output: { receipt: null, card: { last4: '0002' } }, error: 'card declined', console: [{ body: 'issuer said no', level: 'ERROR' }] },
      ...items(12),
    ],
  });
  // Two queries of "load cart" in parallel: its self time is what they leave uncovered.
  const load = bad.nodes[0];
  const query = (name: string, from: number, to: number): FixtureSpan => ({
    traceId: bad.traceId, spanId: hex(8), parentSpanId: load.spanId, name, kind: 3,
    startNs: load.startNs + msToNs(from), endNs: load.startNs + msToNs(to),
  });
  await sendSpans(collector.url, 'shop', [good.root, ...good.nodes, bad.root, ...bad.nodes, query('SELECT items', 1, 9), query('SELECT prices', 2, 11)]);
  await sendLogs(collector.url, 'shop', [
    ...good.logs, ...bad.logs,
    { traceId: '', spanId: '', timeNs: msToNs(Date.now() - 5000), severityText: 'WARN', severityNumber: 13, body: 'disk 91% full' },
    { traceId: '', spanId: '', timeNs: msToNs(Date.now() - 4000), severityText: 'INFO', severityNumber: 9, body: 'worker pool resized to 8' },
  ]);
  big = makeBigTrace(10_000, t0 + 20_000);
  await sendSpans(collector.url, 'batch', big.spans);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

async function openRun(page: Page, traceId: string): Promise<void> {
  await page.goto(`${collector.url}/executions/${traceId}`);
  await expect.poll(() => page.locator('[data-testid="span-row"]').count(), { timeout: 15_000 }).toBeGreaterThan(3);
}

describe('compare two executions', () => {
  it('opens from "compare with the previous run" and shows matched nodes, their differences and differing payload paths', async () => {
    const page = await newPage(browser);
    await openRun(page, bad.traceId);
    await page.locator('[data-testid="compare-previous"]').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/executions/${good.traceId}/compare/${bad.traceId}`);
    const rows = page.locator('[data-testid="compare-row"]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(5);
    expect(await page.locator('[data-testid="compare-counts"]').textContent()).toMatch(/6 matched.*0 only in A.*12 only in B.*2 status changed/s);
    expect(await rows.filter({ hasText: 'fraud check' }).getAttribute('data-match')).toBe('only-b');
    // The roots side by side at first: the cart differs.
    expect(await page.locator('[data-testid="compare-input"] [data-testid="json-A"] .diff').first().textContent()).toContain('"cart"');
    await rows.filter({ hasText: 'charge card' }).click();
    const output = page.locator('[data-testid="compare-output"]');
    await expect.poll(() => output.locator('[data-testid="json-B"] .diff').allTextContents()).toEqual(['"receipt": null,', '"last4": "0002"']);
    expect(await page.locator('[data-testid="compare-error"] [data-testid="json-B"]').textContent()).toContain('card declined');
    await screenshot(page, 'compare');
    await page.locator('[data-testid="only-differences"]').check();
    await expect.poll(() => rows.count()).toBeLessThan(20);
    await page.context().close();
  });
});

describe('critical path and self time', () => {
  it('highlights the spans that determined the run and shows a span\'s self time', async () => {
    const page = await newPage(browser);
    await openRun(page, bad.traceId);
    await page.locator('[data-testid="critical-toggle"]').check();
    await expect.poll(() => page.locator('[data-testid="critical-count"]').textContent()).toBe('17 spans');
    // The root, every node, and of the two parallel queries only the one that finished last.
    const critical = page.locator('[data-testid="span-row"].critical');
    await expect.poll(() => critical.count()).toBe(17);
    expect(await critical.filter({ hasText: 'SELECT prices' }).count()).toBe(1);
    expect(await critical.filter({ hasText: 'SELECT items' }).count()).toBe(0);
    await page.locator('[data-testid="span-row"]', { hasText: 'load cart' }).first().click();
    // 14 ms, of which the queries cover 1–11 ms.
    await expect.poll(() => page.locator('[data-testid="self-time"]').textContent()).toContain('4');
    expect(await page.locator('[data-testid="self-time"]').textContent()).toMatch(/self time\s+4(\.0+)?ms/);
    expect(await page.locator('[data-testid="critical-time"]').textContent()).toMatch(/on critical path\s+5(\.0+)?ms/);
    await screenshot(page, 'critical-path');
    await page.context().close();
  });
});

describe('where the time goes', () => {
  it('tells time per span name and node with self time, and draws a flame graph whose frames select spans', async () => {
    const page = await newPage(browser);
    await openRun(page, bad.traceId);
    await page.locator('[data-testid="view-time"]').click();
    const table = page.locator('[data-testid="time-table"]');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(3);
    expect(await table.locator('tbody tr').first().textContent()).toContain('charge card');
    await page.locator('[data-testid="time-by-node"]').click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(15);
    const frames = page.locator('[data-testid="flame-frame"]');
    expect(await frames.count()).toBeGreaterThan(3);
    await screenshot(page, 'time');
    await frames.filter({ hasText: 'fraud check' }).click();
    await expect.poll(() => page.locator('[data-testid="span-panel"] h2').textContent()).toBe('fraud check');
    await page.context().close();
  });

  it('adds self time and critical-path share per node to a flow\'s page', async () => {
    const page = await newPage(browser);
    await page.goto(`${collector.url}/flows/checkout?range=24h`);
    const rows = page.locator('[data-testid="flow-time-row"]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(3);
    expect(await page.locator('[data-testid="flow-time"] h3').textContent()).toContain('over 2 finished runs');
    expect(await rows.first().textContent()).toContain('charge card');
    await page.locator('[data-testid="flow-time"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'flow-time');
    await page.context().close();
  });
});

describe('the run as its flow', () => {
  it('draws nodes in order with status and duration, collapses a loop ×N, and a click selects the span', async () => {
    const page = await newPage(browser);
    await openRun(page, bad.traceId);
    await page.locator('[data-testid="view-graph"]').click();
    const nodes = page.locator('[data-testid="graph-node"]');
    await expect.poll(() => nodes.count()).toBeGreaterThan(3);
    expect(await page.locator('[data-testid="graph-node-count"]').allTextContents()).toContain('×12');
    const box = (name: string) => page.locator(`[data-testid="graph-node"]:has(> button .label:text-is("${name}"))`);
    expect(await box('charge card').getAttribute('class')).toContain('error');
    await screenshot(page, 'flow-graph');
    await box('fraud check').locator('> button').click();
    await expect.poll(() => page.locator('[data-testid="span-panel"] h2').textContent()).toBe('fraud check');
    expect(await page.locator('[data-testid="waterfall"]').count()).toBe(1);
    await page.context().close();
  });

  it('keeps a 10,000-span run to a few boxes', async () => {
    const page = await newPage(browser);
    await page.goto(`${collector.url}/executions/${big.traceId}`);
    await expect.poll(() => page.locator('[data-testid="span-row"]').count(), { timeout: 30_000 }).toBeGreaterThan(10);
    await page.locator('[data-testid="view-graph"]').click();
    const nodes = page.locator('[data-testid="graph-node"]');
    await expect.poll(() => nodes.count()).toBeGreaterThan(1);
    expect(await nodes.count()).toBeLessThan(20);
    expect(await page.locator('[data-testid="graph-node-count"]').allTextContents()).toEqual(expect.arrayContaining(['×200', '×49']));
    await page.context().close();
  });
});

describe('execution-wide console', () => {
  it('lists every line of the run in time order with its span, filtered by severity and text', async () => {
    const page = await newPage(browser);
    await openRun(page, bad.traceId);
    await page.locator('[data-testid="view-console"]').click();
    const lines = page.locator('[data-testid="run-console-line"]');
    await expect.poll(() => lines.count()).toBe(4);
    const texts = (await lines.allTextContents()).map((t) => t.replace(/^.*?(INFO|WARN|ERROR)/, '$1').replace(/\s+/g, ' ').trim());
    expect(texts).toEqual(['INFO load cart cart has 3 items', 'WARN load cart price list is stale', 'INFO fraud check score 0.7', 'ERROR charge card issuer said no']);
    await page.locator('[data-testid="severity-filter"]').selectOption('warn');
    await expect.poll(() => lines.count()).toBe(2);
    await page.locator('[data-testid="severity-filter"]').selectOption('all');
    await page.locator('[data-testid="log-text-filter"]').fill('fraud');
    await expect.poll(() => lines.allTextContents()).toEqual([expect.stringContaining('score 0.7')]);
    await page.locator('[data-testid="log-text-filter"]').fill('');
    await screenshot(page, 'run-console');
    await page.context().close();
  });

  it('shows new lines of a running execution as they are written', async () => {
    const traceId = hex(16);
    const root: FixtureSpan = { traceId, spanId: hex(8), name: 'import', startNs: msToNs(Date.now() - 2000), endNs: 0n, kind: 2, attributes: { 'flow.name': 'import', 'flow.execution.kind': 'flow' } };
    await sendLogs(collector.url, 'etl', [startMark(root), { traceId, spanId: root.spanId, timeNs: msToNs(Date.now() - 1500), severityText: 'INFO', severityNumber: 9, body: 'reading file' }]);
    const page = await newPage(browser);
    await page.goto(`${collector.url}/executions/${traceId}`);
    await expect.poll(() => page.locator('[data-testid="span-row"]').count(), { timeout: 15_000 }).toBe(1);
    await page.locator('[data-testid="view-console"]').click();
    const lines = page.locator('[data-testid="run-console-line"]');
    await expect.poll(() => lines.count()).toBe(1);
    expect(await page.locator('[data-testid="run-console-live"]').count()).toBe(1);
    await sendLogs(collector.url, 'etl', [{ traceId, spanId: root.spanId, timeNs: msToNs(Date.now()), severityText: 'WARN', severityNumber: 13, body: 'row 17 skipped' }]);
    await expect.poll(() => lines.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining('reading file'), expect.stringContaining('row 17 skipped')]);
    await page.context().close();
  });
});

describe('logs page', () => {
  it('lists lines with no span, newest first, filtered by severity', async () => {
    const page = await newPage(browser);
    await page.goto(`${collector.url}/logs`);
    const lines = page.locator('[data-testid="log-line"]');
    await expect.poll(() => lines.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining('worker pool resized'), expect.stringContaining('disk 91% full')]);
    await screenshot(page, 'logs');
    await page.locator('[data-testid="severity-filter"]').selectOption('warn');
    await expect.poll(() => lines.allTextContents()).toEqual([expect.stringContaining('disk 91% full')]);
    await page.context().close();
  });
});
