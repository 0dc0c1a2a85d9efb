import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, waitForExecution, waitForList } from '../fixtures/collector-api.js';
import { startCollector, startExample, type Started } from '../fixtures/processes.js';

let collector: Started;
const services: Started[] = [];
beforeAll(async () => { collector = await startCollector(); });
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await collector?.stop();
});

function converse(url: string, lines: string[]): Promise<string[]> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const replies: string[] = [];
    const socket = connect(Number(port), hostname);
    socket.setEncoding('utf8');
    let i = 0;
    socket.on('connect', () => socket.write(`${lines[i++]}\n`));
    socket.on('data', (d: string) => {
      replies.push(...d.split('\n').filter(Boolean));
      if (i < lines.length) socket.write(`${lines[i++]}\n`);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(replies));
  });
}

async function rpc(url: string, method: string, params: Record<string, unknown>, session?: string): Promise<{ session?: string; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (session) headers['mcp-session-id'] = session;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return { session: res.headers.get('mcp-session-id') ?? undefined, body: await res.json() };
}

describe('the TCP line server sending to a real collector', () => {
  it('shows one execution per connection with a span per data event, command nodes and console lines', async () => {
    const tcp = await startExample('tcp-server', collector.url);
    services.push(tcp);
    expect(await converse(tcp.url, ['PING', 'SUM 1 2 3', 'FAIL', 'QUIT'])).toEqual(['PONG', '6', 'ERR command FAIL always fails', 'BYE']);
    const exec = await waitForList(collector.url, 'limit=20', (xs) => xs.find((x) => x.executionKind === 'tcp_handler' && x.status !== 'running'));
    const d = await waitForExecution(collector.url, exec.traceId, finished);
    expect(d.execution).toMatchObject({ flowName: 'line-server', serviceName: 'line-server', status: 'success', triggerType: 'tcp' });
    const root = d.spans.find((s) => s.parentSpanId === null);
    expect(root?.attributes['network.peer.address']).toBe('127.0.0.1');
    const data = d.spans.filter((s) => s.name === 'data').sort((a, b) => Number(a.attributes['flow.node.index']) - Number(b.attributes['flow.node.index']));
    expect(data.map((s) => JSON.parse(String(s.attributes['flow.node.input'])))).toEqual(['PING\n', 'SUM 1 2 3\n', 'FAIL\n', 'QUIT\n']);
    expect(JSON.parse(String(data[1].attributes['flow.node.output']))).toBe('6\n');
    expect(data.every((s) => s.parentSpanId === root?.spanId)).toBe(true);
    const fail = d.spans.find((s) => s.name === 'FAIL');
    expect(fail?.status).toBe('error');
    expect(fail?.parentSpanId).toBe(data[2].spanId);
    expect(d.logs.find((l) => l.body.startsWith('command failed'))?.spanId).toBe(data[2].spanId);
  });
});

describe('the MCP-style tool server sending to a real collector', () => {
  it('shows tool calls as mcp_tool executions with session, tool name, nodes, and tool errors as errors', async () => {
    const mcp = await startExample('mcp-server', collector.url);
    services.push(mcp);
    const init = await rpc(mcp.url, 'initialize', {});
    expect(init.session).toBeTruthy();
    const weather = await rpc(mcp.url, 'tools/call', { name: 'get_weather', arguments: { city: 'Berlin', user: 'agent-1' } }, init.session);
    expect(weather.body.result.content[0].text).toMatch(/^Berlin: /);
    const div = await rpc(mcp.url, 'tools/call', { name: 'calculate', arguments: { a: 1, b: 0, op: '/' } }, init.session);
    expect(div.body.result.isError).toBe(true);

    const w = await waitForList(collector.url, 'limit=20', (xs) => xs.find((x) => x.flowName === 'tools/call get_weather' && x.status !== 'running'));
    const d = await waitForExecution(collector.url, w.traceId, finished);
    expect(d.execution).toMatchObject({ executionKind: 'mcp_tool', status: 'success', triggerType: 'mcp', userId: 'agent-1' });
    const root = d.spans.find((s) => s.parentSpanId === null);
    expect(root?.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'get_weather', 'mcp.session.id': init.session });
    expect(d.spans.map((s) => s.name).sort()).toEqual(['forecast', 'geocode', 'tools/call get_weather']);
    const c = await waitForList(collector.url, 'limit=20', (xs) => xs.find((x) => x.flowName === 'tools/call calculate' && x.status !== 'running'));
    expect(c.status).toBe('error');
  });
});

describe('the scheduled job sending to a real collector', () => {
  it('shows each run as a job execution triggered by its schedule, with its supplier nodes', async () => {
    const job = await startExample('job', collector.url, { JOB_EVERY_MS: '300' });
    services.push(job);
    const runs = await waitForList(collector.url, 'limit=50', (xs) => {
      const done = xs.filter((x) => x.flowName === 'inventory-sync' && x.status !== 'running');
      return done.length >= 2 ? done : undefined;
    });
    // A failed supplier fails the run at once while the other pulls finish later: wait for all five.
    const d = await waitForExecution(collector.url, runs[0].traceId, (x) => finished(x) && x.spans.filter((s) => s.name === 'pull-supplier').length === 5);
    expect(d.execution).toMatchObject({ executionKind: 'job', triggerType: 'scheduled', serviceName: 'inventory-job' });
    expect(d.spans.filter((s) => s.name === 'pull-supplier')).toHaveLength(5);
    expect(['success', 'error']).toContain(d.execution.status);
  });
});
