// Figure 7, the "why" views (issue 19), in a process of its own like the paint figure: a
// collector serving the built viewer (a process of its own too: why-server.mjs), Chromium
// through playwright-core, two batch-import traces per size (same shape, other ids). Timed per
// size, median of WHY_RUNS (default 3):
//   API: GET …/critical-path, …/stats and …/:a/compare/:b (fetch + JSON.parse here);
//   click to drawn (playwright's click, then the page looked at on every frame): the critical-
//   path toggle until its rows are marked, the Time tab until the table and flame graph are
//   there (each plus two animation frames, as the paint figure waits), and "Compare with
//   marked run" until the compared rows are, in a tab of its own,
//   with where that time goes in the page (page-split.mjs) and when the whole comparison is in.
// With a third argument, a second viewer build (the session's base: `cd /work/base/viewer &&
// npx vite build --outDir /tmp/viewer-base`) is served by a second collector of this checkout
// over the same traces, and the compare click is timed on both, alternating (ABBA), so the
// ratio new / base is measured in the same run. A summary goes to stderr.
// Prints one JSON line.   node child/why-views.mjs <dir> <sizes comma-separated> [base viewer dir]
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { encodeTracesProtobuf } from '../lib/otlp.mjs';
import { installSplit, medianSplit, readSplit, waitComplete } from '../lib/page-split.mjs';
import { bigTrace } from '../lib/workload.mjs';

const [dir, sizesArg = '10000,100000', baseViewer] = process.argv.slice(2);
const RUNS = Number(process.env.WHY_RUNS ?? 3);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIEWER_DIST = fileURLToPath(new URL('../../../viewer/dist', import.meta.url));
for (const d of [VIEWER_DIST, baseViewer].filter(Boolean)) {
  if (!existsSync(join(d, 'index.html'))) throw new Error(`viewer not built: ${d}/index.html missing (pnpm run build)`);
}

/** Starts why-server.mjs on a fresh database; resolves with { url, close }. */
async function serve(name, viewerDir) {
  rmSync(join(dir, `${name}.duckdb`), { force: true });
  const child = spawn(process.execPath, [fileURLToPath(new URL('./why-server.mjs', import.meta.url)), join(dir, `${name}.duckdb`), viewerDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`why-server.mjs exited (${code}) before listening`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { url, close: async () => { child.kill('SIGTERM'); await exited; } };
}
const server = await serve('why', VIEWER_DIST);
const baseServer = baseViewer ? await serve('why-base', baseViewer) : undefined;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const newContext = () => browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });

async function ingest(srv, trace) {
  for (let i = 0; i < trace.spans.length; i += 2000) {
    const res = await fetch(`${srv.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: encodeTracesProtobuf(trace.spans.slice(i, i + 2000)) });
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
async function open(srv, context, traceId, page) {
  page ??= await context.newPage();
  await page.goto(`${srv.url}/executions/${traceId}`);
  await page.locator('[data-testid="span-row"]').first().waitFor({ timeout: 120_000 });
  return page;
}

/**
 * Milliseconds from a click to `drawn` being in the page, plus two frames. Looked for on every
 * animation frame in the page: a locator's waitFor retries after 20, 100, 100, 500 ms, which
 * put up to 100 ms of its own into the figure.
 */
async function clickToDrawn(page, click, drawn) {
  const t0 = Date.now();
  await page.locator(click).click();
  await page.waitForFunction((selector) => document.querySelector(selector) !== null, drawn, { polling: 'raf', timeout: 120_000 });
  await frames(page);
  return Date.now() - t0;
}

/** One "Compare with marked run" click on `srv`'s viewer: a marked, b open, click; drawn and the split. */
async function compareClick(srv, a, b) {
  const context = await newContext();
  // The mark is kept in the tab's sessionStorage: one tab marks a, then opens b.
  const page = await open(srv, context, a.traceId);
  await page.locator('[data-testid="compare-mark"]').click();
  await open(srv, context, b.traceId, page);
  await installSplit(page);
  const ms = await clickToDrawn(page, '[data-testid="compare-marked"]', '[data-testid="compare-row"]');
  await waitComplete(page);
  const split = await readSplit(page);
  await context.close();
  return { ms, split };
}

const summarize = (samples) => ({ median: median(samples.map((s) => s.ms)), runs: samples.map((s) => s.ms), split: medianSplit(samples.map((s) => s.split)) });
const results = [];
try {
  for (const size of sizesArg.split(',').map(Number)) {
    const a = bigTrace(size - 3, size);
    const b = bigTrace(size - 4, size, BigInt(Date.now() - 30_000) * 1_000_000n);
    for (const srv of [server, baseServer].filter(Boolean)) {
      await ingest(srv, a);
      await ingest(srv, b);
    }
    const api = {
      criticalMs: await timeRoute(`/api/executions/${b.traceId}/critical-path`),
      statsMs: await timeRoute(`/api/executions/${b.traceId}/stats`),
      compareMs: await timeRoute(`/api/executions/${a.traceId}/compare/${b.traceId}`),
      // What the compare view asks for first (compare-prefetch.ts): the route's floor, both traces read and matched.
      compareFirstPageMs: await timeRoute(`/api/executions/${a.traceId}/compare/${b.traceId}?limit=120`),
    };
    const clicks = { criticalMs: [], timeMs: [] };
    for (let i = 0; i < RUNS; i++) {
      const context = await newContext();
      const page = await open(server, context, b.traceId);
      clicks.criticalMs.push(await clickToDrawn(page, '[data-testid="critical-toggle"]', '[data-testid="span-row"].critical'));
      clicks.timeMs.push(await clickToDrawn(page, '[data-testid="view-time"]', '[data-testid="flame-frame"]'));
      await context.close();
    }
    const compare = [];
    const base = [];
    for (let i = 0; i < RUNS; i++) {
      // ABBA: neither build always goes first while the machine warms up or other work comes and goes.
      const order = !baseServer ? ['new'] : i % 2 === 0 ? ['new', 'base'] : ['base', 'new'];
      for (const which of order) (which === 'new' ? compare : base).push(await compareClick(which === 'new' ? server : baseServer, a, b));
    }
    const row = {
      spans: a.spans.length, api, load: loadavg()[0].toFixed(2),
      clicks: { ...Object.fromEntries(Object.entries(clicks).map(([k, runs]) => [k, { median: median(runs), runs }])), compareMs: summarize(compare) },
    };
    if (baseServer) row.baseline = { compareMs: summarize(base) };
    results.push(row);
    report(row);
  }
} finally {
  await browser.close();
  await server.close();
  await baseServer?.close();
}
console.log(JSON.stringify(results));

/** The compare figure, the base viewer's and their ratio, and where the time goes, on stderr. */
function report(row) {
  const c = row.clicks.compareMs;
  const line = (label, x) => `  ${label.padEnd(12)} click to drawn ${String(x.median).padStart(5)} ms (runs ${x.runs.join(', ')}); in the page: `
    + `request sent ${x.split.sent} ms, first byte ${x.split.firstByte}, last byte ${x.split.lastByte}, rows drawn ${x.split.rows}, all rows ${x.split.complete} (${x.split.requests} request${x.split.requests === 1 ? '' : 's'})`;
  process.stderr.write(`compare with marked run, ${row.spans.toLocaleString('en')}-span traces, load ${row.load}; `
    + `GET …/compare alone ${Math.round(row.api.compareMs)} ms (5,000 rows), ?limit=120 alone ${Math.round(row.api.compareFirstPageMs)} ms\n`);
  process.stderr.write(`${line('this viewer', c)}\n`);
  if (row.baseline) {
    const bc = row.baseline.compareMs;
    process.stderr.write(`${line('base viewer', bc)}\n  ratio this / base: ${(c.median / bc.median).toFixed(2)} (click to drawn), ${(c.split.rows / bc.split.rows).toFixed(2)} (click event to rows in the page)\n`);
  }
}
