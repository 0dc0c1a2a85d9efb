/**
 * Browser-test harness: a real collector in this process (in-memory DuckDB, the built
 * viewer as its static files), Debian's Chromium driven by playwright-core, OTLP/HTTP JSON
 * posts to fill it, and screenshots into docs/screenshots. A missing Chromium fails loudly.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeOtlpLogs, makeOtlpTraces, type FixtureLog, type FixtureSpan } from '../fixtures/otlp.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const VIEWER_DIST = process.env.FLOWTRACE_VIEWER_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));

export interface Collector {
  url: string;
  close(): Promise<void>;
}

/** Starts a collector on 127.0.0.1:<free port> serving the built viewer. */
export async function startCollector(extra: { queryToken?: string; controlToken?: string; port?: number; dbPath?: string } = {}): Promise<Collector> {
  if (!existsSync(`${VIEWER_DIST}/index.html`)) {
    throw new Error(`The viewer is not built (${VIEWER_DIST}/index.html missing): run \`pnpm --filter @flowtrace/viewer build\` first.`);
  }
  const collector = await import('@flowtrace/collector').catch((err: Error) => {
    throw new Error(`Cannot load @flowtrace/collector (${err.message}); build it first: pnpm --filter @flowtrace/collector build`);
  });
  const { startServer } = collector as unknown as {
    startServer(o: { port: number; host: string; dbPath: string; viewerDir: string; queryToken?: string; controlToken?: string }): Promise<Collector>;
  };
  return startServer({ port: 0, host: '127.0.0.1', dbPath: ':memory:', viewerDir: VIEWER_DIST, ...extra });
}

/** Launches Debian's Chromium; throws with the install command when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function newPage(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[browser] ${err.message}`));
  page.on('console', (msg) => {
    // Failed requests the tests provoke on purpose (401 before the token, a bad SQL query) are expected.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) console.error(`[browser console] ${msg.text()}`);
  });
  return page;
}

async function post(base: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path} → ${res.status}: ${await res.text()}`);
  const answer = (await res.json().catch(() => ({}))) as { partialSuccess?: { rejectedSpans?: string | number; rejectedLogRecords?: string | number; rejectedDataPoints?: string | number; errorMessage?: string } };
  const rejected = Number(answer.partialSuccess?.rejectedSpans ?? answer.partialSuccess?.rejectedLogRecords ?? answer.partialSuccess?.rejectedDataPoints ?? 0);
  if (rejected > 0) throw new Error(`POST ${path}: ${rejected} rejected: ${answer.partialSuccess?.errorMessage}`);
}

/** Sends spans through POST /v1/traces in batches under the body cap. */
export async function sendSpans(base: string, serviceName: string, spans: FixtureSpan[], batch = 5000): Promise<void> {
  for (let i = 0; i < spans.length; i += batch) await post(base, '/v1/traces', makeOtlpTraces(serviceName, spans.slice(i, i + batch)));
}

/** Sends log records (console lines, start marks) through POST /v1/logs. */
export async function sendLogs(base: string, serviceName: string, logs: FixtureLog[]): Promise<void> {
  if (logs.length > 0) await post(base, '/v1/logs', makeOtlpLogs(serviceName, logs));
}

/** Sends an OTLP/JSON metrics request (fixtures/otlp-metrics.ts) through POST /v1/metrics. */
export async function sendMetrics(base: string, request: unknown): Promise<void> {
  await post(base, '/v1/metrics', request);
}

/** Saves a screenshot of the page as docs/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}/${name}.png`;
  await page.screenshot({ path });
  return path;
}
