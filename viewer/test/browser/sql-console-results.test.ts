/**
 * The SQL console's answers: a syntax error reported as one with DuckDB's caret line under
 * the place, ids in the result that open their execution, a chart that says when it draws
 * part of the result, and a completion popup that a run closes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeExecution } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let page: Page;
let run: ReturnType<typeof makeExecution>;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  run = makeExecution({ flowName: 'checkout', startMs: Date.now() - 60_000, nodes: [{ name: 'charge card', durationMs: 20 }] });
  await sendSpans(collector.url, 'shop', [run.root, ...run.nodes]);
  page = await newPage(browser);
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

const sqlPage = (sql: string) => page.goto(`${collector.url}/sql?q=${encodeURIComponent(sql)}`);

describe('SQL console', () => {
  it('reports a syntax error as one, with the caret under the place', async () => {
    await sqlPage('SELECT count(* FROM spans');
    const error = page.locator('[data-testid="sql-error"]');
    await expect.poll(() => error.getAttribute('data-kind'), { timeout: 10_000 }).toBe('syntax');
    expect(await error.locator('strong').textContent()).toBe('Syntax error');
    const lines = (await error.locator('[data-testid="sql-error-text"]').textContent())!.split('\n');
    expect(lines[0]).toBe('syntax error at or near "FROM"');
    expect(lines.slice(-2)).toEqual(['LINE 1: SELECT count(* FROM spans', `${' '.repeat('LINE 1: SELECT count(* '.length)}^`]);
    // The caret stands under FROM on screen too (monospace, whitespace kept).
    const [lineBox, caretBox] = await error.locator('[data-testid="sql-error-text"]').evaluate((el) => {
      const text = el.firstChild!;
      const range = document.createRange();
      const at = (i: number) => { range.setStart(text, i); range.setEnd(text, i + 1); return range.getBoundingClientRect().left; };
      const s = text.textContent!;
      return [at(s.indexOf('FROM spans')), at(s.lastIndexOf('^'))];
    });
    expect(Math.abs(lineBox - caretBox)).toBeLessThan(2);
    await screenshot(page, 'sql-syntax-error');
  });

  it('links trace_id and span_id cells to the execution', async () => {
    await sqlPage(`SELECT trace_id, span_id, name FROM spans WHERE trace_id = '${run.traceId}' AND name = 'charge card'`);
    const links = page.locator('[data-testid="sql-id-link"]');
    await expect.poll(() => links.count(), { timeout: 10_000 }).toBe(2);
    expect(await links.nth(0).getAttribute('href')).toBe(`/executions/${run.traceId}`);
    expect(await links.nth(1).getAttribute('href')).toBe(`/executions/${run.traceId}?span=${run.nodes[0].spanId}`);
    await links.nth(1).click();
    await expect.poll(() => page.locator('[data-testid="span-panel"] h2').textContent(), { timeout: 10_000 }).toBe('charge card');
  });

  it('says when the chart draws part of the result', async () => {
    await sqlPage('SELECT i::VARCHAR AS label, i AS a, i*2 AS b, i*3 AS c, i*4 AS d, i*5 AS e, i*6 AS f, i*7 AS g FROM range(700) t(i)');
    await expect.poll(() => page.locator('[data-testid="sql-summary"]').textContent(), { timeout: 10_000 }).toContain('700 rows');
    await page.getByRole('button', { name: 'Chart' }).click();
    expect(await page.locator('[data-testid="chart-partial"]').textContent()).toContain('the first 500 of 700 rows and 6 of 7 series');
  });

  it('closes the completion popup when a run starts', async () => {
    await sqlPage('SELECT 1');
    await expect.poll(() => page.locator('[data-testid="sql-result"]').count(), { timeout: 10_000 }).toBe(1);
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('SELECT trace_id FROM execu');
    const popup = page.locator('.cm-tooltip-autocomplete');
    await expect.poll(() => popup.count(), { timeout: 5_000 }).toBe(1);
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('[data-testid="sql-error"], [data-testid="sql-result"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await popup.count()).toBe(0);
  });
});
