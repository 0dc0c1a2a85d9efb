/**
 * The Flows pages and the SQL console against a real collector: statistics per flow and
 * per node, charts, and queries that return rows or show the API's error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeExecution } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendLogs, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  const now = Date.now();
  const spans = [];
  const logs = [];
  for (let i = 0; i < 56; i++) {
    const fail = i % 7 === 3;
    const run = makeExecution({
      flowName: i >= 40 ? 'paged' : i % 3 === 0 ? 'nightly-export' : 'checkout',
      startMs: now - (56 - i) * 9 * 60_000,
      userId: ['alice', 'bob', 'carol'][i % 3],
      trigger: i % 3 === 0 ? 'scheduled' : 'http',
      nodes: [
        { name: 'validate', durationMs: 5 + (i % 4) },
        { name: 'charge card', durationMs: 40 + ((i * 37) % 90), error: fail ? 'card declined' : undefined },
        ...(fail ? [] : [{ name: 'notify', durationMs: 8 + (i % 5) }]),
      ],
    });
    spans.push(run.root, ...run.nodes);
    logs.push(...run.logs);
  }
  // a flow that last ran 40 days ago: the Flows list counts all history, and its page opens on all of it
  const archived = makeExecution({ flowName: 'archive', startMs: now - 40 * 86_400_000, nodes: [{ name: 'compress', durationMs: 30 }, { name: 'upload', durationMs: 60 }] });
  spans.push(archived.root, ...archived.nodes);
  await sendSpans(collector.url, 'shop', spans);
  await sendLogs(collector.url, 'shop', logs);
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

describe('executions list paging', () => {
  it('loads older executions when the end of the list scrolls into view', async () => {
    await page.goto(collector.url + '/');
    // The list is virtualized: data-count says how many rows are loaded, not how many are drawn.
    const list = page.locator('[data-testid="execution-list"]');
    const loaded = async () => Number(await list.getAttribute('data-count'));
    await expect.poll(loaded, { timeout: 10_000 }).toBe(50);
    await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(loaded, { timeout: 10_000 }).toBe(57);
    expect(await page.locator('[data-testid="execution-list"]').textContent()).toContain('57 executions · end of list');
  });
});

describe('flows pages', () => {
  it('lists every flow with its numbers', async () => {
    await page.goto(collector.url + '/flows');
    await expect.poll(() => page.locator('[data-testid="flow-row"]').count(), { timeout: 10_000 }).toBe(4);
    expect(await page.locator('[data-testid="flows-table"]').textContent()).toContain('checkout');
    await screenshot(page, 'flows');
  });

  it('shows a flow over time with charts and per-node statistics', async () => {
    await page.locator('[data-testid="flow-row"] a', { hasText: 'checkout' }).click();
    await expect.poll(() => page.locator('[data-testid="node-stats"] tbody tr').count(), { timeout: 10_000 }).toBe(3);
    // The charts come from their own request: they may draw after the node table.
    await expect.poll(() => page.locator('[data-testid="chart"]').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('[data-testid="node-stats"]').textContent()).toContain('charge card');
    await screenshot(page, 'flow');
  });

  it('opens a flow that last ran weeks ago on all its history, and narrows to a range', async () => {
    await page.goto(collector.url + '/flows');
    await page.locator('[data-testid="flow-row"] a', { hasText: 'archive' }).click();
    await expect.poll(() => page.locator('[data-testid="node-stats"] tbody tr').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('[data-testid="flow-range"]').inputValue()).toBe('all');
    expect(await page.locator('.cards').textContent()).toMatch(/runs\s*1\b/);
    await page.locator('[data-testid="flow-range"]').selectOption('7d');
    await expect.poll(() => page.locator('[data-testid="no-runs-in-range"]').count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: 'Show all time' }).click();
    await expect.poll(() => page.locator('[data-testid="node-stats"] tbody tr').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('[data-testid="flow-range"]').inputValue()).toBe('all');
  });
});

describe('SQL console', () => {
  it('runs a query with Ctrl+Enter and shows the rows', async () => {
    await page.goto(collector.url + '/sql');
    const editor = page.locator('[data-testid="sql-editor"] .cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText("SELECT flow_name, count(*) AS spans FROM spans GROUP BY flow_name ORDER BY flow_name");
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('[data-testid="sql-result"] tbody tr').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="sql-result"]').textContent()).toContain('nightly-export');
    expect(page.url()).toContain('q=');
  });

  it('runs an example query and charts it', async () => {
    await page.locator('[data-testid="sql-example"]', { hasText: 'Slowest nodes' }).click();
    await expect.poll(() => page.locator('[data-testid="sql-result"] tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot(page, 'sql');
    await page.locator('[data-testid="sql-example"]', { hasText: 'Error rate by flow per hour' }).click();
    await expect.poll(() => page.locator('[data-testid="sql-summary"]').textContent(), { timeout: 10_000 }).toMatch(/\d+ rows/);
    await page.getByRole('button', { name: 'Chart' }).click();
    await expect.poll(() => page.locator('[data-testid="chart"] path').count()).toBe(4); // a line per flow: checkout, nightly-export, paged, archive
    await screenshot(page, 'sql-chart');
  });

  it('highlights SQL in the dark theme too', async () => {
    const dark = await newPage(browser, 'dark');
    await dark.goto(collector.url + '/sql?q=' + encodeURIComponent("SELECT status, count(*) AS n FROM executions WHERE flow_name <> 'x' GROUP BY status"));
    await expect.poll(() => dark.locator('[data-testid="sql-result"] tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot(dark, 'sql-dark');
    await dark.context().close();
  });

  it('shows the error the API gives for a bad query', async () => {
    await page.goto(collector.url + '/sql?q=' + encodeURIComponent('SELECT nope FROM nowhere'));
    await expect.poll(() => page.locator('[data-testid="sql-error"]').textContent(), { timeout: 10_000 }).toMatch(/nowhere|FT_/);
  });
});
