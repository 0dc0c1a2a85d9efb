// Figure 7, in a process of its own: the browser tests' approach (viewer/test/browser): a
// collector serving the built viewer, Debian's Chromium through playwright-core, time from
// navigation to the first painted waterfall rows (plus two animation frames) of a 10k- and a
// 100k-span trace. Baseline: GET /api/executions/:id alone (fetch + JSON.parse in Node).
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
    const apiRuns = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const body = await (await fetch(`${server.url}/api/executions/${trace.traceId}`)).json();
      apiRuns.push(performance.now() - t0);
      if (body.spans.length !== trace.spans.length) throw new Error(`stored ${body.spans.length} of ${trace.spans.length}`);
    }
    const paints = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`${server.url}/executions/${trace.traceId}`);
      await page.locator('[data-testid="span-row"]').first().waitFor({ timeout: 120_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      paints.push(Date.now() - t0);
      await context.close();
    }
    results.push({ spans: trace.spans.length, paintMs: paints.sort((a, b) => a - b)[1], paints, apiMs: apiRuns.sort((a, b) => a - b)[1] });
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(results));
