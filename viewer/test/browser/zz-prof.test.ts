import { afterAll, beforeAll, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeBigTrace } from '../fixtures/otlp.js';
import { launchBrowser, newPage, sendSpans } from './harness.js';

let browser: Browser;
beforeAll(async () => { browser = await launchBrowser(); }, 600_000);
afterAll(async () => { await browser?.close(); });

it('compares', async () => {
  const { startServer } = (await import('@flowtrace/collector')) as any;
  const trace = makeBigTrace(10_000, Date.now() - 60_000);
  const servers: any[] = [];
  for (const d of ['a', 'b', 'c']) {
    const srv = await startServer({ port: 0, host: '127.0.0.1', dbPath: ':memory:', viewerDir: `/tmp/ft-${d}` });
    await sendSpans(srv.url, 'batch', trace.spans, 5000);
    servers.push([d, srv]);
  }
  const best: Record<string, Record<string, number>> = {};
  for (let round = 0; round < 3; round++) {
    for (const [d, srv] of servers) {
      const page = await newPage(browser);
      await page.goto(`${srv.url}/executions/${trace.traceId}`);
      await page.locator('[data-testid="span-row"]').first().waitFor({ timeout: 120_000 });
      const r = await page.evaluate(async () => {
        const el = document.querySelector('[data-testid="waterfall-scroller"]') as HTMLElement;
        const out: Record<string, number> = {};
        for (const step of [120, 4000]) {
          let total = 0;
          for (let i = 0; i < 40; i++) {
            const t0 = performance.now();
            el.scrollTop += step;
            el.dispatchEvent(new Event('scroll'));
            await Promise.resolve(); await Promise.resolve();
            void el.offsetHeight;
            total += performance.now() - t0;
            await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          }
          out[`s${step}`] = +(total / 40).toFixed(2);
        }
        return out;
      });
      best[d] ??= { s120: 1e9, s4000: 1e9 };
      for (const k of Object.keys(r)) best[d][k] = Math.min(best[d][k], r[k]);
      await page.context().close();
    }
  }
  console.log('RESULT', JSON.stringify(best));
  for (const [, srv] of servers) await srv.close();
}, 600_000);
