/**
 * The list's text search finds an execution by the error a user saw: its status message, the
 * message of any exception event (not only the first), and its console or log lines, as well
 * as by names and attributes (execution-list-sql.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { makeLogRow, makeSpanRow, newSpanId, newTraceId, ns } from '../fixtures/rows.js';

let storage: Storage;
const now = Date.now();
const ids = { status: newTraceId(), exception: newTraceId(), secondException: newTraceId(), log: newTraceId(), rootError: newTraceId(), plain: newTraceId() };

function root(traceId: string, overrides: Parameters<typeof makeSpanRow>[0] = {}) {
  return makeSpanRow({ traceId, name: 'checkout', flowName: 'checkout', startTimeUnixNano: ns(now - 60_000), ...overrides });
}

beforeAll(async () => {
  storage = await openStorage({ path: ':memory:' });
  const exception = (message: string) => ({ name: 'exception', timeUnixNano: String(ns(now - 59_000)), attributes: { 'exception.type': 'Error', 'exception.message': message } });
  const parent = newSpanId();
  await storage.writer.write({
    spans: [
      root(ids.status),
      makeSpanRow({ traceId: ids.status, parentSpanId: newSpanId(), name: 'charge', statusCode: 2, statusMessage: 'Card DECLINED by issuer', startTimeUnixNano: ns(now - 59_500) }),
      root(ids.exception),
      makeSpanRow({ traceId: ids.exception, parentSpanId: newSpanId(), name: 'charge', statusCode: 2, exceptionMessage: 'gateway timeout after 3 retries', events: JSON.stringify([exception('gateway timeout after 3 retries')]), startTimeUnixNano: ns(now - 59_500) }),
      root(ids.secondException),
      makeSpanRow({ traceId: ids.secondException, parentSpanId: newSpanId(), name: 'charge', statusCode: 2, exceptionMessage: 'first failure', events: JSON.stringify([exception('first failure'), exception('fraud check refused the card')]), startTimeUnixNano: ns(now - 59_500) }),
      root(ids.log, { spanId: parent }),
      root(ids.rootError, { statusCode: 2, statusMessage: 'inventory exhausted' }),
      root(ids.plain),
    ],
    starts: [],
    logs: [makeLogRow({ traceId: ids.log, spanId: parent, timeUnixNano: ns(now - 59_000), severityNumber: 17, body: 'retrying: upstream said 503 Service Unavailable' })],
  });
});

afterAll(async () => {
  await storage?.close();
});

async function found(text: string): Promise<string[]> {
  return (await storage.executions.list({ text, limit: 20 })).executions.map((e) => e.traceId);
}

describe('text search of errors', () => {
  it('finds a status message, whatever its case', async () => {
    expect(await found('card declined')).toEqual([ids.status]);
  });

  it('finds the message of an exception event', async () => {
    expect(await found('gateway timeout')).toEqual([ids.exception]);
  });

  it('finds the message of a later exception event of the same span', async () => {
    expect(await found('fraud check refused')).toEqual([ids.secondException]);
  });

  it('finds a console or log line of the execution', async () => {
    expect(await found('503 service unavailable')).toEqual([ids.log]);
  });

  it("finds the root span's own error", async () => {
    expect(await found('inventory exhausted')).toEqual([ids.rootError]);
  });

  it('finds the same inside a time range (the windowed search of the list)', async () => {
    const page = await storage.executions.list({ text: 'card declined', fromNs: ns(now - 120_000), limit: 20 });
    expect(page.executions.map((e) => e.traceId)).toEqual([ids.status]);
    const logs = await storage.executions.list({ text: '503 service unavailable', fromNs: ns(now - 120_000), limit: 20 });
    expect(logs.executions.map((e) => e.traceId)).toEqual([ids.log]);
  });

  it('still finds nothing for text no execution holds', async () => {
    expect(await found('no such words anywhere')).toEqual([]);
  });
});
