/**
 * What a collector started with no security options does, as a process: it listens on
 * 127.0.0.1 only, sends no CORS headers (a page on another origin cannot read the API), and
 * serves the viewer with a content security policy and the usual protective headers.
 */
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';

let cli: CliProcess;
beforeAll(async () => {
  cli = await startCli(['--port', '0', '--db', ':memory:']); // no --host
});
afterAll(async () => {
  await cli?.stop();
});

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

describe('a collector started without security options', () => {
  it('listens on 127.0.0.1 and on no other address of this machine', async () => {
    const url = new URL(cli.url);
    expect(url.hostname).toBe('127.0.0.1');
    const port = Number(url.port);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    const others = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal).map((a) => a!.address);
    for (const address of others) expect(await accepts(address, port), address).toBe(false);
  });

  it('answers a cross-origin preflight and request with no CORS headers', async () => {
    const origin = 'http://evil.example';
    const preflight = await fetch(`${cli.url}/api/sql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
    for (const path of ['/api/executions', '/v1/traces', '/api/live?since=0']) {
      const controller = new AbortController();
      const r = await fetch(`${cli.url}${path}`, { headers: { origin }, signal: controller.signal });
      controller.abort();
      expect(r.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });

  it('serves the viewer pages with a content security policy and protective headers', async () => {
    for (const path of ['/', '/executions', '/sql']) {
      const r = await fetch(`${cli.url}${path}`);
      expect(r.status, path).toBe(200);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
    }
    const api = await fetch(`${cli.url}/api/executions`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
