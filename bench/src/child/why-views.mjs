// Figure 7, the "why" views (issue 19), in a process of its own like the paint figure: a
// collector serving the built viewer, Chromium through playwright-core, two batch-import
// traces per size (same shape, other ids). Timed per size, median of 3:
//   API: GET …/critical-path, …/stats and …/:a/compare/:b (fetch + JSON.parse here);
//   click to drawn: the critical-path toggle until its rows are marked, the Time tab until the
//   table and flame graph are there, "Compare with marked run" until the compared rows are
//   (each plus two animation frames, as the paint figure waits).
// Prints one JSON line.   node child/why-views.mjs <dir> <sizes comma-separated>
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '@flowtrace/collector';
import { encodeTracesProtobuf } from '../lib/otlp.mjs';
import { bigTrace } from '../lib/workload.mjs';

const [dir, sizesArg = '10000,100000'] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIEWER_DIST = fileURLToPath(new URL('../../../viewer/dist', import.meta.url));
if (!existsSync(join(VIEWER_DIST, 'index.html'))) throw new Error(`viewer not built: ${VIEWER_DIST}/index.html missing (pnpm run build)`);

rmSync(join(dir, 'why.duckdb'), { force: true });
const server = await startServer({ port: 0, host: '127.0.0.1', dbPath: join(dir, 'why.duckdb'), viewerDir: VIEWER_DIST });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function ingest(trace) {
  for (let i = 0; i < trace.spans.length; i += 2000) {
    const res = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: encodeTracesProtobuf(trace.spans.slice(i, i + 2000)) });
    if (res.status !== 200) throw new Error(`ingest ${res.status}: ${await res.text()}`);
  }
}

async function timeRoute(path) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const res = await fetch(`${server.url}${path}`);
    if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
    await res.json();
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

/** Opens a trace (in `page`, or a new page of the context) and waits for its waterfall. */
async function open(context, traceId, page) {
  page ??= await context.newPage();
  await page.goto(`${server.url}/executions/${traceId}`);
  await page.locator('[data-testid="span-row"]').first().waitFor({ timeout: 120_000 });
  return page;
}

/** Milliseconds from a click to `drawn` being visible, plus two frames. */
async function clickToDrawn(page, click, drawn) {
  const t0 = Date.now();
  await page.locator(click).click();
  await page.locator(drawn).first().waitFor({ timeout: 120_000 });
  await frames(page);
  return Date.now() - t0;
}

const results = [];
try {
  for (const size of sizesArg.split(',').map(Number)) {
    const a = bigTrace(size - 3, size);
    const b = bigTrace(size - 4, size, BigInt(Date.now() - 30_000) * 1_000_000n);
    await ingest(a);
    await ingest(b);
    const api = {
      criticalMs: await timeRoute(`/api/executions/${b.traceId}/critical-path`),
      statsMs: await timeRoute(`/api/executions/${b.traceId}/stats`),
      compareMs: await timeRoute(`/api/executions/${a.traceId}/compare/${b.traceId}`),
    };
    const clicks = { criticalMs: [], timeMs: [], compareMs: [] };
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
      // The mark is kept in the tab's sessionStorage: one tab marks a, then opens b.
      const page = await open(context, a.traceId);
      await page.locator('[data-testid="compare-mark"]').click();
      await open(context, b.traceId, page);
      clicks.criticalMs.push(await clickToDrawn(page, '[data-testid="critical-toggle"]', '[data-testid="span-row"].critical'));
      clicks.timeMs.push(await clickToDrawn(page, '[data-testid="view-time"]', '[data-testid="flame-frame"]'));
      await page.locator('[data-testid="view-waterfall"]').click();
      clicks.compareMs.push(await clickToDrawn(page, '[data-testid="compare-marked"]', '[data-testid="compare-row"]'));
      await context.close();
    }
    results.push({
      spans: a.spans.length, api,
      clicks: Object.fromEntries(Object.entries(clicks).map(([k, runs]) => [k, { median: median(runs), runs }])),
    });
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(results));
