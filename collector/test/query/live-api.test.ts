/** GET /api/live: Server-Sent Events of executions and spans, with catch-up after reconnect. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { makeLogsRequest, makeStartMark, strAttr } from '../fixtures/otlp.js';
import { seed } from '../fixtures/seed.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestCollector();
});
afterAll(async () => {
  await server.close();
});

interface SseEvent {
  id: number;
  type: string;
  data: any;
}

/** Reads SSE frames from the stream until `until` says stop (or a timeout). */
async function readEvents(path: string, until: (events: SseEvent[]) => boolean, headers: Record<string, string> = {}, act?: () => Promise<unknown>): Promise<SseEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  const response = await fetch(server.url + path, { headers, signal: controller.signal });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  const acting = act?.();
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(frame.split('\n').filter((l) => !l.startsWith(':') && l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
        if (fields.event) events.push({ id: Number(fields.id), type: fields.event, data: fields.data ? JSON.parse(fields.data) : undefined });
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
    await acting;
  }
  return events;
}

describe('GET /api/live', () => {
  it('streams execution and span events of a flow as it runs and ends', async () => {
    const traceId = 'a'.repeat(30) + '01';
    const rootId = 'b'.repeat(16);
    const events = await readEvents(
      '/api/live',
      (es) => es.some((e) => e.type === 'execution.failed'),
      {},
      async () => {
        const mark = makeStartMark('live-flow', { traceId, spanId: rootId, timeUnixNano: String(BigInt(Date.now()) * 1_000_000n) }, [
          strAttr('flowtrace.span.parent_id', ''),
          strAttr('flow.name', 'live-flow'),
          strAttr('flow.execution.kind', 'flow'),
        ]);
        await api(server.url, '/v1/logs', { method: 'POST', json: makeLogsRequest([mark]) });
        await seed(server.url, [{ flow: 'live-flow', startMs: Date.now(), fail: true }]);
      },
    );
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['execution.started', 'span.started']);
    expect(events[0].data.execution).toMatchObject({ traceId, status: 'running', flowName: 'live-flow' });
    expect(types).toContain('span.completed');
    expect(types).toContain('span.failed');
    const failed = events.find((e) => e.type === 'execution.failed')!;
    expect(failed.data.execution).toMatchObject({ status: 'error', flowName: 'live-flow' });
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
  });

  it('sends only one trace when asked for a traceId', async () => {
    const [other] = await seed(server.url, [{ flow: 'noise', startMs: Date.now() }]);
    const target = 'c'.repeat(32);
    const events = await readEvents(`/api/live?traceId=${target}`, (es) => es.length > 0, {}, async () => {
      await seed(server.url, [{ flow: 'noise', startMs: Date.now() }]);
      await api(server.url, '/v1/logs', {
        method: 'POST',
        json: makeLogsRequest([makeStartMark('target', { traceId: target, spanId: 'd'.repeat(16), timeUnixNano: String(BigInt(Date.now()) * 1_000_000n) })]),
      });
    });
    expect(events.every((e) => e.data.traceId === target)).toBe(true);
    expect(events[0].data.traceId).not.toBe(other.traceId);
  });

  it('replays what a client missed after Last-Event-ID, then goes on live', async () => {
    const first = await readEvents('/api/live?since=0', (es) => es.length > 0);
    const lastSeen = first[0].id;
    const [missed] = await seed(server.url, [{ flow: 'missed-while-away', startMs: Date.now() }]);
    const caughtUp = await readEvents('/api/live', (es) => es.some((e) => e.type === 'execution.completed' && e.data.traceId === missed.traceId), {
      'last-event-id': String(lastSeen),
    });
    expect(caughtUp[0].id).toBe(lastSeen + 1);
    expect(caughtUp.some((e) => e.data.traceId === missed.traceId)).toBe(true);
  });
});

describe('GET /api/live after a restart', () => {
  it('tells a client that counts past the feed to resync', async () => {
    const response = await fetch(`${server.url}/api/live?since=999999999`);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('event: resync')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    expect(text).toContain('event: resync');
  });
});
