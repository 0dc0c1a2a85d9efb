/**
 * Tokens on every route, against a collector process started with --ingest-token and
 * --query-token and --log: every route of the OpenAPI description (but the /healthz liveness
 * probe) and the OTLP receivers answer 401 without the right token (none, wrong, the other one), let the right one in, and
 * the tokens never appear in what the collector prints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';
import { api } from '../fixtures/collector.js';
import { encodeTraceProtobuf } from '../fixtures/otlp.js';
import { executionRequest } from '../fixtures/seed.js';

const INGEST = 'ingest-secret-7f3a9c2e';
const QUERY = 'query-secret-b81d44e0';
const CONTROL = 'control-secret-9d02e7c1';
let cli: CliProcess;
let traceId: string;

beforeAll(async () => {
  cli = await startCli(['--port', '0', '--host', '127.0.0.1', '--db', ':memory:', '--ingest-token', INGEST, '--query-token', QUERY, '--control-token', CONTROL, '--log']);
  const { request, execution } = executionRequest({ flow: 'guarded', startMs: Date.now() });
  traceId = execution.traceId;
  const r = await fetch(`${cli.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${INGEST}` }, body: encodeTraceProtobuf(request) as BodyInit });
  expect(r.status).toBe(200);
});
afterAll(async () => {
  await cli?.stop();
});

interface Route { method: string; path: string }

/** Every operation of the OpenAPI description, with its path parameters filled in. */
async function routes(): Promise<Route[]> {
  const doc = await api(cli.url, '/api/openapi.json', { headers: { authorization: `Bearer ${QUERY}` } });
  expect(doc.status).toBe(200);
  const out: Route[] = [];
  for (const [path, ops] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) {
      out.push({ method: method.toUpperCase(), path: path.replace('{traceId}', traceId).replace('{name}', 'guarded') });
    }
  }
  return [...out, { method: 'GET', path: '/api/openapi.json' }, { method: 'GET', path: '/metrics' }, { method: 'GET', path: '/api/nothing-here' }];
}

// Zipkin's receiver (POST /api/v2/spans) is ingest though its path is under /api, as Zipkin's own is;
// cancel and replay take the control token.
const tokenFor = (path: string) => {
  if (path.startsWith('/v1/') || path === '/api/v2/spans') return INGEST;
  return /\/(cancel|replay)$/.test(path) ? CONTROL : QUERY;
};

async function call(route: Route, auth: string | undefined): Promise<number> {
  const headers: Record<string, string> = { 'content-type': route.path.startsWith('/v1/') ? 'application/x-protobuf' : 'application/json' };
  if (auth !== undefined) headers.authorization = auth;
  const body = route.method === 'POST' ? (route.path === '/api/sql' ? JSON.stringify({ sql: 'SELECT 1' }) : '') : undefined;
  const controller = new AbortController();
  const r = await fetch(`${cli.url}${route.path}`, { method: route.method, headers, body, signal: controller.signal });
  controller.abort(); // the live stream never ends by itself
  return r.status;
}

describe('a collector with both tokens', () => {
  it('answers 401 on every route without the right token: none, wrong, another one, not a bearer', async () => {
    const all = await routes();
    expect(all.length).toBeGreaterThan(12);
    const wrong: string[] = [];
    // /healthz stays open for liveness probes (it tells only that the process answers).
    for (const route of all.filter((r) => r.method !== 'DELETE' && r.path !== '/healthz')) {
      const others = [INGEST, QUERY, CONTROL].filter((token) => token !== tokenFor(route.path)).map((token) => `Bearer ${token}`);
      for (const auth of [undefined, 'Bearer nope', ...others, `Basic ${tokenFor(route.path)}`, `Bearer ${tokenFor(route.path)}x`, 'Bearer ']) {
        const status = await call(route, auth);
        if (status !== 401) wrong.push(`${route.method} ${route.path} with ${auth} → ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets the right token into every route', async () => {
    const wrong: string[] = [];
    for (const route of await routes()) {
      const status = await call(route, `Bearer ${tokenFor(route.path)}`);
      if (status === 401) wrong.push(`${route.method} ${route.path} → ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('takes the query token as access_token on the live stream only', async () => {
    expect(await call({ method: 'GET', path: `/api/live?access_token=${QUERY}` }, undefined)).toBe(200);
    expect(await call({ method: 'GET', path: '/api/live?access_token=wrong' }, undefined)).toBe(401);
    expect(await call({ method: 'GET', path: `/api/executions?access_token=${QUERY}` }, undefined)).toBe(401);
  });

  it('never prints a token sent under an encoded name, partly encoded, or in the path', async () => {
    const partly = (token: string) => token.split('').map((c, i) => (i % 3 === 0 ? `%${c.charCodeAt(0).toString(16)}` : c)).join('');
    const targets = [
      `/api/live?%61ccess_token=${QUERY}`,
      `/api/live?access%5Ftoken=${partly(QUERY)}`,
      `/api/live?%61ccess%5ftoken=${partly(QUERY)}`,
      `/api/executions?ACCESS_TOKEN=${partly(QUERY)}`,
      `/api/executions?q=${partly(QUERY)}`,
      `/api/executions/${partly(QUERY)}`,
      `/v1/traces?k=${partly(INGEST)}`,
      `/api/executions?q=x+${QUERY.replace(/-/g, '%2D')}`,
    ];
    const statuses: number[] = [];
    for (const target of targets) {
      const controller = new AbortController();
      const r = await fetch(`${cli.url}${target}`, { signal: controller.signal });
      statuses.push(r.status);
      controller.abort();
    }
    // The encoded parameter name is the parameter: it lets the live stream in.
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    await new Promise((r) => setTimeout(r, 300));
    const output = cli.output();
    expect(output).toContain('incoming request');
    expect(output).not.toContain(QUERY);
    expect(output).not.toContain(INGEST);
    expect(output).not.toContain(partly(QUERY));
    expect(output).not.toContain(partly(INGEST));
  });

  it('never prints either token, not even from a query string or a refused request', async () => {
    await fetch(`${cli.url}/api/executions?access_token=${QUERY}&x=1`);
    await fetch(`${cli.url}/v1/traces?token=${INGEST}`, { method: 'POST', headers: { authorization: `Bearer ${INGEST}x` } });
    await new Promise((r) => setTimeout(r, 300));
    const output = cli.output();
    expect(output).toContain('incoming request');
    expect(output).not.toContain(QUERY);
    expect(output).not.toContain(INGEST);
  });
});
