/**
 * Comparing two 10,000-span runs in Chromium against a real collector: the first rows are drawn
 * from a first page of the comparison, without waiting for all of it (the request for all rows is
 * held back here, so the test shows the order of things, not a time); then every row is there,
 * not the first 5,000, with the counts of the whole comparison. And the comparison is asked for
 * before the click — once the run page is idle while a (small, finished) run is marked, or as
 * the pointer comes to "Compare with marked run" — so the click finds it ready or on its way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Route } from 'playwright-core';
import { makeBigTrace } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let a: ReturnType<typeof makeBigTrace>;
let b: ReturnType<typeof makeBigTrace>;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  const t0 = Date.now() - 120_000;
  a = makeBigTrace(10_000, t0);
  b = makeBigTrace(10_000, t0 + 30_000);
  await sendSpans(collector.url, 'batch', a.spans);
  await sendSpans(collector.url, 'batch', b.spans);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

/** The row limit a compare request asks for (the route's default when none). */
const limitOf = (url: string): number => Number(new URL(url).searchParams.get('limit') ?? 5000);
const isCompare = (url: string): boolean => /\/api\/executions\/[0-9a-f]{32}\/compare\/[0-9a-f]{32}/.test(url) && !url.includes('aSpan=');

describe('comparing two 10,000-span runs', () => {
  it('draws the first rows before the whole comparison has arrived, then lists every row with the counts of all of them', async () => {
    const page = await newPage(browser);
    const held: Route[] = [];
    await page.route('**/api/executions/*/compare/*', (route) => {
      if (isCompare(route.request().url()) && limitOf(route.request().url()) > 1000) held.push(route);
      else void route.continue();
    });
    await page.goto(`${collector.url}/executions/${a.traceId}/compare/${b.traceId}`);
    const rows = page.locator('[data-testid="compare-row"]');
    const counts = page.locator('[data-testid="compare-counts"]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(20);
    expect(await rows.first().textContent()).toContain('big-10000');
    expect(await counts.getAttribute('data-complete')).toBe('false');
    expect(await counts.textContent()).toContain('counting');
    expect(held.length).toBe(1);

    await held[0].continue();
    await expect.poll(() => counts.getAttribute('data-complete'), { timeout: 15_000 }).toBe('true');
    expect(await counts.textContent()).toMatch(/10,000 matched.*0 only in A.*0 only in B/s);
    expect(await counts.textContent()).not.toContain('first');
    // The last row of the run is there to scroll to: the last item of the last batch.
    await page.locator('[data-testid="compare-rows"]').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await expect.poll(() => rows.last().textContent(), { timeout: 5_000 }).toContain('item 9798');
    await page.locator('[data-testid="compare-rows"]').evaluate((el) => { el.scrollTop = 0; });
    await screenshot(page, 'compare-10k');
    await page.context().close();
  });

  it('asks for the comparison once a run is shown while a run is marked, and the click uses that answer', async () => {
    const page = await newPage(browser);
    const asked: string[] = [];
    page.on('request', (r) => { if (isCompare(r.url())) asked.push(r.url()); });
    await page.goto(`${collector.url}/executions/${a.traceId}`);
    await page.locator('[data-testid="compare-mark"]').click({ timeout: 15_000 });
    await page.goto(`${collector.url}/executions/${b.traceId}`);
    await page.locator('[data-testid="compare-marked"]').waitFor({ timeout: 15_000 });
    // No pointer anywhere near the link: asked for because the page went idle.
    await expect.poll(() => asked.length, { timeout: 5_000 }).toBe(1);
    expect(limitOf(asked[0])).toBeLessThanOrEqual(1000);
    expect(new URL(page.url()).pathname).toBe(`/executions/${b.traceId}`);

    await page.locator('[data-testid="compare-marked"]').click();
    await expect.poll(() => page.locator('[data-testid="compare-row"]').count(), { timeout: 15_000 }).toBeGreaterThan(20);
    await expect.poll(() => page.locator('[data-testid="compare-counts"]').getAttribute('data-complete'), { timeout: 15_000 }).toBe('true');
    // One first page (asked for ahead) and one request for all rows: the click asked for nothing again.
    expect(asked.filter((u) => limitOf(u) <= 1000)).toHaveLength(1);
    expect(asked.filter((u) => limitOf(u) > 1000)).toHaveLength(1);
    await page.context().close();
  });

  it('asks for it when the pointer comes to "Compare with marked run" when the marked run\'s size is unknown', async () => {
    const page = await newPage(browser);
    const asked: string[] = [];
    page.on('request', (r) => { if (isCompare(r.url())) asked.push(r.url()); });
    await page.goto(`${collector.url}/executions/${a.traceId}`);
    // A mark as older viewers stored it: the bare trace id, no span count.
    await page.evaluate((id) => sessionStorage.setItem('flowtrace.compareMark', id), a.traceId);
    await page.goto(`${collector.url}/executions/${b.traceId}`);
    const link = page.locator('[data-testid="compare-marked"]');
    await link.waitFor({ timeout: 15_000 });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 1_500)));
    expect(asked).toHaveLength(0);
    await link.hover();
    await expect.poll(() => asked.length, { timeout: 5_000 }).toBe(1);
    await link.click();
    await expect.poll(() => page.locator('[data-testid="compare-row"]').count(), { timeout: 15_000 }).toBeGreaterThan(20);
    expect(asked.filter((u) => limitOf(u) <= 1000)).toHaveLength(1);
    await page.context().close();
  });
});
