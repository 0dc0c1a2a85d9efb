/**
 * The search box's scope: "in errors" looks for the text only in a run's own fields and its error
 * texts (the API's in=errors), so a run whose payload merely quotes the text is not listed, while
 * the runs that failed with it are; the scope lives in the URL. A search of every span's text that
 * runs past a second offers the switch to error messages only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright-core';
import { makeExecution } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendLogs, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let page: Page;
const now = Date.now();
const ERROR = 'card declined by issuer';

const failed = Array.from({ length: 3 }, (_, i) => makeExecution({
  flowName: 'checkout', startMs: now - 600_000 + i * 60_000, userId: 'u-1', trigger: 'http',
  nodes: [{ name: 'load cart', durationMs: 8 }, { name: 'charge card', durationMs: 20, error: ERROR }],
}));
/** Succeeded; its node's input (a payload) quotes the error text. */
const quoting = makeExecution({
  flowName: 'support-ticket', startMs: now - 120_000, userId: 'u-2', trigger: 'http',
  nodes: [{ name: 'file ticket', durationMs: 12, input: { subject: `Customer writes: "${ERROR}" again`, body: 'x'.repeat(400) } }],
});
const others = Array.from({ length: 5 }, (_, i) => makeExecution({
  flowName: 'checkout', startMs: now - 900_000 + i * 10_000, userId: 'u-3', trigger: 'http',
  nodes: [{ name: 'load cart', durationMs: 8 }, { name: 'charge card', durationMs: 20 }],
}));

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  const runs = [...failed, quoting, ...others];
  await sendSpans(collector.url, 'shop', runs.flatMap((r) => [r.root, ...r.nodes]));
  await sendLogs(collector.url, 'shop', runs.flatMap((r) => r.logs));
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

const listed = () => page.locator('[data-testid="execution-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id')));
const sortedIds = (ids: Array<string | null>) => [...ids].sort();
const apiRequests = (into: string[]) => (r: Request) => {
  const url = new URL(r.url());
  if (url.pathname === '/api/executions') into.push(url.search);
};

describe('searching in errors only', () => {
  it('lists the failed runs and not the run whose payload alone holds the text; the scope round-trips through the URL', async () => {
    const requests: string[] = [];
    const onRequest = apiRequests(requests);
    page.on('request', onRequest);
    try {
      await page.goto(`${collector.url}/?q=${encodeURIComponent(ERROR)}&in=errors`);
      await expect.poll(async () => sortedIds(await listed()), { timeout: 15_000 }).toEqual(sortedIds(failed.map((r) => r.traceId)));
      expect(await page.locator('[data-testid="filter-q-in"]').inputValue()).toBe('errors');
      const asked = new URLSearchParams(requests[requests.length - 1]);
      expect(asked.get('in')).toBe('errors');
      expect(asked.get('q')).toBe(ERROR);
      await screenshot(page, 'executions-search-in-errors');

      // Everywhere: the run quoting the text in its payload is found too, and the URL drops in=.
      await page.locator('[data-testid="filter-q-in"]').selectOption('');
      await expect.poll(async () => sortedIds(await listed()), { timeout: 15_000 })
        .toEqual(sortedIds([...failed, quoting].map((r) => r.traceId)));
      expect(new URL(page.url()).searchParams.has('in')).toBe(false);
      expect(new URLSearchParams(requests[requests.length - 1]).has('in')).toBe(false);

      // And back: the select writes in=errors into the URL.
      await page.locator('[data-testid="filter-q-in"]').selectOption('errors');
      await expect.poll(() => new URL(page.url()).searchParams.get('in')).toBe('errors');
      await expect.poll(async () => sortedIds(await listed()), { timeout: 15_000 }).toEqual(sortedIds(failed.map((r) => r.traceId)));
    } finally {
      page.off('request', onRequest);
    }
  });

  it('offers to search error messages only while a search of every span is slow, and switches with one click', async () => {
    // The search everywhere is held back (as one over a long history would be); in errors is not.
    await page.route('**/api/executions?*', async (route) => {
      const scoped = new URL(route.request().url()).searchParams.get('in') === 'errors';
      if (!scoped) await new Promise((resolve) => setTimeout(resolve, 4_000));
      await route.continue().catch(() => undefined); // the page may have gone on meanwhile
    });
    try {
      await page.goto(`${collector.url}/?q=${encodeURIComponent(ERROR)}`);
      const hint = page.locator('[data-testid="slow-search"]');
      await hint.waitFor({ timeout: 10_000 });
      expect(await hint.textContent()).toContain('Search error messages only');
      await screenshot(page, 'executions-search-slow-hint');
      await page.locator('[data-testid="search-errors-only"]').click();
      await expect.poll(() => new URL(page.url()).searchParams.get('in')).toBe('errors');
      await expect.poll(async () => sortedIds(await listed()), { timeout: 15_000 }).toEqual(sortedIds(failed.map((r) => r.traceId)));
      await expect.poll(() => hint.count()).toBe(0);
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
    }
  });
});
