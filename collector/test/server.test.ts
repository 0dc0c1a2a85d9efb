/** The server's own routes and defaults: health, metrics, OpenAPI, tokens, headers. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { api, startTestCollector } from './fixtures/collector.js';
import { seed } from './fixtures/seed.js';

describe('an open collector', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const viewerDir = mkdtempSync(join(tmpdir(), 'ft-viewer-'));
    writeFileSync(join(viewerDir, 'index.html'), '<!doctype html><title>flowtrace viewer</title>');
    server = await startTestCollector({ viewerDir });
    await seed(server.url, [{ flow: 'orders', startMs: Date.now() - 1000 }]);
  });
  afterAll(async () => {
    await server.close();
  });

  it('binds to 127.0.0.1 by default and answers /healthz', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await api(server.url, '/healthz')).body).toMatchObject({ status: 'ok' });
  });

  it('counts what it received in Prometheus text at /metrics', async () => {
    const r = await fetch(`${server.url}/metrics`);
    const text = await r.text();
    expect(r.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/flowtrace_items_received_total\{signal="traces"\} 4/);
    expect(text).toMatch(/flowtrace_ingest_requests_total\{signal="traces",status="200"\} 1/);
    expect(text).toMatch(/flowtrace_ingest_latency_ms_count 1/);
    expect(text).toMatch(/flowtrace_batches_committed_total \d+/);
  });

  it('describes its API in OpenAPI at /api/openapi.json', async () => {
    const r = await api(server.url, '/api/openapi.json');
    expect(r.body.openapi).toBe('3.0.3');
    for (const path of ['/api/executions', '/api/executions/{traceId}', '/api/flows', '/api/flows/{name}/stats', '/api/sql', '/api/live', '/v1/traces']) {
      expect(Object.keys(r.body.paths)).toContain(path);
    }
  });

  it('serves the viewer with a content security policy, and index.html for its routes', async () => {
    const page = await fetch(`${server.url}/executions/abc`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('flowtrace viewer');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers unknown API routes with a coded 404, and sends no CORS headers', async () => {
    const r = await fetch(`${server.url}/api/nothing`, { headers: { origin: 'http://evil.example' } });
    expect(r.status).toBe(404);
    expect((await r.json()).code).toBe('FT_ROUTE_NOT_FOUND');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('a collector with tokens', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestCollector({ ingestToken: 'in-secret', queryToken: 'q-secret', corsOrigins: ['http://localhost:5173'] });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['GET', '/api/executions'],
    ['GET', '/api/flows'],
    ['GET', `/api/executions/${'a'.repeat(32)}`],
    ['DELETE', `/api/executions/${'a'.repeat(32)}`],
    ['POST', '/api/sql'],
    ['GET', '/api/live'],
    ['GET', '/metrics'],
    ['POST', '/v1/traces'],
    ['POST', '/v1/logs'],
  ])('answers 401 on %s %s without the right token', async (method, path) => {
    for (const authorization of [undefined, 'Bearer wrong', 'Basic q-secret']) {
      const r = await fetch(server.url + path, { method, headers: authorization ? { authorization } : {} });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('lets each token into its own routes only', async () => {
    const q = { authorization: 'Bearer q-secret' };
    const i = { authorization: 'Bearer in-secret' };
    expect((await fetch(`${server.url}/api/executions`, { headers: q })).status).toBe(200);
    expect((await fetch(`${server.url}/api/executions`, { headers: i })).status).toBe(401);
    const body = JSON.stringify({ resourceSpans: [] });
    expect((await fetch(`${server.url}/v1/traces`, { method: 'POST', body, headers: { ...i, 'content-type': 'application/json' } })).status).toBe(200);
    expect((await fetch(`${server.url}/v1/traces`, { method: 'POST', body, headers: { ...q, 'content-type': 'application/json' } })).status).toBe(401);
  });

  it('takes the query token as access_token on the live stream, where EventSource cannot send headers', async () => {
    const controller = new AbortController();
    const r = await fetch(`${server.url}/api/live?access_token=q-secret`, { signal: controller.signal });
    expect(r.status).toBe(200);
    controller.abort();
    expect((await fetch(`${server.url}/api/executions?access_token=q-secret`)).status).toBe(401);
  });

  it('answers a CORS preflight without the token (browsers send none), and nothing more', async () => {
    const headers = { origin: 'http://localhost:5173', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' };
    const r = await fetch(`${server.url}/api/executions`, { method: 'OPTIONS', headers });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(await r.text()).toBe('');
    expect((await fetch(`${server.url}/api/executions`, { headers: { origin: 'http://localhost:5173' } })).status).toBe(401);
  });

  it('allows the configured CORS origin only', async () => {
    const ok = await fetch(`${server.url}/healthz`, { headers: { origin: 'http://localhost:5173' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await fetch(`${server.url}/healthz`, { headers: { origin: 'http://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
