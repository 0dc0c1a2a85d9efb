import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { makeExecutionRows, makeLogRow, makeSpanRow, newSpanId, newTraceId, ns } from '../fixtures/rows.js';

const batch = (spans = [] as ReturnType<typeof makeExecutionRows>, starts = [] as typeof spans, logs = [] as ReturnType<typeof makeLogRow>[]) => ({
  spans,
  starts,
  logs,
});

describe('storage writer', () => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await openStorage({ path: ':memory:' });
  });
  afterEach(async () => {
    await storage.close();
  });

  it('stores an execution and reads it back with its spans', async () => {
    const rows = makeExecutionRows({ nodes: 3 });
    await storage.writer.write(batch(rows));
    const trace = await storage.traces.get(rows[0].traceId);
    expect(trace?.spans).toHaveLength(4);
    expect(trace?.execution.status).toBe('success');
    expect(trace?.execution.flowName).toBe('order-flow');
    expect(trace?.execution.spanCount).toBe(4);
  });

  it('keeps one row when the same batch is sent twice', async () => {
    const rows = makeExecutionRows({ nodes: 5 });
    await storage.writer.write(batch(rows));
    await storage.writer.write(batch(rows));
    await Promise.all([storage.writer.write(batch(rows)), storage.writer.write(batch(rows))]);
    const trace = await storage.traces.get(rows[0].traceId);
    expect(trace?.spans).toHaveLength(6);
    expect(trace?.execution.spanCount).toBe(6);
  });

  it('stores a span once when its batch is retried after a restart on the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ft-writer-'));
    const path = join(dir, 'db.duckdb');
    const rows = makeExecutionRows({ nodes: 4 });
    const first = await openStorage({ path });
    await first.writer.write(batch(rows));
    await first.close();
    const second = await openStorage({ path });
    await second.writer.write(batch(rows));
    expect((await second.traces.get(rows[0].traceId))?.spans).toHaveLength(5);
    expect((await second.executions.get(rows[0].traceId))?.spanCount).toBe(5);
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a span once when its retry comes after the memory of recent keys moved on', async () => {
    await storage.close();
    storage = await openStorage({ path: ':memory:', recentKeys: 8 });
    const old = makeExecutionRows({ nodes: 3, startMs: Date.now() - 60_000 });
    await storage.writer.write(batch(old));
    for (let i = 0; i < 5; i++) await storage.writer.write(batch(makeExecutionRows({ nodes: 3 })));
    await storage.writer.write(batch(old));
    expect((await storage.traces.get(old[0].traceId))?.spans).toHaveLength(4);
  });

  it('builds the execution when children arrive before the root', async () => {
    const rows = makeExecutionRows({ nodes: 2, failNode: 1 });
    const root = rows[rows.length - 1];
    await storage.writer.write(batch(rows.slice(0, 1)));
    let execution = await storage.executions.get(root.traceId);
    // Until its parent arrives, the finished child roots the execution: never shown as running.
    expect(execution).toMatchObject({ rootFinished: true, rootSpanId: rows[0].spanId, rootParentSpanId: root.spanId });
    expect(execution?.status).not.toBe('running');
    await storage.writer.write(batch(rows.slice(1, 2)));
    await storage.writer.write(batch([root]));
    execution = await storage.executions.get(root.traceId);
    expect(execution).toMatchObject({ status: 'error', rootFinished: true, spanCount: 3, errorCount: 2, errorNodeId: 'n1' });
    expect(execution?.startNs).toBe(root.startTimeUnixNano);
    expect(execution?.endNs).toBe(root.endTimeUnixNano);
    expect(execution).toMatchObject({ rootSpanId: root.spanId, rootParentSpanId: null });
  });

  it('shows a running span from its start mark and replaces it when the span ends', async () => {
    const traceId = newTraceId();
    const rootId = newSpanId();
    const start = makeSpanRow({ traceId, spanId: rootId, name: 'flow', flowName: 'live-flow', executionKind: 'flow', endTimeUnixNano: null });
    await storage.writer.write(batch([], [start]));
    let trace = await storage.traces.get(traceId);
    expect(trace?.execution.status).toBe('running');
    expect(trace?.execution.flowName).toBe('live-flow');
    expect(trace?.spans[0].endTimeUnixNano).toBeNull();
    const finished = { ...start, endTimeUnixNano: start.startTimeUnixNano + ns(50), statusCode: 1 };
    await storage.writer.write(batch([finished]));
    trace = await storage.traces.get(traceId);
    expect(trace?.spans).toHaveLength(1);
    expect(trace?.spans[0].endTimeUnixNano).toBe(finished.endTimeUnixNano);
    expect(trace?.execution).toMatchObject({ status: 'success', spanCount: 1 });
  });

  it('ignores a start mark that arrives after its finished span', async () => {
    const rows = makeExecutionRows({ nodes: 1 });
    await storage.writer.write(batch(rows));
    await storage.writer.write(batch([], [{ ...rows[1], endTimeUnixNano: null }]));
    const trace = await storage.traces.get(rows[0].traceId);
    expect(trace?.spans).toHaveLength(2);
    expect(trace?.spans.every((s) => s.endTimeUnixNano !== null)).toBe(true);
  });

  it('stores console lines once and returns them with the trace', async () => {
    const rows = makeExecutionRows({ nodes: 1 });
    const line = makeLogRow({ traceId: rows[0].traceId, spanId: rows[0].spanId, body: 'charging card' });
    await storage.writer.write(batch(rows, [], [line]));
    await storage.writer.write(batch([], [], [line]));
    const trace = await storage.traces.get(rows[0].traceId);
    expect(trace?.logs.map((l) => l.body)).toEqual(['charging card']);
  });

  it('returns the console lines stamped around a finished execution, and only its own', async () => {
    const startMs = Date.now() - 6 * 3_600_000;
    const rows = makeExecutionRows({ nodes: 1, startMs });
    const other = makeExecutionRows({ nodes: 1, startMs: startMs + 10 });
    const [node, root] = rows;
    const at = (ms: number, body: string, spanId = node.spanId) => makeLogRow({ traceId: node.traceId, spanId, body, timeUnixNano: ns(startMs + ms) });
    const lines = [
      at(-30_000, 'clock of another process 30 s behind'),
      at(5, 'during the node'),
      at(45 * 60_000, 'a callback 45 min after the end'),
      at(20, 'on the root', root.spanId),
      makeLogRow({ traceId: other[0].traceId, spanId: other[0].spanId, body: 'another execution', timeUnixNano: ns(startMs + 5) }),
    ];
    await storage.writer.write(batch([...rows, ...other], [], lines));
    const trace = await storage.traces.get(node.traceId);
    expect(trace?.logs.map((l) => l.body)).toEqual([
      'clock of another process 30 s behind', 'during the node', 'on the root', 'a callback 45 min after the end',
    ]);
    const execution = await storage.executions.get(node.traceId);
    const span = await storage.traces.span(execution!, node.spanId);
    expect(span?.logs.map((l) => l.body)).toEqual(['clock of another process 30 s behind', 'during the node', 'a callback 45 min after the end']);
  });

  it('deletes an execution with everything in it', async () => {
    const keep = makeExecutionRows();
    const drop = makeExecutionRows();
    await storage.writer.write(batch([...keep, ...drop]));
    expect(await storage.deleteExecutions([drop[0].traceId])).toBe(1);
    expect(await storage.traces.get(drop[0].traceId)).toBeUndefined();
    expect(await storage.traces.get(keep[0].traceId)).toBeDefined();
  });

  it('merges into executions stored before a restart, and replaces starts it did not see coming', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ft-writer-'));
    const path = join(dir, 'db.duckdb');
    const rows = makeExecutionRows({ nodes: 3 });
    const root = rows[rows.length - 1];
    const first = await openStorage({ path });
    await first.writer.write(batch(rows.slice(0, 1), [{ ...rows[1], endTimeUnixNano: null }]));
    await first.close();
    const second = await openStorage({ path });
    await second.writer.write(batch(rows.slice(1)));
    const trace = await second.traces.get(root.traceId);
    expect(trace?.spans).toHaveLength(4);
    expect(trace?.spans.every((s) => s.endTimeUnixNano !== null)).toBe(true);
    expect(trace?.execution).toMatchObject({ spanCount: 4, rootFinished: true, status: 'success' });
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a deleted execution afresh when more of its spans arrive', async () => {
    const rows = makeExecutionRows({ nodes: 3 });
    const traceId = rows[0].traceId;
    await storage.writer.write(batch(rows.slice(0, 2), [{ ...rows[2], endTimeUnixNano: null }]));
    expect(await storage.deleteExecutions([traceId])).toBe(1);
    await storage.writer.write(batch(rows.slice(2)));
    const trace = await storage.traces.get(traceId);
    expect(trace?.spans.map((s) => s.spanId).sort()).toEqual(rows.slice(2).map((s) => s.spanId).sort());
    expect(trace?.execution.spanCount).toBe(2);
  });

  it('keeps counting right when the remembered executions are fewer than the traces in flight', async () => {
    await storage.close();
    storage = await openStorage({ path: ':memory:', recentExecutions: 2 });
    const traces = Array.from({ length: 6 }, () => makeExecutionRows({ nodes: 2 }));
    for (const rows of traces) await storage.writer.write(batch(rows.slice(0, 1)));
    for (const rows of traces) await storage.writer.write(batch(rows.slice(1)));
    for (const rows of traces) {
      expect(await storage.executions.get(rows[0].traceId)).toMatchObject({ spanCount: 3, rootFinished: true });
    }
  });

  it('pages the execution list the same whether a time window fills the page or not', async () => {
    const now = Date.now();
    // 40 executions: a burst in the last minute, then hours and days apart (every window size).
    const offsetsMs = [...Array.from({ length: 12 }, (_, i) => i * 1_000), ...Array.from({ length: 14 }, (_, i) => 120_000 + i * 600_000),
      ...Array.from({ length: 14 }, (_, i) => 2 * 86_400_000 + i * 3_600_000)];
    const all = offsetsMs.map((offset) => makeExecutionRows({ nodes: 1, startMs: now - offset }));
    for (const rows of all) await storage.writer.write(batch(rows));
    const expected = all.map((rows) => rows[0].traceId);
    const seen: string[] = [];
    let cursor: { startNs: bigint; traceId: string } | undefined;
    for (;;) {
      const page = await storage.executions.list({ limit: 7, cursor });
      seen.push(...page.executions.map((e) => e.traceId));
      if (!page.hasMore) break;
      const last = page.executions[page.executions.length - 1];
      cursor = { startNs: last.startNs, traceId: last.traceId };
    }
    expect(seen).toEqual(expected);
    const fromRange = await storage.executions.list({ limit: 5, toNs: ns(now - 86_400_000) });
    expect(fromRange.executions.map((e) => e.traceId)).toEqual(expected.slice(26, 31));
  });

  it('refuses writes past the queue bound with a retryable error', async () => {
    await storage.close();
    storage = await openStorage({ path: ':memory:', maxQueueRows: 10 });
    const first = storage.writer.write(batch(makeExecutionRows({ nodes: 8 })));
    await expect(storage.writer.write(batch(makeExecutionRows({ nodes: 8 })))).rejects.toMatchObject({
      code: 'FT_QUEUE_FULL',
      statusCode: 429,
    });
    await first;
  });
});
