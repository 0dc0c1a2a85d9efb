/**
 * Console lines in the live feed: a stream that watches one trace gets a `log` event for each
 * line of that trace as it is stored (trace id, span id, time, severity, the body cut to a few
 * hundred characters), so a running node's output shows while it runs. Streams of everything
 * get none, and lines of traces nobody watches take no room in the replay buffer.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, eventually, startTestCollector } from '../fixtures/collector.js';
import { connectLive, metric, type LiveClient } from '../fixtures/live-clients.js';
import { makeLogRecord, makeLogsRequest, makeStartMark } from '../fixtures/otlp.js';

let server: RunningServer;
const clients: LiveClient[] = [];

beforeAll(async () => {
  server = await startTestCollector();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const nowNs = () => String(BigInt(Date.now()) * 1_000_000n);

async function sendLines(traceId: string, spanId: string, bodies: string[]): Promise<void> {
  const records = [
    makeStartMark('charge card', { traceId, spanId, timeUnixNano: nowNs() }),
    ...bodies.map((body, i) => makeLogRecord({ traceId, spanId, timeUnixNano: nowNs(), severityNumber: i === 0 ? 9 : 17, severityText: i === 0 ? 'INFO' : 'ERROR', body: { stringValue: body } })),
  ];
  const res = await api(server.url, '/v1/logs', { method: 'POST', json: makeLogsRequest(records) });
  expect(res.status).toBe(200);
}

async function live(query: string): Promise<LiveClient> {
  const client = await connectLive(server.url, { query });
  clients.push(client);
  expect(client.status).toBe(200);
  return client;
}

describe('live console lines', () => {
  it('reach a stream watching the trace, in order, with the body cut to a small size', async () => {
    const traceId = hex(16);
    const spanId = hex(8);
    const watching = await live(`?traceId=${traceId}`);
    const everything = await live('');
    const long = `card declined: ${'x'.repeat(5000)}`;
    await sendLines(traceId, spanId, ['calling the payment gateway', long]);
    const logs = await eventually(async () => {
      const frames = watching.frames.filter((f) => f.type === 'log');
      return frames.length === 2 ? frames : undefined;
    });
    const events = logs.map((f) => JSON.parse(f.data));
    expect(events.map((e) => [e.traceId, e.spanId, e.log.severity, e.log.severityNumber])).toEqual([
      [traceId, spanId, 'INFO', 9],
      [traceId, spanId, 'ERROR', 17],
    ]);
    expect(events[0].log.body).toBe('calling the payment gateway');
    expect(events[0].log.truncated).toBe(false);
    expect(events[1].log.body.startsWith('card declined: xxx')).toBe(true);
    expect(events[1].log.body.length).toBeLessThanOrEqual(512);
    expect(events[1].log.truncated).toBe(true);
    expect(typeof events[0].log.timeUnixNano).toBe('string');
    // The start mark is a span.started event, not a console line.
    expect(watching.frames.some((f) => f.type === 'span.started')).toBe(true);
    await eventually(async () => everything.frames.some((f) => f.type === 'span.started'));
    expect(everything.frames.filter((f) => f.type === 'log')).toEqual([]);
  });

  it('keep nothing of the lines of a trace nobody watches', async () => {
    const before = await metric(server.url, 'flowtrace_live_buffer_events');
    expect(before).toBeGreaterThan(0);
    const traceId = hex(16);
    const res = await api(server.url, '/v1/logs', {
      method: 'POST',
      json: makeLogsRequest(Array.from({ length: 50 }, (_, i) => makeLogRecord({ traceId, spanId: hex(8), timeUnixNano: nowNs(), body: { stringValue: `line ${i}` } }))),
    });
    expect(res.status).toBe(200);
    const watcher = await live(`?traceId=${traceId}&since=0`);
    await new Promise((r) => setTimeout(r, 300));
    expect(watcher.frames.filter((f) => f.type === 'log')).toEqual([]);
    expect(await metric(server.url, 'flowtrace_live_buffer_events')).toBe(before);
  });
});
