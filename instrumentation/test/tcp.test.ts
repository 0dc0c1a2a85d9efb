import { SpanKind } from '@opentelemetry/api';
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as C from '../src/conventions.js';
import { installConsoleCapture, node, traceTcpConnections, uninstallConsoleCapture } from '../src/index.js';
import { close, eventually, listen } from './fixtures/net.js';
import { parentOf, useTestTelemetry } from './fixtures/telemetry.js';

const t = useTestTelemetry();
beforeEach(() => t.reset());

const server = createServer(traceTcpConnections((socket: Socket) => {
  socket.setEncoding('utf8');
  socket.on('data', async (line: string) => {
    console.log(`got ${line.trim()}`);
    const upper = await node({ id: 'upper' }, async () => line.trim().toUpperCase());
    socket.write(`echo:${upper}\n`);
  });
}, { name: 'echo-server' }));
let port = 0;
beforeAll(async () => {
  installConsoleCapture();
  port = await listen(server);
});
afterAll(async () => {
  uninstallConsoleCapture();
  await close(server);
});

function converse(lines: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const client = connect(port, '127.0.0.1');
    const replies: string[] = [];
    let i = 0;
    client.setEncoding('utf8');
    client.on('error', reject);
    client.on('connect', () => client.write(lines[i++]));
    client.on('data', (d: string) => {
      replies.push(d);
      if (i < lines.length) client.write(lines[i++]);
      else client.end();
    });
    client.on('close', () => resolve(replies));
  });
}

describe('a traced TCP server', () => {
  it('makes one execution per connection with each data event a child span in order, input and reply captured', async () => {
    expect(await converse(['hello\n', 'world\n'])).toEqual(['echo:HELLO\n', 'echo:WORLD\n']);
    const root = await eventually(() => t.spans().find((s) => s.attributes[C.ATTR_EXECUTION_KIND] === 'tcp_handler'), 3_000, 'connection span');
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(root.name).toBe('echo-server');
    expect(root.attributes).toMatchObject({
      [C.ATTR_TRIGGER_TYPE]: 'tcp',
      [C.ATTR_NETWORK_PEER_ADDRESS]: '127.0.0.1',
      [C.ATTR_EXECUTION_STATUS]: 'success',
    });
    expect(typeof root.attributes[C.ATTR_NETWORK_PEER_PORT]).toBe('number');
    expect(JSON.parse(String(root.attributes[C.ATTR_FLOW_OUTPUT]))).toEqual({ bytesRead: 12, bytesWritten: 22 });

    const data = t.spans().filter((s) => s.name === 'data').sort((a, b) => Number(a.attributes[C.ATTR_NODE_INDEX]) - Number(b.attributes[C.ATTR_NODE_INDEX]));
    expect(data.map((s) => [s.attributes[C.ATTR_NODE_ID], s.attributes[C.ATTR_NODE_INPUT], s.attributes[C.ATTR_NODE_OUTPUT]])).toEqual([
      ['data-0', '"hello\\n"', '"echo:HELLO\\n"'],
      ['data-2', '"world\\n"', '"echo:WORLD\\n"'],
    ]);
    for (const d of data) expect(parentOf(d)).toBe(root.spanContext().spanId);
    const uppers = t.spans().filter((s) => s.name === 'upper');
    expect(uppers.map((u) => parentOf(u)).sort()).toEqual(data.map((d) => d.spanContext().spanId).sort());
    expect(t.lines().map((l) => [l.body, l.spanContext?.spanId])).toEqual([
      ['got hello', data[0].spanContext().spanId],
      ['got world', data[1].spanContext().spanId],
    ]);
  });

  it('keeps connections apart', async () => {
    await Promise.all([converse(['a\n']), converse(['b\n'])]);
    const roots = await eventually(() => {
      const r = t.spans().filter((s) => s.attributes[C.ATTR_EXECUTION_KIND] === 'tcp_handler');
      return r.length === 2 ? r : undefined;
    }, 3_000, 'two connection spans');
    for (const root of roots) {
      const inputs = t.spans().filter((s) => s.name === 'data' && parentOf(s) === root.spanContext().spanId).map((s) => s.attributes[C.ATTR_NODE_INPUT]);
      expect(inputs).toHaveLength(1);
    }
    expect(roots[0].spanContext().traceId).not.toBe(roots[1].spanContext().traceId);
  });

  it('still lets a data listener be removed with the function that was added', async () => {
    const s = createServer(traceTcpConnections((socket: Socket) => {
      const listener = (): void => { socket.write('first only'); socket.off('data', listener); };
      socket.on('data', listener);
      expect(socket.listenerCount('data')).toBe(1);
    }));
    const p = await listen(s);
    const replies: string[] = [];
    await new Promise<void>((resolve) => {
      const c = connect(p, '127.0.0.1', () => { c.write('1'); setTimeout(() => { c.write('2'); setTimeout(() => c.end(), 30); }, 30); });
      c.on('data', (d) => replies.push(String(d)));
      c.on('close', () => resolve());
    });
    await close(s);
    expect(replies).toEqual(['first only']);
  });
});
