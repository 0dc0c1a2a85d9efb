/**
 * Cancel of handler executions end to end: the real collector (with --control-token) and the
 * example services holding control connections (FLOWTRACE_CONTROL=1) — an HTTP route of the
 * order service, a connection of the TCP line server, a call of the MCP tool server — each
 * cancelled through POST /api/executions/:traceId/cancel.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, getJson, waitForExecution, waitForList, type ExecutionDetail } from '../fixtures/collector-api.js';
import { startCollector, startExample, type Started } from '../fixtures/processes.js';

const CONTROL = 'e2e-handler-control-token';
const env = { FLOWTRACE_CONTROL: '1' };
let collector: Started;
let orders: Started;
let lines: Started;
let tools: Started;

interface ControlStatus { instances: Array<{ service: string; flows: Array<{ id: string; cancel: boolean; replay: boolean }> }> }
const control = async (): Promise<ControlStatus> => (await getJson<ControlStatus>(`${collector.url}/api/control`))!;

beforeAll(async () => {
  collector = await startCollector({ args: ['--control-token', CONTROL] });
  [orders, lines, tools] = await Promise.all([
    startExample('order-service', collector.url, env),
    startExample('tcp-server', collector.url, env),
    startExample('mcp-server', collector.url, env),
  ]);
  const until = Date.now() + 15_000;
  while ((await control()).instances.length < 3) {
    if (Date.now() > until) throw new Error(`not every service connected for control: ${JSON.stringify(await control())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await Promise.all([orders?.stop(), lines?.stop(), tools?.stop()]);
  await collector?.stop();
});

const cancel = async (traceId: string) => {
  const res = await fetch(`${collector.url}/api/executions/${traceId}/cancel`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${CONTROL}` },
    body: JSON.stringify({ requestedBy: 'e2e test' }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const running = (service: string, kind: string): Promise<string> =>
  waitForList(collector.url, `service=${service}&status=running`, (xs) => xs.find((x) => x.executionKind === kind)?.traceId, 15_000);
const rootOf = (d: ExecutionDetail) => d.spans.find((s) => s.parentSpanId === null)!;

describe('handlers that allow cancel, through the collector', () => {
  it('are announced by each service: its routes, its connections, its tools', async () => {
    const flows = Object.fromEntries((await control()).instances.map((i) => [i.service, i.flows]));
    expect(flows['order-service']).toContainEqual({ id: 'http:GET /reports/:name', name: 'GET /reports/:name', cancel: true, replay: false });
    expect(flows['line-server']).toContainEqual({ id: 'tcp:line-server', name: 'line-server', cancel: true, replay: false });
    expect(flows['mcp-tools']).toContainEqual({ id: 'tool:summarize_corpus', name: 'tools/call summarize_corpus', cancel: true, replay: false });
  });

  it('cancels a running HTTP request: the route stops and answers 409, the execution ends cancelled naming who asked', async () => {
    const response = fetch(`${orders.url}/reports/daily?ms=30000`);
    const traceId = await running('order-service', 'http_handler');
    expect(await cancel(traceId)).toMatchObject({ status: 200, body: { outcome: 'cancelled' } });
    const res = await response;
    expect(res.status).toBe(409);
    const d = await waitForExecution(collector.url, traceId, finished);
    expect(d.execution.status).toBe('cancelled');
    expect(rootOf(d).attributes).toMatchObject({ 'flow.id': 'http:GET /reports/:name', 'flow.cancel.requested_by': 'e2e test', 'http.response.status_code': 409 });
    expect(d.spans.some((s) => s.name === 'report-part' && s.status === 'cancelled')).toBe(true);
    expect(await cancel(traceId)).toMatchObject({ status: 200, body: { outcome: 'already_cancelled' } });
  }, 40_000);

  it('reports a request that ignores the cancel truthfully: running until it answers, then cancelled with the 200 it sent', async () => {
    const response = fetch(`${orders.url}/reports/stubborn?ms=4000&ignoreCancel=1`);
    const traceId = await running('order-service', 'http_handler');
    expect(await cancel(traceId)).toMatchObject({ status: 200, body: { outcome: 'cancelled' } });
    expect((await getJson<ExecutionDetail>(`${collector.url}/api/executions/${traceId}`))?.execution.status).toBe('running');
    const res = await response;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ report: 'stubborn', parts: 10 });
    const d = await waitForExecution(collector.url, traceId, finished);
    expect(d.execution.status).toBe('cancelled');
    const root = rootOf(d);
    expect(root.attributes['http.response.status_code']).toBe(200);
    expect(root.events.map((e) => e.name)).toContain('flow.cancel.requested');
    expect(d.spans.filter((s) => s.name === 'report-part').every((s) => s.status === 'success')).toBe(true);
  }, 40_000);

  it('cancels an open TCP connection: the server says CANCELLED and closes it, the execution ends cancelled', async () => {
    const { hostname, port } = new URL(lines.url);
    const socket = connect(Number(port), hostname);
    socket.setEncoding('utf8');
    let received = '';
    socket.on('data', (d: string) => { received += d; });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('PING\nSLOW 30000\n');
    const traceId = await running('line-server', 'tcp_handler');
    expect(await cancel(traceId)).toMatchObject({ status: 200, body: { outcome: 'cancelled' } });
    await closed;
    expect(received).toContain('PONG');
    expect(received).toContain('CANCELLED cancelled by e2e test');
    const d = await waitForExecution(collector.url, traceId, finished);
    expect(d.execution.status).toBe('cancelled');
    expect(rootOf(d).attributes['flow.cancel.requested_by']).toBe('e2e test');
    expect(d.spans.find((s) => s.name === 'SLOW')?.status).toBe('cancelled');
  }, 40_000);

  it('cancels a running MCP tool call: the client gets an error naming who cancelled, the execution ends cancelled', async () => {
    const call = fetch(`${tools.url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'summarize_corpus', arguments: { chunks: 30, chunkMs: 1000 } } }),
    }).then((r) => r.json() as Promise<{ error?: { message: string } }>);
    const traceId = await running('mcp-tools', 'mcp_tool');
    expect(await cancel(traceId)).toMatchObject({ status: 200, body: { outcome: 'cancelled' } });
    expect((await call).error?.message).toBe('cancelled by e2e test');
    const d = await waitForExecution(collector.url, traceId, finished);
    expect(d.execution.status).toBe('cancelled');
    expect(rootOf(d).attributes).toMatchObject({ 'flow.id': 'tool:summarize_corpus', 'flow.cancel.requested_by': 'e2e test' });
  }, 40_000);
});
