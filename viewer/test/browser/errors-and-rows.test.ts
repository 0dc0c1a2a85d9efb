/**
 * Finding the error and reading the rows: a TCP connection of the example line server with a
 * failed command (run for real, exporting to the collector), rows that name their span, node
 * and attempt in their service's colour, a keyboard that stays in the waterfall, a trace whose
 * root has not arrived, and the span panel's small parts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hex, makeExecution, msToNs, startMark, type FixtureSpan } from '../fixtures/otlp.js';
import { launchBrowser, newPage, screenshot, sendLogs, sendSpans, startCollector, type Collector } from './harness.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/dist/', import.meta.url));

let collector: Collector;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  collector = await startCollector();
  page = await newPage(browser);
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

/** Runs the example line server against the collector, holds one conversation, stops it (which flushes). */
async function tcpConversation(lines: string[]): Promise<string[]> {
  const child: ChildProcess = spawn(process.execPath, [`${EXAMPLES}tcp-server.js`], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the line server exited (${code}) before listening`)));
      child.stdout!.on('data', (d: Buffer) => {
        const m = /listening on (\S+)/.exec(String(d));
        if (m) resolve(m[1]);
      });
    });
    const { tcpSession } = (await import(`${EXAMPLES}clients.js`)) as { tcpSession(url: string, lines: string[]): Promise<string[]> };
    const replies = await tcpSession(url, lines);
    // Stopping the server ends what still runs as cancelled: wait until the closed connection is stored.
    await expect.poll(async () => {
      const body = (await (await fetch(`${collector.url}/api/executions?flow=line-server`)).json()) as { executions: Array<{ status: string }> };
      return body.executions[0]?.status;
    }, { timeout: 15_000 }).toBe('success');
    return replies;
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

const rows = () => page.locator('[data-testid="span-row"]');
const row = (text: string) => rows().filter({ hasText: text }).first();

describe('a run whose children failed', () => {
  it('shows the failed command in the list, the header and the TCP runs view though the connection ended OK', async () => {
    const replies = await tcpConversation(['PING', 'FAIL', 'SUM 1 2']);
    expect(replies).toEqual(['PONG', 'ERR command FAIL always fails', '3', 'BYE']);
    await page.goto(`${collector.url}/?flow=line-server`);
    const listed = page.locator('[data-testid="execution-row"]').first();
    await expect.poll(() => listed.getAttribute('data-status'), { timeout: 15_000 }).toBe('success');
    // The list already said it (today too): the root is OK, one span failed, with its message.
    expect(await listed.locator('[data-testid="error-count"]').textContent()).toBe('1 err');
    expect(await listed.textContent()).toContain('command FAIL always fails');
    await listed.click();
    const error = page.locator('[data-testid="execution-error"]');
    await expect.poll(() => error.textContent(), { timeout: 10_000 }).toContain('command FAIL always fails');
    expect(await error.locator('[data-testid="failed-spans"]').textContent()).toContain('1 span failed in a run that ended OK');
    const runs = page.locator('[data-testid="tcp-runs"] li');
    await expect.poll(() => runs.locator('[data-testid="tcp-run-label"]').allTextContents()).toEqual(['PING', 'FAIL', 'SUM', 'data']);
    expect(await runs.nth(1).getAttribute('data-failed')).toBe('true');
    expect(await runs.nth(0).getAttribute('data-failed')).toBe('false');
    await expect.poll(() => page.locator('[data-testid="tcp-runs"] .conn').textContent()).toMatch(/Connection from 127\.0\.0\.1:\d+/);
    await screenshot(page, 'tcp-connection-failed-command');
    await error.locator('[data-testid="first-failed-span"]').click();
    await expect.poll(() => page.locator('[data-testid="span-panel"] h2').textContent()).toBe('FAIL');
  });
});

describe('waterfall rows', () => {
  let traceId: string;
  beforeAll(async () => {
    const t = Date.now() - 20_000;
    const run = makeExecution({
      flowName: 'checkout',
      startMs: t,
      nodes: [
        { name: 'load cart', durationMs: 10 },
        { name: 'charge card', spanName: 'POST /charge', id: 'charge', durationMs: 30, error: 'gateway timeout' },
        { name: 'charge card', spanName: 'POST /charge', id: 'charge', durationMs: 25 },
        { name: 'send receipt', durationMs: 8 },
      ],
    });
    // The payment service's span under the second attempt: another service, another colour.
    const payment: FixtureSpan = { traceId: run.traceId, spanId: hex(8), parentSpanId: run.nodes[2].spanId, name: 'authorize', startNs: run.nodes[2].startNs + 1000n, endNs: run.nodes[2].endNs - 1000n };
    await sendSpans(collector.url, 'shop', [run.root, ...run.nodes]);
    await sendSpans(collector.url, 'payments', [payment]);
    traceId = run.traceId;
  });

  it('name the span, the node beside it when it differs, and the attempt of a repeated node', async () => {
    await page.goto(`${collector.url}/executions/${traceId}`);
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(6);
    const labels = await rows().locator('[data-testid="span-label"]').allTextContents();
    expect(labels).toEqual(['checkout', 'load cart', 'POST /charge · charge card', 'POST /charge · charge card', 'authorize', 'send receipt']);
    expect(await rows().locator('[data-testid="span-repeat"]').allTextContents()).toEqual(['attempt 1', 'attempt 2']);
  });

  it('colour bars by service and mark a failed span instead of recolouring it', async () => {
    const color = (text: string) => row(text).locator('[data-testid="span-bar"]').evaluate((el) => getComputedStyle(el).getPropertyValue('--svc'));
    const shop = await color('load cart');
    expect(shop).toBe(await color('send receipt'));
    expect(await color('authorize')).not.toBe(shop);
    const failed = rows().nth(2).locator('[data-testid="span-bar"]');
    expect(await failed.evaluate((el) => el.classList.contains('error'))).toBe(true);
    expect(await failed.evaluate((el) => getComputedStyle(el).boxShadow)).toContain('214, 69, 69');
    await screenshot(page, 'waterfall-rows');
  });

  it('draws no bar for spans outside a zoomed window', async () => {
    const mini = page.locator('[data-testid="minimap"]');
    const box = (await mini.boundingBox())!;
    // The last ~15 % of the trace: send receipt only.
    await page.mouse.move(box.x + box.width * 0.86, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.995, box.y + 10, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.locator('[data-testid="zoom-reset"]').count()).toBe(1);
    expect(await row('load cart').locator('[data-testid="span-bar"]').count()).toBe(0);
    expect(await row('send receipt').locator('[data-testid="span-bar"]').count()).toBe(1);
    await page.locator('[data-testid="zoom-reset"]').click();
    expect(await row('load cart').locator('[data-testid="span-bar"]').count()).toBe(1);
  });
});

describe('the keyboard', () => {
  let traceId: string;
  beforeAll(async () => {
    const run = makeExecution({ flowName: 'batch', startMs: Date.now() - 30_000, nodes: Array.from({ length: 120 }, (_, i) => ({ name: `item ${i}`, durationMs: 1 })) });
    await sendSpans(collector.url, 'worker', [run.root, ...run.nodes]);
    traceId = run.traceId;
  });
  const inWaterfall = () => page.evaluate(() => !!document.activeElement?.closest('[data-testid="waterfall"]'));
  const selected = () => page.locator('[data-testid="span-panel"] h2').textContent();

  it('focuses the span search with / on a freshly opened trace', async () => {
    await page.goto(`${collector.url}/executions/${traceId}`);
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBeGreaterThan(10);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('span-search');
  });

  it('stays in the waterfall after PageDown and End moved the chosen row out of the DOM', async () => {
    await row('item 0').click();
    expect(await inWaterfall()).toBe(true);
    await page.keyboard.press('PageDown');
    expect(await inWaterfall()).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(selected).toBe('item 119');
    expect(await inWaterfall()).toBe(true);
    await page.keyboard.press('k');
    await expect.poll(selected).toBe('item 118');
    await page.keyboard.press('Home');
    await page.keyboard.press('j');
    await expect.poll(selected).toBe('item 0');
  });

  it('stays in the waterfall after collapsing the chosen row with its toggle', async () => {
    await rows().first().click();
    await rows().first().locator('[data-testid="span-toggle"]').click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await inWaterfall()).toBe(true);
    await page.keyboard.press('l');
    // Rows are virtualized: the count of rows shown is in the waterfall's head.
    await expect.poll(() => page.locator('[data-testid="waterfall"] .name-h b').textContent()).toBe('121');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid="span-panel"]').count()).toBe(0);
  });
});

describe('a trace whose root has not arrived', () => {
  it('says so at once, with the count of spans without their parent, not as running or continued from elsewhere', async () => {
    const t = Date.now() - 10_000;
    const run = makeExecution({ flowName: 'slow-root', startMs: t, nodes: [{ name: 'first', durationMs: 40 }, { name: 'second', durationMs: 60 }] });
    await sendSpans(collector.url, 'shop', run.nodes);
    await page.goto(`${collector.url}/executions/${run.traceId}`);
    const header = page.locator('[data-testid="execution-header"]');
    await expect.poll(() => header.locator('[data-testid="execution-incomplete"]').textContent(), { timeout: 10_000 }).toBe('incomplete: 2 spans without their parent');
    expect(await header.locator('[data-status]').first().getAttribute('data-status')).toBe('incomplete');
    expect(await header.textContent()).not.toContain('continues a trace from elsewhere');
    await screenshot(page, 'execution-incomplete');
  });

  it('does not tick as running when only a node has started', async () => {
    const t = Date.now() - 5_000;
    const run = makeExecution({ flowName: 'node-first', startMs: t, nodes: [{ name: 'working', durationMs: 60_000 }] });
    await sendLogs(collector.url, 'shop', [startMark(run.nodes[0])]);
    await page.goto(`${collector.url}/executions/${run.traceId}`);
    const header = page.locator('[data-testid="execution-header"]');
    await expect.poll(() => header.locator('[data-testid="execution-incomplete"]').textContent(), { timeout: 10_000 }).toBe('incomplete: 1 span without its parent');
    expect(await header.locator('[data-status]').first().getAttribute('data-status')).toBe('incomplete');
  });
});

describe('the span panel and the header', () => {
  let run: ReturnType<typeof makeExecution>;
  beforeAll(async () => {
    const t = Date.now() - 40_000;
    run = makeExecution({ flowName: 'a flow whose name is long enough to be cut in a narrow window', startMs: t, nodes: [{ name: 'step', durationMs: 50 }] });
    const step = run.nodes[0];
    step.events = [
      { name: 'third', timeNs: step.startNs + msToNs(30) },
      { name: 'first', timeNs: step.startNs + msToNs(10) },
      { name: 'second', timeNs: step.startNs + msToNs(20) },
    ];
    step.links = [{ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), attributes: { 'link.reason': 'retry of' } }];
    await sendSpans(collector.url, 'shop', [run.root, ...run.nodes]);
  });

  it('lists span events in time order and shows link attributes', async () => {
    await page.goto(`${collector.url}/executions/${run.traceId}?span=${run.nodes[0].spanId}`);
    const panel = page.locator('[data-testid="span-panel"]');
    await expect.poll(() => panel.locator('.event b').allTextContents(), { timeout: 10_000 }).toEqual(['first', 'second', 'third']);
    expect(await panel.locator('[data-testid="span-link"]').textContent()).toContain('retry of');
  });

  it('says when the span in the URL is not in the trace', async () => {
    await page.goto(`${collector.url}/executions/${run.traceId}?span=${'e'.repeat(16)}`);
    await expect.poll(() => page.locator('[data-testid="span-not-found"]').textContent(), { timeout: 10_000 }).toContain('e'.repeat(16));
  });

  it('keeps the execution title readable at 600 px', async () => {
    const narrow = await newPage(browser);
    await narrow.setViewportSize({ width: 600, height: 800 });
    const title = narrow.locator('[data-testid="execution-header"] h1');
    for (const url of [`/executions/${run.traceId}`, `/?trace=${run.traceId}`]) {
      await narrow.goto(collector.url + url);
      await expect.poll(() => title.textContent(), { timeout: 10_000 }).toContain('a flow whose name');
      const w = await title.evaluate((el) => el.getBoundingClientRect().width);
      expect(w, url).toBeGreaterThan(120);
    }
    await screenshot(narrow, 'execution-600px');
    await narrow.context().close();
  });
});
