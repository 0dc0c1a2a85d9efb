/**
 * From a chart to the runs behind it: a flow's volume bars and node rows open the list
 * narrowed to that flow, window, status or node; "executions →" keeps the range; the list sorts
 * longest first; a duration scatter above the list opens a run; charts hide series on a click
 * of their legend and draw every bucket of 7 days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeExecution } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let page: Page;
const now = Date.now();
let runs: Array<ReturnType<typeof makeExecution>>;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  runs = Array.from({ length: 12 }, (_, i) =>
    makeExecution({
      flowName: i % 4 === 3 ? 'checkout-v2' : 'checkout',
      startMs: now - (i < 6 ? 3 * 86_400_000 : 30 * 60_000) - i * 60_000,
      nodes: [
        { name: 'validate', durationMs: 5 },
        { name: 'charge card', id: 'charge', durationMs: 20 + i * 15, error: i % 5 === 1 ? 'card declined' : undefined },
      ],
    }),
  );
  await sendSpans(collector.url, 'shop', runs.flatMap((r) => [r.root, ...r.nodes]));
  page = await newPage(browser);
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

const rows = () => page.locator('[data-testid="execution-row"]');
const listed = async () => new Set(await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id'))));
const ids = (pick: (r: ReturnType<typeof makeExecution>, i: number) => boolean) => new Set(runs.filter(pick).map((r) => r.traceId));

describe('a flow page over 7 days', () => {
  it('draws every bucket of the range and opens the runs of a bar, errors only from the errors bar', async () => {
    await page.goto(`${collector.url}/flows/checkout?range=7d`);
    const volume = page.locator('[data-testid="chart"]').first();
    // 2-hour buckets over 7 days: 84, or 85 when the range does not start on a bucket's edge.
    await expect.poll(() => volume.locator('rect[data-series="runs"]').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(84);
    expect(await volume.locator('rect[data-series="runs"]').count()).toBeLessThanOrEqual(85);
    await screenshot(page, 'flow-7-days');
    // The rightmost bar with runs holds the runs of the last half hour's bucket.
    const bars = volume.locator('rect[data-series="errors"]');
    const heights = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('height'))));
    const last = heights.map((h, i) => (h > 0 ? i : -1)).filter((i) => i >= 0).pop()!;
    await bars.nth(last).click({ force: true });
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('error');
    const q = new URL(page.url()).searchParams;
    expect(q.get('flow')).toBe('checkout');
    expect(q.get('from')).not.toBeNull();
    await expect.poll(listed, { timeout: 10_000 }).toEqual(ids((r, i) => i >= 6 && i % 4 !== 3 && i % 5 === 1 && r.root.startNs >= BigInt(Date.parse(q.get('from')!)) * 1_000_000n));
  });

  it('hides a series when its legend entry is clicked', async () => {
    await page.goto(`${collector.url}/flows/checkout?range=7d`);
    const latency = page.locator('[data-testid="chart"]').nth(1);
    await expect.poll(() => latency.locator('path').count(), { timeout: 10_000 }).toBe(3);
    await latency.locator('[data-testid="chart-legend"]', { hasText: 'p99' }).click();
    expect(await latency.locator('path').count()).toBe(2);
    expect(await latency.locator('[data-testid="chart-legend"]', { hasText: 'p99' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('keeps the range in "executions →"', async () => {
    await page.locator('[data-testid="flow-executions"]').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('range')).toBe('7d');
    await expect.poll(listed, { timeout: 10_000 }).toEqual(ids((r, i) => i % 4 !== 3));
  });

  it('opens the failed runs that reached a node from its row', async () => {
    await page.goto(`${collector.url}/flows/checkout?range=24h`);
    await page.locator('[data-testid="node-error-runs"]').first().click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('attr')).toEqual(['flow.node.id=charge']);
    expect(new URL(page.url()).searchParams.get('range')).toBe('24h');
    await expect.poll(listed, { timeout: 10_000 }).toEqual(ids((r, i) => i >= 6 && i % 4 !== 3 && i % 5 === 1));
  });
});

describe('the executions list', () => {
  it('finds a flow by the start of its name', async () => {
    await page.goto(`${collector.url}/`);
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(12);
    await page.fill('[data-testid="filter-flow"]', 'checkout-');
    await page.press('[data-testid="filter-flow"]', 'Enter');
    await expect.poll(listed).toEqual(ids((r, i) => i % 4 === 3));
    expect(new URL(page.url()).searchParams.get('flow')).toBe('checkout-*');
  });

  it('sorts the longest runs first (the API pages in that order: collector executions-sort.test.ts)', async () => {
    await page.goto(`${collector.url}/`);
    await page.selectOption('[data-testid="filter-sort"]', 'duration');
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('duration');
    const longest = [...runs].sort((a, b) => Number(b.root.endNs - b.root.startNs - (a.root.endNs - a.root.startNs))).map((r) => r.traceId);
    await expect.poll(() => rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id'))), { timeout: 10_000 }).toEqual(longest);
  });

  it('plots the runs listed by duration over time and opens the one clicked', async () => {
    const dots = page.locator('[data-testid="scatter-point"]');
    await expect.poll(() => dots.count()).toBe(12);
    const target = runs[4].traceId;
    await page.locator(`[data-testid="scatter-point"][data-trace-id="${target}"] circle`).click({ force: true });
    await expect.poll(() => page.locator('[data-testid="execution-view"]').getAttribute('data-trace-id')).toBe(target);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('duration');
    await expect.poll(() => page.locator('[data-testid="span-row"]').count(), { timeout: 10_000 }).toBe(3);
    await screenshot(page, 'executions-by-duration');
  });
});
