/**
 * The live executions list on a busy collector: under a filter only the server can match, new
 * executions are counted ("N new executions", a click shows them) instead of reloading the
 * first page on every live event, so loaded pages, the scroll position and searches in flight
 * survive; the list renders only the rows in view; rows never move under the pointer; and the
 * text search finds an execution by its error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeExecution } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendLogs, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let page: Page;
const now = Date.now();
const RUNS = 160;

function run(flowName: string, startMs: number, error?: string) {
  return makeExecution({
    flowName, startMs, userId: 'u-1', trigger: 'http',
    nodes: [
      { name: 'load cart', durationMs: 8, console: error ? [{ body: `payment gateway answered: ${error}`, level: 'ERROR' }] : [] },
      { name: 'charge card', durationMs: 20, error },
    ],
  });
}

async function send(runs: Array<ReturnType<typeof run>>) {
  await sendSpans(collector.url, 'shop', runs.flatMap((r) => [r.root, ...r.nodes]));
  await sendLogs(collector.url, 'shop', runs.flatMap((r) => r.logs));
}

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  const runs = Array.from({ length: RUNS }, (_, i) => run('checkout', now - 3_600_000 + i * 20_000, i % 10 === 3 ? 'card declined by issuer' : undefined));
  await send(runs);
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

const list = () => page.locator('[data-testid="execution-list"]');
const loaded = async () => Number(await list().getAttribute('data-count'));
const scrollTop = () => list().evaluate((el) => el.scrollTop);

describe('the live list under a filter', () => {
  it('counts new executions instead of reloading, keeping loaded pages, scroll and the rows in view', async () => {
    await page.goto(`${collector.url}/?q=checkout`);
    await expect.poll(loaded, { timeout: 15_000 }).toBe(50);
    // Scroll down until three pages are loaded.
    for (let i = 0; i < 20 && (await loaded()) < 150; i++) {
      await list().evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await page.waitForTimeout(300);
    }
    expect(await loaded()).toBeGreaterThanOrEqual(150);
    await list().evaluate((el) => el.scrollTo({ top: 7400 }));
    await page.mouse.move(1200, 450); // away from the list
    await page.waitForTimeout(300);
    const before = { count: await loaded(), top: await scrollTop(), first: await page.locator('[data-testid="execution-row"]').first().getAttribute('data-trace-id') };
    expect(before.top).toBe(7400);
    // Virtualized: far fewer rows exist than are loaded.
    expect(await page.locator('[data-testid="execution-row"]').count()).toBeLessThan(40);

    const requests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/executions') requests.push(r.url());
    });
    const fresh = [run('checkout', Date.now() - 300), run('checkout', Date.now() - 200), run('checkout', Date.now() - 100)];
    await send(fresh);
    const banner = page.locator('[data-testid="new-executions"]');
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain('3 new executions');
    await page.waitForTimeout(1500); // today's list reloaded page 1 a second after a live event
    expect(requests).toEqual([]);
    expect(await loaded()).toBe(before.count);
    expect(await scrollTop()).toBe(before.top);
    expect(await page.locator('[data-testid="execution-row"]').first().getAttribute('data-trace-id')).toBe(before.first);
    await screenshot(page, 'executions-new-banner');

    await banner.click();
    await expect.poll(loaded, { timeout: 10_000 }).toBe(before.count + 3);
    expect(requests).toHaveLength(1);
    expect(await scrollTop()).toBe(0);
    expect(await page.locator('[data-testid="execution-row"]').first().getAttribute('data-trace-id')).toBe(fresh[2].traceId);
    await expect.poll(() => banner.count()).toBe(0);
  });

  it('never moves the rows under the pointer when a new execution arrives', async () => {
    await page.goto(`${collector.url}/`);
    const rows = page.locator('[data-testid="execution-row"]');
    await expect.poll(loaded, { timeout: 15_000 }).toBeGreaterThan(0);
    const firstBefore = await rows.first().getAttribute('data-trace-id');
    await rows.nth(1).hover();
    const box = await rows.nth(1).boundingBox();
    const underPointer = await rows.nth(1).getAttribute('data-trace-id');
    const fresh = run('checkout', Date.now());
    await send([fresh]);
    const banner = page.locator('[data-testid="new-executions"]');
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain('1 new execution');
    // The row under the pointer is the same row, at the same place.
    const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-testid="execution-row"]')?.getAttribute('data-trace-id'), { x: box!.x + 20, y: box!.y + 20 });
    expect(hit).toBe(underPointer);
    expect(await rows.first().getAttribute('data-trace-id')).toBe(firstBefore);
    // Once the pointer leaves, the list at rest takes the new execution on top.
    await page.mouse.move(1200, 450);
    await expect.poll(() => rows.first().getAttribute('data-trace-id'), { timeout: 10_000 }).toBe(fresh.traceId);
  });
});

describe('searching for an error', () => {
  it('finds the runs whose error says "card declined" (status, exception and console text)', async () => {
    await page.goto(`${collector.url}/?q=${encodeURIComponent('card declined')}`);
    await expect.poll(loaded, { timeout: 15_000 }).toBe(RUNS / 10);
    const statuses = await page.locator('[data-testid="execution-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['error']));
    await screenshot(page, 'executions-search-error');
  });

  it('finds a run by a line it logged', async () => {
    await page.goto(`${collector.url}/?q=${encodeURIComponent('payment gateway answered')}`);
    await expect.poll(loaded, { timeout: 15_000 }).toBe(RUNS / 10);
  });
});

describe('a text search over a long history', () => {
  it('shows the runs found by their error at once, then goes on searching older history page by page until the end', async () => {
    // Older runs that match "issuer" only by a node's name (no error text): the search must read
    // their spans, which a partial page leaves to the next page.
    const older = Array.from({ length: 40 }, (_, i) => makeExecution({
      flowName: 'refund', startMs: now - 3 * 3_600_000 + i * 20_000, userId: 'u-2', trigger: 'http',
      nodes: [{ name: 'issuer lookup', durationMs: 5 }],
    }));
    await sendSpans(collector.url, 'shop', older.flatMap((r) => [r.root, ...r.nodes]));
    const answers: Array<{ url: string; rows: number; next: string | null }> = [];
    const onResponse = async (r: import('playwright-core').Response) => {
      const url = new URL(r.url());
      if (url.pathname !== '/api/executions' || url.searchParams.get('q') !== 'issuer') return;
      // A refresh still in flight when the test ends has no body left to read once the page moves
      // on; it is not one of the answers asserted below, so it is left out rather than left to
      // reject with no one listening.
      const body = await r.json().catch(() => null);
      if (body) answers.push({ url: r.url(), rows: body.executions.length, next: body.nextCursor });
    };
    page.on('response', onResponse);
    try {
      await page.goto(`${collector.url}/?q=issuer`);
      // The 16 runs whose error says "card declined by issuer", then the 40 older ones, and the end.
      await expect.poll(loaded, { timeout: 20_000 }).toBe(RUNS / 10 + older.length);
      await expect.poll(() => page.locator('[data-testid="execution-list"] .more').textContent()).toContain('end of list');
      const first = answers[0];
      expect(new URL(first.url).searchParams.get('partial')).toBe('true');
      // The first answer held the runs found by their error texts only, and said more may follow.
      expect(first.rows).toBe(RUNS / 10);
      expect(first.next).not.toBeNull();
      expect(answers.length).toBeGreaterThanOrEqual(2);
      // Newest first over all pages: the failed runs on top, the older refunds below.
      await list().evaluate((el) => el.scrollTo({ top: 0 }));
      expect(await page.locator('[data-testid="execution-row"]').first().getAttribute('data-status')).toBe('error');
    } finally {
      page.off('response', onResponse);
    }
  });
});
