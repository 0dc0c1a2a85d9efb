/**
 * A collector that requires a query token: the viewer asks for it, keeps it for the tab,
 * sends it on every request and on the live stream; new executions then appear live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeExecution } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendLogs, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let page: Page;
const TOKEN = 'sekret-query-token';

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector({ queryToken: TOKEN });
  const run = makeExecution({ flowName: 'guarded', startMs: Date.now() - 10_000, nodes: [{ name: 'only step', durationMs: 20 }] });
  await sendSpans(collector.url, 'vault', [run.root, ...run.nodes]);
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

const rows = () => page.locator('[data-testid="execution-row"]');

describe('query token and live list', () => {
  it('asks for the token when the collector answers 401, then shows the list', async () => {
    await page.goto(collector.url + '/');
    await page.locator('[data-testid="token-input"]').waitFor({ timeout: 10_000 });
    await screenshot(page, 'token-prompt');
    await page.fill('[data-testid="token-input"]', TOKEN);
    await page.press('[data-testid="token-input"]', 'Enter');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-testid="live-indicator"]').textContent(), { timeout: 10_000 }).toContain('Live');
  });

  it('shows a new execution as soon as it arrives, without a reload', async () => {
    const run = makeExecution({ flowName: 'arrives-live', startMs: Date.now() - 500, nodes: [{ name: 'step', durationMs: 30, console: [{ body: 'hello' }] }] });
    await sendSpans(collector.url, 'vault', [run.root, ...run.nodes]);
    await sendLogs(collector.url, 'vault', run.logs);
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(2);
    expect(await rows().first().getAttribute('data-trace-id')).toBe(run.traceId);
  });

  it('shows the live stream dropping, reconnects by itself and catches up', async () => {
    const port = Number(new URL(collector.url).port);
    await collector.close();
    const indicator = page.locator('[data-testid="live-indicator"]');
    await expect.poll(() => indicator.textContent(), { timeout: 15_000 }).toMatch(/Reconnecting|Polling/);
    collector = await startCollector({ queryToken: TOKEN, port });
    const run = makeExecution({ flowName: 'after-restart', startMs: Date.now() - 100, nodes: [{ name: 'step', durationMs: 5 }] });
    await sendSpans(collector.url, 'vault', [run.root, ...run.nodes]);
    await expect.poll(() => indicator.textContent(), { timeout: 30_000 }).toContain('Live');
    // The new collector is empty apart from this run: the list resynced instead of waiting for events.
    await expect.poll(() => rows().first().getAttribute('data-trace-id'), { timeout: 15_000 }).toBe(run.traceId);
  });

  it('deletes an execution from its page', async () => {
    await rows().first().click();
    page.once('dialog', (d) => void d.accept());
    await page.locator('[data-testid="delete-execution"]').click();
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(0);
    expect(page.url()).not.toContain('trace=');
  });
});
