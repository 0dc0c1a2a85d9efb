/**
 * A deleted execution leaves nothing of itself in any table of the schema, however its rows are
 * spread in time: console lines hours before or after its spans, a span that starts hours before
 * its root, a running span, large attributes, indexed attribute values. Checked after each kind
 * of delete: DELETE /api/executions/:traceId, DELETE /api/flows/:name/executions, and retention
 * by age and by size. What arrives for the trace after the delete is new data and is kept.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer, ServerOptions } from '../../src/server.js';
import { duckdbOf } from '../../src/storage/duckdb-storage.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { makeLogRecord, makeLogsRequest, makeOtlpSpan, makeStartMark, makeTraceRequest, strAttr } from '../fixtures/otlp.js';
import { executionRequest } from '../fixtures/seed.js';
import { rowsOfTraces } from '../fixtures/trace-rows.js';

const HOUR = 3_600_000;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);

let server: RunningServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

async function start(options: ServerOptions = {}): Promise<RunningServer> {
  dir = mkdtempSync(join(tmpdir(), 'ft-delete-'));
  server = await startTestCollector({ dbPath: join(dir, 'db.duckdb'), sqlMaxRows: 100_000, ...options });
  return server;
}

async function post(base: string, signal: 'traces' | 'logs', request: unknown): Promise<void> {
  const response = await fetch(`${base}/v1/${signal}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  expect(response.status, await response.text()).toBe(200);
}

/**
 * An execution of `flow` rooted at `rootMs` whose rows lie far apart in time: a node span that
 * starts 3 h before the root, a large attribute, a span still running, and console lines 5 h
 * before and after the root, with and without a span id, and one timed only by its observed time.
 */
async function sendScatteredExecution(base: string, flow: string, rootMs: number): Promise<string> {
  const traceId = hex(16);
  const root = hex(8);
  const early = hex(8);
  const span = (spanId: string, parentSpanId: string, name: string, startMs: number, extra: ReturnType<typeof strAttr>[] = []) =>
    makeOtlpSpan({
      traceId, spanId, parentSpanId, name, kind: 1, startTimeUnixNano: ns(startMs), endTimeUnixNano: ns(startMs + 1_000),
      attributes: [strAttr('order.id', `order-${traceId.slice(0, 6)}`), ...extra], status: { code: 1 },
    });
  await post(base, 'traces', makeTraceRequest([
    span(root, '', flow, rootMs, [strAttr('flow.execution.kind', 'flow'), strAttr('flow.name', flow)]),
    span(early, root, 'started before its root', rootMs - 3 * HOUR, [strAttr('flow.node.input', 'x'.repeat(2_000))]),
  ]));
  const line = (ms: number, spanId: string, body: string, observedOnly = false) => makeLogRecord({
    traceId, spanId, body: { stringValue: body },
    timeUnixNano: observedOnly ? '0' : ns(ms), observedTimeUnixNano: ns(ms),
  });
  await post(base, 'logs', makeLogsRequest([
    makeStartMark('never ends', { traceId, spanId: hex(8), timeUnixNano: ns(rootMs + 500) }, [strAttr('flowtrace.span.parent_id', root)]),
    line(rootMs - 5 * HOUR, early, 'five hours before'),
    line(rootMs + 5 * HOUR, root, 'five hours after'),
    line(rootMs - 2 * HOUR, '', 'no span id'),
    line(rootMs + 100, root, 'observed time only', true),
  ]));
  const stored = await rowsOfTraces(base, [traceId]);
  // Every kind of row is there before the delete, so "nothing left" below means something.
  expect(stored.counts).toMatchObject({ span_data: 2, span_starts: 1, log_data: 4, execution_data: 1 });
  expect(stored.counts.attribute_values).toBeGreaterThan(0);
  return traceId;
}

/** Other executions, so a delete that removed everything would not pass. */
async function sendBystanders(base: string, startMs: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { request, execution } = executionRequest({ flow: 'bystander', startMs: startMs + i * 1_000, nodes: 2 });
    await post(base, 'traces', request);
    ids.push(execution.traceId);
  }
  return ids;
}

async function expectNothingLeft(base: string, traceIds: string[]): Promise<void> {
  const left = await rowsOfTraces(base, traceIds);
  expect(left.tables).toEqual(expect.arrayContaining(['span_data', 'span_starts', 'log_data', 'execution_data', 'attribute_values']));
  expect(left.unkeyed, 'tables a delete by trace id cannot reach').toEqual([]);
  expect(left.counts).toEqual({});
}

describe('a deleted execution leaves nothing of itself', () => {
  it('after DELETE /api/executions/:traceId, and a line arriving after the delete is kept as new data', async () => {
    const { url } = await start();
    const victim = await sendScatteredExecution(url, 'scattered', Date.now() - HOUR);
    const [bystander] = await sendBystanders(url, Date.now() - HOUR, 1);
    expect((await api(url, `/api/executions/${victim}`, { method: 'DELETE' })).status).toBe(200);
    await expectNothingLeft(url, [victim]);
    expect((await rowsOfTraces(url, [bystander])).counts.execution_data).toBe(1);

    await post(url, 'logs', makeLogsRequest([makeLogRecord({ traceId: victim, spanId: '', timeUnixNano: ns(Date.now()) })]));
    expect((await rowsOfTraces(url, [victim])).counts).toEqual({ log_data: 1 });
  });

  it('after DELETE /api/flows/:name/executions', async () => {
    const { url } = await start();
    const victims = [
      await sendScatteredExecution(url, 'doomed', Date.now() - 2 * HOUR),
      await sendScatteredExecution(url, 'doomed', Date.now() - HOUR),
    ];
    const [bystander] = await sendBystanders(url, Date.now() - HOUR, 1);
    expect((await api(url, '/api/flows/doomed/executions', { method: 'DELETE' })).body).toEqual({ deleted: 2 });
    await expectNothingLeft(url, victims);
    expect((await rowsOfTraces(url, [bystander])).counts.execution_data).toBe(1);
  });

  it('after retention by age, with a console line timed after the age limit', async () => {
    const running = await start({ retention: { maxAgeMs: 2 * HOUR, intervalMs: HOUR } });
    // The root is 3 h old; its last console line is timed 2 h in the future.
    const victim = await sendScatteredExecution(running.url, 'old', Date.now() - 3 * HOUR);
    const [bystander] = await sendBystanders(running.url, Date.now() - HOUR, 1);
    expect((await running.storage.retention.runOnce()).deletedExecutions).toBe(1);
    await expectNothingLeft(running.url, [victim]);
    expect((await rowsOfTraces(running.url, [bystander])).counts.execution_data).toBe(1);
  });

  it('after retention by size, the oldest execution first', async () => {
    const running = await start({ retention: { maxBytes: 1, intervalMs: HOUR } });
    // Passes run only when the test says so (a cap of 1 byte is always exceeded).
    duckdbOf(running.storage).retention.stop();
    const victim = await sendScatteredExecution(running.url, 'oldest', Date.now() - 10 * HOUR);
    await sendBystanders(running.url, Date.now() - HOUR, 20);
    expect((await running.storage.retention.runOnce()).deletedExecutions).toBeGreaterThan(0);
    await expectNothingLeft(running.url, [victim]);
  });
});
