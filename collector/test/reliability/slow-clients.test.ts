/**
 * Slow clients: a body or a header block that trickles in is cut at the request timeout with a
 * 408, and one client address cannot hold more than its share of connections. Against a
 * collector process with short limits so the test stays short; traffic to 127.0.0.1 only.
 */
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';
import { openSocket, readAnswer, requestHead } from '../fixtures/raw-http.js';

let cli: CliProcess;

beforeAll(async () => {
  cli = await startCli(['--port', '0', '--db', ':memory:', '--request-timeout', '2s', '--max-connections-per-client', '20']);
});
afterAll(async () => {
  await cli?.stop();
});

/** Writes one byte every `everyMs` until the socket closes; returns a stop function. */
function trickle(socket: Socket, byte: string, everyMs: number): () => void {
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) socket.write(byte);
  }, everyMs);
  return () => clearInterval(timer);
}

describe('a collector with --request-timeout 2s', () => {
  it('answers 408 to a body that trickles in, and closes the connection', async () => {
    const socket = await openSocket(cli.url);
    const started = Date.now();
    socket.write(requestHead(cli.url, { method: 'POST', target: '/v1/traces', headers: { 'content-type': 'application/json' } }, 100_000));
    const stop = trickle(socket, ' ', 200);
    const answer = await readAnswer(socket, 9_000);
    stop();
    expect(answer.status).toBe(408);
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('answers 408 to a header block that trickles in', async () => {
    const socket = await openSocket(cli.url);
    const started = Date.now();
    socket.write(`GET /api/executions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `);
    const stop = trickle(socket, 'a', 200);
    const answer = await readAnswer(socket, 9_000);
    stop();
    expect(answer.status).toBe(408);
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('still answers a live stream after the request timeout has passed', async () => {
    const controller = new AbortController();
    const response = await fetch(`${cli.url}/api/live`, { signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await new Promise((r) => setTimeout(r, 3_500));
    const health = await fetch(`${cli.url}/healthz`);
    expect(health.status).toBe(200);
    // The stream is still open: cancelling it is what ends it.
    const pending = reader.read();
    controller.abort();
    await pending.catch(() => undefined);
  });
});

describe('a collector with --max-connections-per-client 20', () => {
  it('closes connections past the cap from one address, counts them, and takes new ones once they are gone', async () => {
    // A refused socket has the 503 and the end of the stream waiting: reading it shows 'end'.
    const sockets = await Promise.all(Array.from({ length: 30 }, () => openSocket(cli.url)));
    const closed = await Promise.all(
      sockets.map((socket) => new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 1_500);
        socket.once('end', () => {
          clearTimeout(timer);
          resolve(true);
        });
        socket.on('error', () => undefined);
        socket.resume();
      })),
    );
    const refused = closed.filter(Boolean).length;
    expect(refused).toBeGreaterThanOrEqual(10);
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const metrics = await fetch(`${cli.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    const counted = Number(/flowtrace_connections_refused_total (\d+)/.exec(text)?.[1] ?? -1);
    expect(counted).toBeGreaterThanOrEqual(10);
  });
});
