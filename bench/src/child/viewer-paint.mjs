// Figure 7, in a process of its own: the browser tests' approach (viewer/test/browser): a
// collector serving the built viewer, Debian's Chromium through playwright-core, time from
// navigation to the first painted waterfall rows (plus two animation frames) of a 10k- and a
// 100k-span trace. The viewer paints from the trace outline (span details come per chosen
// span), so the baseline is GET /api/executions/:id/outline alone (fetch + JSON.parse in
// Node); the full trace GET /api/executions/:id, which the viewer loaded before, is timed too,
// both after the paints (see below).
// Prints one JSON line.   node child/viewer-paint.mjs <dir> <sizes comma-separated>
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
if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);

rmSync(join(dir, 'viewer.duckdb'), { force: true });
const server = await startServer({ port: 0, host: '127.0.0.1', dbPath: join(dir, 'viewer.duckdb'), viewerDir: VIEWER_DIST });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const results = [];
try {
  for (const size of sizesArg.split(',').map(Number)) {
    const trace = bigTrace(size, size - 2);
    for (let i = 0; i < trace.spans.length; i += 2000) {
      const res = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: encodeTracesProtobuf(trace.spans.slice(i, i + 2000)) });
      if (res.status !== 200) throw new Error(`ingest ${res.status}: ${await res.text()}`);
    }
    const paints = [];
    const splits = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`${server.url}/executions/${trace.traceId}`);
      await page.locator('[data-testid="span-row"]').first().waitFor({ timeout: 120_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      paints.push(Date.now() - t0);
      // The viewer's own split: outline download + parse + conversion, then the tree.
      const view = page.locator('[data-testid="execution-view"]');
      splits.push({ fetchMs: Number(await view.getAttribute('data-fetch-ms')), treeMs: Number(await view.getAttribute('data-tree-ms')) });
      await context.close();
    }
    // The requests alone, after the paints: this process hosts the collector, and parsing the
    // full trace here (3 × ~80 MB of JSON at 100k spans) left it collecting garbage for seconds,
    // which slowed the paints measured after it (the outline query took 0.8–1.3 s, not 0.2–0.3 s).
    /** Median of 3 fetch + JSON.parse of a route, checking the span count. */
    const timeRoute = async (path, spansOf) => {
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const body = await (await fetch(`${server.url}${path}`)).json();
        runs.push(performance.now() - t0);
        if (spansOf(body) !== trace.spans.length) throw new Error(`${path}: ${spansOf(body)} of ${trace.spans.length} spans`);
      }
      return runs.sort((a, b) => a - b)[1];
    };
    const apiMs = await timeRoute(`/api/executions/${trace.traceId}/outline`, (body) => body.spans.length);
    const fullMs = await timeRoute(`/api/executions/${trace.traceId}`, (body) => body.spans.length);
    const median = paints.slice().sort((a, b) => a - b)[1];
    results.push({ spans: trace.spans.length, paintMs: median, paints, apiMs, fullMs, split: splits[paints.indexOf(median)] });
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(results));
