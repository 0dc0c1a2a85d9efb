/**
 * Searching and filtering inside a trace: the search also finds spans by their attribute
 * values (which the waterfall's outline does not hold: the collector answers), and span
 * filters keep the spans of a service, within a duration range, or carrying key=value — with
 * their ancestors, so the tree still reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hex, msToNs, type FixtureSpan } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let page: Page;
const traceId = hex(16);
const t = Date.now() - 60_000;
const span = (name: string, startMs: number, durationMs: number, attributes: Record<string, string | number> = {}, parent?: FixtureSpan): FixtureSpan => ({
  traceId, spanId: hex(8), parentSpanId: parent?.spanId, name, startNs: msToNs(t + startMs), endNs: msToNs(t + startMs + durationMs), attributes,
});
const root = span('POST /checkout', 0, 150, { 'http.route': '/checkout' });
const charge = span('charge', 5, 80, { 'order.id': 'ORD-9001', 'payment.provider': 'stripe' }, root);
const refund = span('refund check', 90, 20, { 'order.id': 'ORD-9002' }, root);
const ship = span('book courier', 115, 5, { carrier: 'ACME Freight' }, root);

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  await sendSpans(collector.url, 'gateway', [root]);
  await sendSpans(collector.url, 'payments', [charge, refund]);
  await sendSpans(collector.url, 'shipping', [ship]);
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

const treeRows = () => page.locator('[data-testid="execution-view"] [role="treeitem"]');
const shownNames = async () => (await treeRows().evaluateAll((els) => els.map((e) => e.getAttribute('data-span-id'))));

describe('search and filters inside a trace', () => {
  it('finds a span by an attribute value', async () => {
    await page.goto(`${collector.url}/?trace=${traceId}`);
    await expect.poll(() => treeRows().count(), { timeout: 15_000 }).toBe(4);
    await page.fill('[data-testid="span-search"]', 'acme freight');
    await expect.poll(() => page.locator('[data-testid="match-count"]').textContent(), { timeout: 10_000 }).toMatch(/\/1$/);
    await page.fill('[data-testid="span-search"]', 'ORD-900');
    await expect.poll(() => page.locator('[data-testid="match-count"]').textContent(), { timeout: 10_000 }).toMatch(/\/2$/);
    await page.fill('[data-testid="span-search"]', '');
  });

  it('filters spans by service, duration and attribute, keeping their ancestors', async () => {
    await page.selectOption('[data-testid="span-filter-service"]', 'payments');
    await expect.poll(shownNames, { timeout: 10_000 }).toEqual([root.spanId, charge.spanId, refund.spanId]);
    await page.fill('[data-testid="span-filter-min"]', '50');
    await page.press('[data-testid="span-filter-min"]', 'Enter');
    await expect.poll(shownNames, { timeout: 10_000 }).toEqual([root.spanId, charge.spanId]);
    await page.selectOption('[data-testid="span-filter-service"]', '');
    await page.fill('[data-testid="span-filter-min"]', '');
    await page.press('[data-testid="span-filter-min"]', 'Enter');
    await page.fill('[data-testid="span-filter-max"]', '10');
    await page.press('[data-testid="span-filter-max"]', 'Enter');
    await expect.poll(shownNames, { timeout: 10_000 }).toEqual([root.spanId, ship.spanId]);
    await page.fill('[data-testid="span-filter-max"]', '');
    await page.press('[data-testid="span-filter-max"]', 'Enter');
    await page.fill('[data-testid="span-filter-attr"]', 'order.id=ORD-9002');
    await page.press('[data-testid="span-filter-attr"]', 'Enter');
    await expect.poll(shownNames, { timeout: 10_000 }).toEqual([root.spanId, refund.spanId]);
    await screenshot(page, 'trace-span-filters');
  });
});
