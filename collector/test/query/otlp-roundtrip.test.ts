import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { expectSameOtlp, firstDifference } from '../fixtures/otlp-compare.js';
import { everyFieldLogsRequest, everyFieldTraceRequest, FULL_TRACE_ID } from '../fixtures/otlp-every-field.js';
import { SPEC_TRACE_ID, specLogsExample, specTraceExample } from '../fixtures/otlp-spec-examples.js';
import { encodeJson, encodeLogsProtobuf, encodeTraceProtobuf } from '../fixtures/otlp.js';

type Request = Record<string, unknown>;
type Encoding = 'json' | 'protobuf';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function collector(): Promise<string> {
  const server = await startTestCollector();
  running.push(server);
  return server.url;
}

async function send(url: string, signal: 'traces' | 'logs', request: Request, encoding: Encoding): Promise<void> {
  const body = encoding === 'json' ? encodeJson(request)
    : signal === 'traces' ? encodeTraceProtobuf(request) : encodeLogsProtobuf(request);
  const response = await fetch(`${url}/v1/${signal}`, {
    method: 'POST', body, headers: { 'content-type': encoding === 'json' ? 'application/json' : 'application/x-protobuf' },
  });
  const text = Buffer.from(await response.arrayBuffer()).toString();
  expect(response.status, text).toBe(200);
  if (encoding === 'json') expect(JSON.parse(text).partialSuccess ?? {}, text).toEqual({});
}

/** GET an export route of a trace; the answer must be a 200. */
async function exportOf(url: string, traceId: string, route: 'otlp' | 'logs/otlp'): Promise<Request> {
  const answer = await api<Request>(url, `/api/executions/${traceId.toLowerCase()}/${route}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

async function exported(url: string, traceId: string): Promise<{ traces: Request; logs: Request }> {
  return { traces: await exportOf(url, traceId, 'otlp'), logs: await exportOf(url, traceId, 'logs/otlp') };
}

describe.each<Encoding>(['json', 'protobuf'])('OTLP export round trip, sent as %s', (encoding) => {
  it("gives back the specification's example trace and log record field by field", async () => {
    const url = await collector();
    await send(url, 'traces', specTraceExample(), encoding);
    await send(url, 'logs', specLogsExample(), encoding);
    expectSameOtlp(await exportOf(url, SPEC_TRACE_ID, 'otlp'), specTraceExample());
    expectSameOtlp(await exportOf(url, SPEC_TRACE_ID, 'logs/otlp'), specLogsExample());
  });

  it('gives back every field of spans, events, links, statuses and log records, and every value type', async () => {
    const url = await collector();
    await send(url, 'traces', everyFieldTraceRequest(), encoding);
    await send(url, 'logs', everyFieldLogsRequest(), encoding);
    expectSameOtlp(await exportOf(url, FULL_TRACE_ID, 'otlp'), everyFieldTraceRequest());
    expectSameOtlp(await exportOf(url, FULL_TRACE_ID, 'logs/otlp'), everyFieldLogsRequest());
  });
});

describe('re-sending an export', () => {
  it('stores the same trace again, here and in another collector', async () => {
    const first = await collector();
    await send(first, 'traces', everyFieldTraceRequest(), 'protobuf');
    await send(first, 'logs', everyFieldLogsRequest(), 'protobuf');
    const before = await exported(first, FULL_TRACE_ID);
    const spansBefore = (await api(first, `/api/executions/${FULL_TRACE_ID}`)).body;

    await send(first, 'traces', before.traces, 'json');
    await send(first, 'logs', before.logs, 'json');
    const again = await exported(first, FULL_TRACE_ID);
    expect(firstDifference(again, before)).toBeNull();
    expect(firstDifference((await api(first, `/api/executions/${FULL_TRACE_ID}`)).body, spansBefore)).toBeNull();

    const second = await collector();
    await send(second, 'traces', before.traces, 'json');
    await send(second, 'logs', before.logs, 'json');
    const there = await exported(second, FULL_TRACE_ID);
    expect(firstDifference(there, before)).toBeNull();
  });
});
