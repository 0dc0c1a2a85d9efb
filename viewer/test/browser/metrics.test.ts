/**
 * The Metrics page against a real collector that requires a query token: metrics by service,
 * a latency histogram charted per route with its exemplars, and an exemplar that opens the
 * execution it points to — from "this latency spike" to "this run".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeExecution, type FixtureSpan } from '../fixtures/otlp.js';
import { counter, gauge, histogram, makeOtlpMetrics, type FixtureExemplar, type HistogramPoint } from '../fixtures/otlp-metrics.js';
import { launchBrowser, newPage, screenshot, sendMetrics, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let page: Page;
const TOKEN = 'metrics-query-token';
const MINUTES = 50;
const BOUNDS = [25, 50, 100, 250, 500, 1000, 2500, 5000];
/** New values per minute in each bucket of BOUNDS, per route, and the spike's at SPIKE_MINUTE. */
const PER_MINUTE: Record<string, number[]> = { '/checkout': [0, 4, 10, 3, 1, 0, 0, 0, 0], '/cart': [2, 8, 5, 1, 0, 0, 0, 0, 0] };
const SPIKE = [0, 0, 0, 0, 0, 1, 3, 0, 0];
const SPIKE_MINUTE = 38;
const MIDPOINTS = [12, 37, 75, 175, 375, 750, 1750, 3750, 6000];
let spikeTraceId = '';
let exemplarCount = 0;

const durationMs = (s: FixtureSpan) => Number(s.endNs - s.startNs) / 1e6;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector({ queryToken: TOKEN });
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const startMs = minute - (MINUTES + 5) * 60_000;
  const timeOf = (m: number) => minute - (MINUTES - m) * 60_000 + 30_000;

  // A run every five minutes and a slow one in the spike; each leaves an exemplar on /checkout.
  const spans: FixtureSpan[] = [];
  const exemplars = new Map<number, FixtureExemplar>();
  for (let m = 2; m < MINUTES; m += 5) {
    const run = makeExecution({ flowName: 'checkout', startMs: timeOf(m) - 5_000, nodes: [{ name: 'validate', durationMs: 8 }, { name: 'charge card', durationMs: 50 + ((m * 17) % 90) }] });
    spans.push(run.root, ...run.nodes);
    exemplars.set(m, { traceId: run.traceId, spanId: run.root.spanId, timeMs: timeOf(m) - 4_000, value: durationMs(run.root) });
  }
  const slow = makeExecution({ flowName: 'checkout', startMs: timeOf(SPIKE_MINUTE) - 8_000, nodes: [{ name: 'validate', durationMs: 8 }, { name: 'charge card', durationMs: 2380 }] });
  spans.push(slow.root, ...slow.nodes);
  spikeTraceId = slow.traceId;
  exemplars.set(SPIKE_MINUTE, { traceId: slow.traceId, spanId: slow.root.spanId, timeMs: timeOf(SPIKE_MINUTE) - 5_000, value: durationMs(slow.root) });
  exemplarCount = exemplars.size;
  await sendSpans(collector.url, 'shop', spans);

  const latency = Object.entries(PER_MINUTE).map(([route, perMinute]) => {
    const counts = new Array<number>(perMinute.length).fill(0);
    let sum = 0;
    const points: HistogramPoint[] = [];
    for (let m = 0; m < MINUTES; m++) {
      const add = route === '/checkout' && m === SPIKE_MINUTE ? perMinute.map((c, i) => c + SPIKE[i]) : perMinute;
      add.forEach((c, i) => { counts[i] += c; sum += c * MIDPOINTS[i]; });
      const exemplar = route === '/checkout' ? exemplars.get(m) : undefined;
      points.push({ timeMs: timeOf(m), counts: [...counts], sum, exemplars: exemplar ? [exemplar] : [] });
    }
    return { attributes: { 'http.route': route }, points };
  });
  const orders = ['/checkout', '/cart'].map((route, k) => ({
    attributes: { 'http.route': route },
    points: Array.from({ length: MINUTES }, (_, m) => ({ timeMs: timeOf(m), value: (m + 1) * (3 + k * 2) + (m % 4) * m })),
  }));
  await sendMetrics(collector.url, makeOtlpMetrics('shop', [
    histogram('http.server.duration', 'ms', BOUNDS, startMs, latency),
    counter('orders.placed', '{order}', startMs, orders),
    gauge('queue.depth', '{job}', Array.from({ length: MINUTES }, (_, m) => ({ timeMs: timeOf(m), value: Math.round(6 + 5 * Math.sin(m / 5)) }))),
  ]));
  await sendMetrics(collector.url, makeOtlpMetrics('billing', [
    counter('invoices.sent', '{invoice}', startMs, [{ attributes: {}, points: Array.from({ length: MINUTES }, (_, m) => ({ timeMs: timeOf(m), value: m * 2 })) }]),
  ]));
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

async function giveToken(p: Page): Promise<void> {
  await p.locator('[data-testid="token-input"]').waitFor({ timeout: 10_000 });
  await p.fill('[data-testid="token-input"]', TOKEN);
  await p.press('[data-testid="token-input"]', 'Enter');
}

const items = () => page.locator('[data-testid="metric-item"]');
const markers = () => page.locator('[data-testid="chart-marker"]');

describe('metrics page', () => {
  it('asks for the token, lists metrics by service and opens the first', async () => {
    await page.goto(collector.url + '/explore/metrics');
    await giveToken(page);
    await expect.poll(() => items().count(), { timeout: 10_000 }).toBe(4);
    expect(await page.locator('[data-testid="metric-list"] h3').allTextContents()).toEqual(['billing', 'shop']);
    await expect.poll(() => page.locator('[data-testid="metric-name"]').textContent(), { timeout: 10_000 }).toBe('invoices.sent');
    expect(page.url()).toContain('name=invoices.sent');
    // The points come from their own request, after the name is shown.
    await expect.poll(() => page.locator('[data-testid="chart"] path').count(), { timeout: 10_000 }).toBe(1);
  });

  it('charts a latency histogram per route with the exemplars of its runs', async () => {
    await items().filter({ hasText: 'http.server.duration' }).click();
    await expect.poll(() => page.locator('[data-testid="metric-name"]').textContent(), { timeout: 10_000 }).toBe('http.server.duration');
    await expect.poll(() => markers().count(), { timeout: 10_000 }).toBe(exemplarCount);
    expect(await page.locator('[data-testid="chart"] path').count()).toBe(2); // a line per route
    expect(await page.locator('[data-testid="metric-measure"]').inputValue()).toBe('p95');
    expect(await page.locator('[data-testid="chart"] .legend').textContent()).toContain('http.route=/checkout');
    const highest = await page.locator('[data-testid="exemplars"] tbody tr').first().textContent();
    expect(highest).toMatch(/^2\.\d+s/);
    expect(highest).toContain(spikeTraceId.slice(0, 16));
    await screenshot(page, 'metrics');
  });

  it('opens the execution an exemplar points to', async () => {
    await page.locator(`[data-testid="chart-marker"][data-key^="${spikeTraceId}"]`).click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).toBe(`/executions/${spikeTraceId}`);
    await expect.poll(() => page.locator('[data-testid="execution-header"]').textContent(), { timeout: 10_000 }).toContain('checkout');
    expect(await page.locator('[data-testid="execution-duration"]').textContent()).toMatch(/^2\.\d+s$/);
    await page.goBack();
    await expect.poll(() => markers().count(), { timeout: 10_000 }).toBe(exemplarCount);
  });

  it('shows a counter as a rate per second and a histogram as values recorded per second', async () => {
    await items().filter({ hasText: 'orders.placed' }).click();
    await expect.poll(() => page.locator('[data-testid="metric-name"]').textContent(), { timeout: 10_000 }).toBe('orders.placed');
    await expect.poll(() => page.locator('[data-testid="chart"] path').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('.controls').textContent()).toContain('rate (per second)');
    expect(await page.locator('[data-testid="chart"] svg').textContent()).toContain('/s');
    await items().filter({ hasText: 'http.server.duration' }).click();
    await page.locator('[data-testid="metric-measure"]').selectOption('rate');
    await expect.poll(() => page.url()).toContain('measure=rate');
    // exemplars of a latency are not rates: they sit on the time axis
    await expect.poll(() => page.locator('[data-testid="chart-marker"].rug').count()).toBe(exemplarCount);
  });

  it('reads well in the dark theme', async () => {
    const dark = await newPage(browser, 'dark');
    await dark.goto(collector.url + '/explore/metrics?service=shop&name=http.server.duration');
    await giveToken(dark);
    await expect.poll(() => dark.locator('[data-testid="chart-marker"]').count(), { timeout: 10_000 }).toBe(exemplarCount);
    await screenshot(dark, 'metrics-dark');
    await dark.context().close();
  });
});
