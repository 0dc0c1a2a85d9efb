/**
 * Big traces: 10k and 100k spans open, paint rows without a DOM node per span, and scroll.
 * Prints the time from navigation to the first painted rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeBigTrace } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

async function firstPaint(page: Page, traceId: string): Promise<number> {
  const t0 = Date.now();
  await page.goto(`${collector.url}/executions/${traceId}`);
  await page.locator('[data-testid="span-row"]').first().waitFor({ timeout: 120_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return Date.now() - t0;
}

interface FrameStats {
  /** Main-thread work per step: scroll handler, Svelte update, style and layout. */
  work: number;
  /** Mean and worst interval between animation frames while scrolling. */
  mean: number;
  worst: number;
}

/** Scrolls the waterfall one step per frame (wheel-sized steps, or long jumps) and times it. */
async function scrollFrames(page: Page, mode: 'wheel' | 'jump'): Promise<FrameStats> {
  return page.evaluate(async (mode) => {
    const el = document.querySelector('[data-testid="waterfall-scroller"]') as HTMLElement;
    const step = mode === 'wheel' ? 120 : el.scrollHeight / 70;
    const frames: number[] = [];
    let work = 0;
    let last = performance.now();
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      el.scrollTop += step;
      el.dispatchEvent(new Event('scroll'));
      await Promise.resolve();
      await Promise.resolve();
      void el.offsetHeight;
      work += performance.now() - t0;
      await new Promise((r) => requestAnimationFrame(r));
      const t = performance.now();
      frames.push(t - last);
      last = t;
    }
    return { work: work / 60, mean: frames.reduce((a, b) => a + b, 0) / frames.length, worst: Math.max(...frames) };
  }, mode);
}

const fmt = (f: FrameStats) => `work ${f.work.toFixed(1)} ms/step, frames mean ${f.mean.toFixed(1)} ms / worst ${f.worst.toFixed(1)} ms`;

describe('big traces', () => {
  for (const count of [10_000, 100_000]) {
    it(`opens a ${count.toLocaleString()}-span trace, paints only the visible rows and scrolls`, async () => {
      const trace = makeBigTrace(count, Date.now() - 60_000);
      const t0 = Date.now();
      await sendSpans(collector.url, 'batch', trace.spans, 5000);
      const ingestMs = Date.now() - t0;
      const page = await newPage(browser);
      const paintMs = await firstPaint(page, trace.traceId);
      const domRows = await page.locator('[data-testid="span-row"]').count();
      expect(domRows).toBeGreaterThan(10);
      expect(domRows).toBeLessThan(200);
      expect(await page.locator('[data-testid="waterfall"]').textContent()).toContain(`of ${count.toLocaleString()} spans`);
      const wheel = await scrollFrames(page, 'wheel');
      const jump = await scrollFrames(page, 'jump');
      const view = page.locator('[data-testid="execution-view"]');
      const fetchMs = await view.getAttribute('data-fetch-ms');
      const treeMs = await view.getAttribute('data-tree-ms');
      expect(await page.locator('[data-testid="span-row"]').count()).toBeLessThan(200);
      const lastRow = await page.locator('[data-testid="span-row"]').last().textContent();
      expect(lastRow).toMatch(/item \d+/);
      // Jump to the end with the keyboard: the last span becomes selected and visible.
      await page.locator('[data-testid="waterfall"]').focus();
      await page.keyboard.press('End');
      await expect.poll(() => page.locator('[data-testid="span-panel"]').count()).toBe(1);
      console.log(
        `[big-trace] ${count} spans: ingest ${ingestMs} ms; time to first paint ${paintMs} ms ` +
          `(GET /api/executions/:id/outline + parse + convert ${fetchMs} ms, tree ${treeMs} ms); ${domRows} DOM rows; ` +
          `scroll frames: wheel steps ${fmt(wheel)}, long jumps ${fmt(jump)}`,
      );
      if (count === 100_000) {
        // Search across all spans, step to the third match: its subtree opens and the row is highlighted.
        await page.fill('[data-testid="span-search"]', 'bad item');
        await page.press('[data-testid="span-search"]', 'Enter');
        await page.press('[data-testid="span-search"]', 'Enter');
        await page.press('[data-testid="span-search"]', 'Enter');
        await expect.poll(() => page.locator('[data-testid="span-panel"] h2').textContent()).toMatch(/^item \d+$/);
        expect(await page.locator('[data-testid="match-count"]').textContent()).toMatch(/^3\/\d+$/);
        await screenshot(page, 'waterfall-100k');
      }
      await page.context().close();
    }, 600_000);
  }
});
