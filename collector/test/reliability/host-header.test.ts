/**
 * DNS rebinding: a web page whose name the attacker points at 127.0.0.1 reaches a loopback
 * collector with the attacker's name in the Host header. A collector bound to loopback answers
 * only Host values that name loopback (or what --allowed-hosts adds); every other one gets 403
 * with a message naming the option — on every route, viewer pages and OTLP included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';
import { rawRequest } from '../fixtures/raw-http.js';
import { seed } from '../fixtures/seed.js';

let open: CliProcess;
let allowing: CliProcess;
let traceId: string;

beforeAll(async () => {
  [open, allowing] = await Promise.all([
    startCli(['--port', '0', '--db', ':memory:']),
    startCli(['--port', '0', '--db', ':memory:', '--allowed-hosts', 'flowtrace.internal,Traces.Example.org']),
  ]);
  [{ traceId }] = await seed(open.url, [{ flow: 'rebound', startMs: Date.now() }]);
});
afterAll(async () => {
  await Promise.all([open?.stop(), allowing?.stop()]);
});

const port = (cli: CliProcess) => new URL(cli.url).port;

describe('a collector bound to 127.0.0.1 without tokens', () => {
  it('refuses foreign Host headers on every kind of route with 403 naming --allowed-hosts', async () => {
    const hosts = ['evil.example', `evil.example:${port(open)}`, `127.0.0.1.evil.example:${port(open)}`, `localhost.evil.example`, 'rebind.attacker.test:80', '10.0.0.1', '0.0.0.0', '[::ffff:7f00:1].evil'];
    const requests = [
      { target: '/api/executions' },
      { target: `/api/executions/${traceId}` },
      { method: 'DELETE', target: `/api/executions/${traceId}` },
      { method: 'POST', target: '/api/sql', headers: { 'content-type': 'application/json' }, body: '{"sql":"SELECT 1"}' },
      { target: '/api/live' },
      { target: '/metrics' },
      { target: '/' },
      { target: '/executions' },
      { method: 'POST', target: '/v1/traces', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' },
    ];
    const wrong: string[] = [];
    for (const host of hosts) {
      for (const request of requests) {
        const answer = await rawRequest(open.url, { ...request, host }, 2_000);
        if (answer.status !== 403 || !answer.body.includes('--allowed-hosts') || answer.body.includes(traceId)) {
          wrong.push(`${request.method ?? 'GET'} ${request.target} Host ${host} → ${answer.status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    const still = await rawRequest(open.url, { target: `/api/executions/${traceId}` });
    expect(still.status).toBe(200);
  });

  it('refuses an absolute-form target that names another host, whatever the Host header says', async () => {
    const answer = await rawRequest(open.url, { target: 'http://evil.example/api/executions', host: `127.0.0.1:${port(open)}` });
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain(traceId);
  });

  it('answers Host values that name loopback, with or without the port, in any case', async () => {
    for (const host of [`127.0.0.1:${port(open)}`, '127.0.0.1', `localhost:${port(open)}`, 'LOCALHOST', `[::1]:${port(open)}`, '[::1]']) {
      const answer = await rawRequest(open.url, { target: '/api/executions', host });
      expect(answer.status, host).toBe(200);
      expect(answer.body).toContain(traceId);
    }
  });
});

describe('a collector with --allowed-hosts', () => {
  it('also answers the names it was given, and still refuses others', async () => {
    for (const host of [`flowtrace.internal:${port(allowing)}`, 'traces.example.org', `localhost:${port(allowing)}`]) {
      expect((await rawRequest(allowing.url, { target: '/api/executions', host })).status, host).toBe(200);
    }
    for (const host of ['evil.example', 'flowtrace.internal.evil.example', 'sub.traces.example.org']) {
      expect((await rawRequest(allowing.url, { target: '/api/executions', host })).status, host).toBe(403);
    }
  });
});
