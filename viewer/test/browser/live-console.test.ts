/**
 * Console lines of a node that is still running appear in the span panel as they are sent:
 * the trace's own live stream carries them (no span starts or ends in between to prompt a
 * refetch), and a line the panel already fetched is not shown twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hex, msToNs, startMark, type FixtureLog, type FixtureSpan } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendLogs, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
let page: Page;
const traceId = hex(16);
const started = Date.now() - 2_000;
const root: FixtureSpan = { traceId, spanId: hex(8), name: 'import-orders', kind: 2, startNs: msToNs(started), endNs: msToNs(started), attributes: { 'flow.execution.kind': 'flow', 'flow.name': 'import-orders' } };
const node: FixtureSpan = {
  traceId, spanId: hex(8), parentSpanId: root.spanId, name: 'fetch pages', startNs: msToNs(started + 5), endNs: msToNs(started + 5),
  attributes: { 'flow.node.id': 'node-0', 'flow.node.name': 'fetch pages', 'flow.node.type': 'http', 'flow.node.index': 0 },
};
const line = (body: string, severityNumber = 9): FixtureLog => ({ traceId, spanId: node.spanId, timeNs: msToNs(Date.now()), severityText: severityNumber >= 17 ? 'ERROR' : 'INFO', severityNumber, body });

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  await sendLogs(collector.url, 'importer', [startMark(root), startMark(node), line('page 1 of 5 fetched')]);
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

const bodies = () => page.locator('[data-testid="console-lines"] .body').allTextContents();

describe('live console lines', () => {
  it('appends the lines of a running node to the span panel as they arrive', async () => {
    await page.goto(`${collector.url}/?trace=${traceId}&span=${node.spanId}`);
    await expect.poll(bodies, { timeout: 15_000 }).toEqual(['page 1 of 5 fetched']);
    await page.waitForTimeout(500); // the trace's stream is open
    for (const n of [2, 3, 4]) {
      await sendLogs(collector.url, 'importer', [line(`page ${n} of 5 fetched`)]);
      await expect.poll(bodies, { timeout: 10_000 }).toContain(`page ${n} of 5 fetched`);
    }
    await sendLogs(collector.url, 'importer', [line('page 5 failed: upstream said 503', 17)]);
    await expect.poll(bodies, { timeout: 10_000 }).toEqual([
      'page 1 of 5 fetched', 'page 2 of 5 fetched', 'page 3 of 5 fetched', 'page 4 of 5 fetched', 'page 5 failed: upstream said 503',
    ]);
    expect(await page.locator('[data-testid="span-panel"]').getAttribute('data-span-id')).toBe(node.spanId);
    await screenshot(page, 'span-live-console');
  });
});
