/**
 * A collector restart keeps the screen: while the collector is gone the list and the open
 * execution stay as they were, under a "reconnecting" banner (the live stream's polling
 * fallback must not replace them with an error), and both catch up once it is back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeExecution } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendLogs, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector | undefined;
let browser: Browser;
let page: Page;
const dir = mkdtempSync(join(tmpdir(), 'ft-restart-'));
const dbPath = join(dir, 'flowtrace.duckdb');
const now = Date.now();
const runs = [0, 1, 2].map((i) => makeExecution({
  flowName: `nightly-${i}`, startMs: now - 60_000 + i * 1000,
  nodes: [{ name: 'extract', durationMs: 20, console: [{ body: 'extracted 12 rows' }] }, { name: 'load', durationMs: 30 }],
}));

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector({ dbPath });
  await sendSpans(collector.url, 'etl', runs.flatMap((r) => [r.root, ...r.nodes]));
  await sendLogs(collector.url, 'etl', runs.flatMap((r) => r.logs));
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = () => page.locator('[data-testid="execution-row"]');
const waterfallRows = () => page.locator('[data-testid="execution-view"] [role="treeitem"]');

describe('a collector restart', () => {
  it('keeps the list and the open execution under a reconnecting banner, then catches up', async () => {
    const url = collector!.url;
    const port = Number(new URL(url).port);
    await page.goto(`${url}/?trace=${runs[1].traceId}`);
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(3);
    await expect.poll(() => waterfallRows().count(), { timeout: 15_000 }).toBe(3);

    await collector!.close();
    collector = undefined;
    const banner = page.locator('[data-testid="reconnecting"]');
    await banner.waitFor({ timeout: 15_000 });
    // Past the fallback to polling and at least one of its refetches, which fail.
    const indicator = page.locator('[data-testid="live-indicator"]');
    await expect.poll(() => indicator.textContent(), { timeout: 20_000 }).toContain('Polling');
    await page.waitForTimeout(6_000);
    expect(await rows().count()).toBe(3);
    expect(await waterfallRows().count()).toBe(3);
    expect(await page.locator('[data-testid="error"]').count()).toBe(0);
    expect(await page.locator('[data-testid="execution-view"]').getAttribute('data-trace-id')).toBe(runs[1].traceId);
    await screenshot(page, 'collector-reconnecting');

    collector = await startCollector({ dbPath, port });
    const late = makeExecution({ flowName: 'after-restart', startMs: Date.now() - 100, nodes: [{ name: 'step', durationMs: 5 }] });
    await sendSpans(collector.url, 'etl', [late.root, ...late.nodes]);
    await expect.poll(() => banner.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => rows().first().getAttribute('data-trace-id'), { timeout: 15_000 }).toBe(late.traceId);
    expect(await rows().count()).toBe(4);
    expect(await waterfallRows().count()).toBe(3);
  });
});
