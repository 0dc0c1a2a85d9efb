import { afterAll, beforeAll, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeBigTrace } from '../fixtures/otlp.js';
import { launchBrowser, newPage, sendSpans, startCollector, type Collector } from './harness.js';

let collector: Collector;
let browser: Browser;
beforeAll(async () => { browser = await launchBrowser(); collector = await startCollector(); }, 600_000);
afterAll(async () => { await browser?.close(); await collector?.close(); });

it('profiles', async () => {
  const trace = makeBigTrace(100_000, Date.now() - 60_000);
  await sendSpans(collector.url, 'batch', trace.spans, 5000);
  let t = Date.now();
  const res = await fetch(`${collector.url}/api/executions/${trace.traceId}`);
  const text = await res.text();
  console.log('server fetch ms', Date.now() - t, 'bytes', text.length);
  t = Date.now(); JSON.parse(text); console.log('node parse ms', Date.now() - t);
  const page = await newPage(browser);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  t = Date.now();
  await page.goto(`${collector.url}/executions/${trace.traceId}`);
  await page.locator('[data-testid="span-row"]').first().waitFor({ timeout: 120_000 });
  console.log('paint ms', Date.now() - t);
  const summarize = async (label: string) => {
    const { profile } = (await cdp.send('Profiler.stop')) as any;
    const self = new Map<string, number>();
    const dt = profile.timeDeltas as number[];
    const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
    profile.samples.forEach((id: number, i: number) => {
      const n = byId.get(id);
      const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
    });
    console.log(label, [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${v.toFixed(0)}ms ${k}`).join('\n'));
  };
  await summarize('LOAD');
  await cdp.send('Profiler.start');
  await page.evaluate(async () => {
    const el = document.querySelector('[data-testid="waterfall-scroller"]') as HTMLElement;
    for (let i = 0; i < 30; i++) { el.scrollTop += el.scrollHeight / 80; await new Promise((r) => requestAnimationFrame(r)); }
  });
  await summarize('SCROLL');
}, 600_000);
