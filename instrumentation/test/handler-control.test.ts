/**
 * Handlers that allow cancel (issue 20): HTTP handlers (plain and Fastify), TCP connection
 * handlers and MCP tool calls opt in with `control: { cancel: true }`, are announced like
 * flows, see an AbortSignal, and end `cancelled` naming who asked. Real servers on 127.0.0.1,
 * the control registry the control client calls, spans from the SDK's in-memory exporter.
 */
import Fastify from 'fastify';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as C from '../src/conventions.js';
import { announcedFlows, cancelRun, setControlActive } from '../src/control/registry.js';
import {
  CancelledError, currentSignal, currentTraceId, flowtraceFastify, node, runToolCall, traceHttpHandler, traceTcpConnections, traceTool,
} from '../src/index.js';
import { close, eventually, listen } from './fixtures/net.js';
import { sleep, useTestTelemetry } from './fixtures/telemetry.js';

const t = useTestTelemetry();
beforeEach(() => {
  t.reset();
  setControlActive(true);
});
afterEach(() => setControlActive(false));

const rootWithFlowId = (id: string): Promise<ReadableSpan> =>
  eventually(() => t.spans().find((s) => s.attributes[C.ATTR_FLOW_ID] === id && s.attributes[C.ATTR_EXECUTION_KIND] !== undefined), 3_000, `root of ${id}`);
const cancelEvent = (span: ReadableSpan) => span.events.find((e) => e.name === C.EVENT_CANCEL_REQUESTED);

/** Resolves with the signal's reason when it fires. */
const aborted = (signal: AbortSignal): Promise<unknown> => new Promise((resolve) => {
  if (signal.aborted) resolve(signal.reason);
  else signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
});

describe('a plain HTTP handler that allows cancel', () => {
  it('is announced, sees the cancel on its signal, and ends cancelled naming who asked', async () => {
    const started: string[] = [];
    const handler = traceHttpHandler(async (_req: IncomingMessage, res: ServerResponse, ctx) => {
      started.push(currentTraceId() ?? '');
      const reason = await aborted(ctx.signal);
      res.statusCode = 409;
      res.end(String((reason as Error).message));
    }, { name: 'slow-report', control: { cancel: true } });
    expect(announcedFlows()).toContainEqual({ id: 'http:slow-report', name: 'slow-report', version: undefined, cancel: true, replay: false });
    const server = createServer((req, res) => void handler(req, res));
    const base = `http://127.0.0.1:${await listen(server)}`;
    try {
      const response = fetch(`${base}/report`);
      const traceId = await eventually(() => started[0], 3_000, 'the handler to start');
      expect(cancelRun(traceId, 'http:slow-report', 'ann from the viewer')).toEqual({ outcome: 'cancelled' });
      const res = await response;
      expect(res.status).toBe(409);
      expect(await res.text()).toBe('cancelled by ann from the viewer');
      const root = await rootWithFlowId('http:slow-report');
      expect(root.attributes).toMatchObject({
        [C.ATTR_EXECUTION_KIND]: 'http_handler',
        [C.ATTR_EXECUTION_STATUS]: 'cancelled',
        [C.ATTR_CANCEL_REQUESTED_BY]: 'ann from the viewer',
        [C.ATTR_HTTP_RESPONSE_STATUS_CODE]: 409,
      });
      expect(cancelEvent(root)?.attributes?.[C.ATTR_CANCEL_REQUESTED_BY]).toBe('ann from the viewer');
      expect(cancelRun(traceId, 'http:slow-report', 'ann again').outcome).toBe('already_cancelled');
    } finally {
      await close(server);
    }
  });

  it('that ignores the signal stays open until it really answers, then shows the cancel and the answer it sent', async () => {
    const started: string[] = [];
    let release: () => void = () => undefined;
    const handler = traceHttpHandler(async (_req: IncomingMessage, res: ServerResponse) => {
      started.push(currentTraceId() ?? '');
      await new Promise<void>((resolve) => { release = resolve; });
      res.end('done anyway');
    }, { name: 'stubborn', control: { cancel: true } });
    const server = createServer((req, res) => void handler(req, res));
    const base = `http://127.0.0.1:${await listen(server)}`;
    try {
      const response = fetch(`${base}/x`);
      const traceId = await eventually(() => started[0], 3_000, 'the handler to start');
      expect(cancelRun(traceId, 'http:stubborn', 'ops').outcome).toBe('cancelled');
      await sleep(50);
      // Still running: the instrumentation does not claim it stopped.
      expect(t.spans().find((s) => s.attributes[C.ATTR_FLOW_ID] === 'http:stubborn')).toBeUndefined();
      const answeredAt = Date.now();
      release();
      expect(await (await response).text()).toBe('done anyway');
      const root = await rootWithFlowId('http:stubborn');
      expect(root.attributes).toMatchObject({ [C.ATTR_EXECUTION_STATUS]: 'cancelled', [C.ATTR_CANCEL_REQUESTED_BY]: 'ops', [C.ATTR_HTTP_RESPONSE_STATUS_CODE]: 200 });
      const endMs = root.endTime[0] * 1000 + root.endTime[1] / 1e6;
      const cancelMs = cancelEvent(root)!.time[0] * 1000 + cancelEvent(root)!.time[1] / 1e6;
      expect(endMs).toBeGreaterThanOrEqual(answeredAt - 5);
      expect(endMs - cancelMs).toBeGreaterThanOrEqual(40);
    } finally {
      await close(server);
    }
  });

  it('without control allows nothing: no flow id, not announced, and a cancel is refused', async () => {
    const started: string[] = [];
    const handler = traceHttpHandler(async (_req: IncomingMessage, res: ServerResponse, ctx) => {
      started.push(currentTraceId() ?? '');
      await sleep(30);
      res.end(String(ctx.signal.aborted));
    }, { name: 'plain-handler' });
    const server = createServer((req, res) => void handler(req, res));
    const base = `http://127.0.0.1:${await listen(server)}`;
    try {
      const response = fetch(`${base}/x`);
      const traceId = await eventually(() => started[0], 3_000, 'the handler to start');
      expect(announcedFlows().some((f) => f.name === 'plain-handler')).toBe(false);
      expect(cancelRun(traceId, 'http:plain-handler', 'x').outcome).toBe('not_allowed');
      expect(await (await response).text()).toBe('false');
      const root = await eventually(() => t.spans().find((s) => s.name === 'GET /x' || s.attributes[C.ATTR_FLOW_NAME] === 'plain-handler'));
      expect(root.attributes[C.ATTR_FLOW_ID]).toBeUndefined();
      expect(root.attributes[C.ATTR_EXECUTION_STATUS]).toBe('success');
    } finally {
      await close(server);
    }
  });
});

describe('Fastify routes that allow cancel', () => {
  it('announces each route, and a route handler reads the signal with currentSignal()', async () => {
    const app = Fastify();
    await app.register(flowtraceFastify, { control: { cancel: true }, ignoreRoutes: ['/healthz'] });
    const started: string[] = [];
    app.get('/healthz', async () => 'ok');
    app.get('/exports/:id', async (_request, reply) => {
      started.push(currentTraceId() ?? '');
      // Well-behaved work rejects with the signal's reason; the route answers 409.
      const reason = await node({ id: 'build', type: 'code' }, (n) => aborted(n.signal).then((r) => { throw r; })).catch((e: unknown) => e);
      expect(currentSignal().aborted).toBe(true);
      return reply.code(409).send({ stopped: (reason as Error).message });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      expect(announcedFlows()).toContainEqual({ id: 'http:GET /exports/:id', name: 'GET /exports/:id', version: undefined, cancel: true, replay: false });
      expect(announcedFlows().some((f) => f.id.includes('/healthz') || f.id.startsWith('http:HEAD'))).toBe(false);
      const response = fetch(`${base}/exports/7`);
      const traceId = await eventually(() => started[0], 3_000, 'the route to start');
      expect(cancelRun(traceId, 'http:GET /exports/:id', 'ann').outcome).toBe('cancelled');
      const res = await response;
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({ stopped: 'cancelled by ann' });
      const root = await rootWithFlowId('http:GET /exports/:id');
      expect(root.attributes).toMatchObject({ [C.ATTR_EXECUTION_STATUS]: 'cancelled', [C.ATTR_CANCEL_REQUESTED_BY]: 'ann', [C.ATTR_HTTP_RESPONSE_STATUS_CODE]: 409 });
      expect(t.span('build').attributes[C.ATTR_NODE_STATUS]).toBe('cancelled');
    } finally {
      await app.close();
    }
  });
});

describe('a TCP connection handler that allows cancel', () => {
  it('gets the signal with the socket, data listeners see it too, and the connection ends cancelled', async () => {
    const seen: string[] = [];
    const server = createTcpServer(traceTcpConnections((socket: Socket, ctx) => {
      seen.push(currentTraceId() ?? '');
      ctx.signal.addEventListener('abort', () => socket.end(`CANCELLED ${(ctx.signal.reason as Error).message}\n`), { once: true });
      socket.on('data', () => {
        seen.push(currentSignal() === ctx.signal || !currentSignal().aborted ? 'data sees the signal' : 'other');
        socket.write('working\n');
      });
    }, { name: 'line-server', control: { cancel: true } }));
    const port = await listen(server);
    try {
      expect(announcedFlows()).toContainEqual({ id: 'tcp:line-server', name: 'line-server', version: undefined, cancel: true, replay: false });
      const client = connect(port, '127.0.0.1');
      client.setEncoding('utf8');
      let received = '';
      client.on('data', (d: string) => { received += d; });
      const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
      client.write('SLOW\n');
      await eventually(() => (received.includes('working') ? true : undefined), 3_000, 'the first answer');
      expect(cancelRun(seen[0], 'tcp:line-server', 'ops on call').outcome).toBe('cancelled');
      await closed;
      expect(received).toContain('CANCELLED cancelled by ops on call');
      const root = await rootWithFlowId('tcp:line-server');
      expect(root.attributes).toMatchObject({ [C.ATTR_EXECUTION_KIND]: 'tcp_handler', [C.ATTR_EXECUTION_STATUS]: 'cancelled', [C.ATTR_CANCEL_REQUESTED_BY]: 'ops on call' });
      expect(seen[1]).toBe('data sees the signal');
    } finally {
      await close(server);
    }
  });
});

describe('an MCP tool call that allows cancel', () => {
  it('is announced when wrapped, settles at the cancel with CancelledError, and ends cancelled', async () => {
    const summarize = traceTool('summarize', async (args: { chunks: number }, ctx) => {
      for (let i = 0; i < args.chunks; i++) await node({ id: `chunk-${i}` }, (n) => new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, 50);
        n.signal.addEventListener('abort', () => { clearTimeout(timer); reject(n.signal.reason); }, { once: true });
      }));
      return { content: [{ type: 'text', text: String(ctx.signal.aborted) }] };
    }, { control: { cancel: true } });
    expect(announcedFlows()).toContainEqual({ id: 'tool:summarize', name: 'tools/call summarize', version: undefined, cancel: true, replay: false });
    let traceId = '';
    const call = summarize({ chunks: 100 }, { sessionId: 's-1' });
    await eventually(() => (traceId = t.spans().find((s) => s.name === 'chunk-0')?.spanContext().traceId ?? '') || undefined, 3_000, 'the first chunk');
    expect(cancelRun(traceId, 'tool:summarize', 'the user')).toEqual({ outcome: 'cancelled' });
    await expect(call).rejects.toBeInstanceOf(CancelledError);
    const root = await rootWithFlowId('tool:summarize');
    expect(root.attributes).toMatchObject({ [C.ATTR_EXECUTION_KIND]: 'mcp_tool', [C.ATTR_EXECUTION_STATUS]: 'cancelled', [C.ATTR_CANCEL_REQUESTED_BY]: 'the user' });
  });

  it('whose function ignores the signal: the caller is answered at the cancel, and a warning says when the function really ended', async () => {
    let finish: () => void = () => undefined;
    const started: string[] = [];
    const call = runToolCall('stubborn_tool', {}, async () => {
      started.push(currentTraceId() ?? '');
      await new Promise<void>((resolve) => { finish = resolve; });
      return { content: [{ type: 'text', text: 'late' }] };
    }, { control: { cancel: true } });
    const traceId = await eventually(() => started[0], 3_000, 'the tool to start');
    expect(cancelRun(traceId, 'tool:stubborn_tool', 'ann').outcome).toBe('cancelled');
    await expect(call).rejects.toBeInstanceOf(CancelledError);
    const root = await rootWithFlowId('tool:stubborn_tool');
    expect(root.attributes[C.ATTR_EXECUTION_STATUS]).toBe('cancelled');
    expect(t.lines().some((l) => String(l.body).includes('went on after'))).toBe(false);
    await sleep(30);
    finish();
    const warning = await eventually(() => t.lines().find((l) => String(l.body).includes('went on after')), 3_000, 'the warning');
    expect(warning.severityText).toBe('WARN');
    expect(warning.spanContext?.spanId).toBe(root.spanContext().spanId);
    expect(String(warning.body)).toMatch(/^tools\/call stubborn_tool went on after it was cancelled and returned \d+ ms later; its result was dropped$/);
  });
});

