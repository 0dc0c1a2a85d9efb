/**
 * Token mode beyond the first tab: the OTLP download sends the token (a plain link cannot),
 * and a deep link opened in a new tab of the same browser session gets the token from the tab
 * that has it instead of asking again.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeExecution } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let page: Page;
let context: BrowserContext;
const TOKEN = 'tab-token-42';
const run = makeExecution({ flowName: 'payout', startMs: Date.now() - 30_000, nodes: [{ name: 'transfer', durationMs: 15 }, { name: 'notify', durationMs: 5 }] });

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector({ queryToken: TOKEN });
  await sendSpans(collector.url, 'bank', [run.root, ...run.nodes]);
  page = await newPage(browser);
  context = page.context();
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

describe('token mode', () => {
  it('downloads the OTLP JSON of an execution with the token', async () => {
    await page.goto(`${collector.url}/?trace=${run.traceId}`);
    await page.locator('[data-testid="token-input"]').waitFor({ timeout: 15_000 });
    await page.fill('[data-testid="token-input"]', TOKEN);
    await page.press('[data-testid="token-input"]', 'Enter');
    const link = page.locator('[data-testid="download-otlp"]');
    await link.waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), link.click()]);
    expect(download.suggestedFilename()).toBe(`trace-${run.traceId}.otlp.json`);
    const body = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string }> }> }> };
    const spans = body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(spans).toHaveLength(3);
    expect(new Set(spans.map((s) => s.traceId.toLowerCase()))).toEqual(new Set([run.traceId]));
  });

  it('opens a deep link in a new tab without asking for the token again', async () => {
    const tab = await context.newPage();
    await tab.goto(`${collector.url}/?trace=${run.traceId}&span=${run.nodes[0].spanId}`);
    await expect.poll(() => tab.locator('[data-testid="span-panel"]').getAttribute('data-span-id'), { timeout: 15_000 }).toBe(run.nodes[0].spanId);
    expect(await tab.locator('[data-testid="token-input"]').count()).toBe(0);
    // The list is fetched apart from the trace: its row may come after the span panel.
    await expect.poll(() => tab.locator('[data-testid="execution-row"]').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => tab.locator('[data-testid="live-indicator"]').textContent(), { timeout: 15_000 }).toContain('Live');
    await screenshot(tab, 'token-new-tab');
    await tab.close();
  });
});
