/** The rules that fold a group's spans into execution rows, without a database. */
import { describe, expect, it } from 'vitest';
import { mergeExecutions, parentsToLookUp } from '../../src/storage/writer/execution-merge.js';
import type { ExecutionRecord } from '../../src/storage/records.js';
import { makeExecutionRows, makeSpanRow, newSpanId, newTraceId, ns } from '../fixtures/rows.js';

const NOW = ns(Date.now());
const none = new Set<string>();
const byTrace = (records: ExecutionRecord[]) => new Map(records.map((r) => [r.traceId, r]));

describe('mergeExecutions', () => {
  it('makes one execution per trace from a whole flow', () => {
    const rows = makeExecutionRows({ nodes: 3, failNode: 2, userId: 'carol' });
    const [e] = mergeExecutions(rows, [], none, new Map(), NOW);
    const root = rows[rows.length - 1];
    expect(e).toMatchObject({
      traceId: root.traceId, rootSpanId: root.spanId, rootFinished: true, status: 'error', flowName: 'order-flow',
      userId: 'carol', errorNodeId: 'n2', spanCount: 4, errorCount: 2, startNs: root.startTimeUnixNano,
      endNs: root.endTimeUnixNano, created: true, rootFinishedNow: true,
    });
    expect(e.errorMessage).toBe('node failed');
  });

  it('roots a trace without a parentless span at its earliest span whose parent is missing, finished', () => {
    const traceId = newTraceId();
    const remote = newSpanId();
    const a = makeSpanRow({ traceId, parentSpanId: newSpanId(), name: 'later', startTimeUnixNano: ns(2000), endTimeUnixNano: ns(2500) });
    const b = makeSpanRow({ traceId, parentSpanId: remote, name: 'earliest', statusCode: 2, startTimeUnixNano: ns(1000), endTimeUnixNano: ns(1100) });
    const [e] = mergeExecutions([a, b], [], none, new Map(), NOW);
    expect(e).toMatchObject({
      rootName: 'earliest', rootSpanId: b.spanId, rootParentSpanId: remote, rootFinished: true, status: 'error',
      startNs: ns(1000), endNs: ns(1100), rootFinishedNow: true,
    });
  });

  it('takes the root start mark first and the finished root later, counting the span once', () => {
    const traceId = newTraceId();
    const rootId = newSpanId();
    const start = makeSpanRow({ traceId, spanId: rootId, flowName: 'f', executionKind: 'flow', startTimeUnixNano: ns(1000), endTimeUnixNano: null });
    const [first] = mergeExecutions([], [start], none, new Map(), NOW);
    expect(first).toMatchObject({ status: 'running', rootStarted: true, rootFinished: false, flowName: 'f', spanCount: 1 });
    const done = { ...start, endTimeUnixNano: ns(3000), statusCode: 1, flowStatus: 'cancelled' };
    const [second] = mergeExecutions([done], [], new Set([traceId + rootId]), byTrace([first]), NOW);
    expect(second).toMatchObject({ status: 'cancelled', rootFinished: true, spanCount: 1, endNs: ns(3000), created: false, rootFinishedNow: true });
  });

  it('keeps the finished root fields when later spans of the trace arrive', () => {
    const rows = makeExecutionRows({ nodes: 1, flowName: 'kept' });
    const [first] = mergeExecutions(rows, [], none, new Map(), NOW);
    const straggler = makeSpanRow({ traceId: first.traceId, parentSpanId: first.rootSpanId, name: 'late', statusCode: 2, startTimeUnixNano: first.startNs });
    const [second] = mergeExecutions([straggler], [], none, byTrace([first]), NOW);
    expect(second).toMatchObject({ flowName: 'kept', rootName: 'kept', endNs: first.endNs, spanCount: 3, errorCount: 1, status: 'success', rootFinishedNow: false });
  });

  it('treats a span with flow.execution.kind as the root even with a remote parent', () => {
    const span = makeSpanRow({ parentSpanId: newSpanId(), executionKind: 'http_handler', flowName: 'GET /x' });
    const [e] = mergeExecutions([span], [], none, new Map(), NOW);
    expect(e).toMatchObject({ rootFinished: true, status: 'success', rootSpanId: span.spanId });
  });

  it('roots a trace at a span whose parent is remote, not at its children, whatever their order', () => {
    const traceId = newTraceId();
    const remote = newSpanId();
    const root = makeSpanRow({ traceId, parentSpanId: remote, name: 'GET /orders', startTimeUnixNano: ns(1000), endTimeUnixNano: ns(1500), flags: 0x300 });
    const child = makeSpanRow({ traceId, parentSpanId: root.spanId, name: 'db', statusCode: 2, statusMessage: 'timeout', startTimeUnixNano: ns(1100), endTimeUnixNano: ns(1200) });
    for (const spans of [[root, child], [child, root]]) {
      const [e] = mergeExecutions(spans, [], none, new Map(), NOW);
      expect(e).toMatchObject({ rootSpanId: root.spanId, rootParentSpanId: remote, status: 'success', errorCount: 1, errorMessage: 'timeout', startNs: ns(1000), endNs: ns(1500) });
    }
  });

  it('switches to the root whose child arrived first, in a later group', () => {
    const traceId = newTraceId();
    const remote = newSpanId();
    const root = makeSpanRow({ traceId, parentSpanId: remote, name: 'root', startTimeUnixNano: ns(1000), endTimeUnixNano: ns(1500) });
    const child = makeSpanRow({ traceId, parentSpanId: root.spanId, name: 'child', startTimeUnixNano: ns(1100), endTimeUnixNano: ns(1200) });
    const [first] = mergeExecutions([child], [], none, new Map(), NOW);
    expect(first).toMatchObject({ rootSpanId: child.spanId, rootParentSpanId: root.spanId, status: 'success' });
    expect(parentsToLookUp([root], [], byTrace([first]))).toEqual([{ traceId, spanId: remote }]);
    const [second] = mergeExecutions([root], [], none, byTrace([first]), NOW);
    expect(second).toMatchObject({ rootSpanId: root.spanId, rootParentSpanId: remote, rootName: 'root', startNs: ns(1000), endNs: ns(1500), spanCount: 2, rootFinishedNow: true });
  });

  it('prefers a span without a parent, even one that starts after an orphan (clock skew)', () => {
    const traceId = newTraceId();
    const orphan = makeSpanRow({ traceId, parentSpanId: newSpanId(), name: 'orphan', startTimeUnixNano: ns(900), endTimeUnixNano: ns(950) });
    const root = makeSpanRow({ traceId, name: 'root', flowName: 'f', startTimeUnixNano: ns(1000), endTimeUnixNano: ns(2000) });
    const [first] = mergeExecutions([orphan], [], none, new Map(), NOW);
    expect(parentsToLookUp([root], [], byTrace([first]))).toEqual([]);
    const [second] = mergeExecutions([root], [], none, byTrace([first]), NOW);
    expect(second).toMatchObject({ rootSpanId: root.spanId, rootParentSpanId: null, flowName: 'f', startNs: ns(1000) });
    const [third] = mergeExecutions([{ ...orphan, spanId: newSpanId() }], [], none, byTrace([second]), NOW);
    expect(third).toMatchObject({ rootSpanId: root.spanId, flowName: 'f', rootFinishedNow: false });
  });

  it('keeps a stored root against an earlier span whose parent is stored, and only then', () => {
    const traceId = newTraceId();
    const root = makeSpanRow({ traceId, parentSpanId: newSpanId(), name: 'service-a', startTimeUnixNano: ns(1000), endTimeUnixNano: ns(2000) });
    const call = makeSpanRow({ traceId, parentSpanId: root.spanId, name: 'call b', startTimeUnixNano: ns(1100), endTimeUnixNano: ns(1900) });
    const [stored] = mergeExecutions([root, call], [], none, new Map(), NOW);
    // Service b's clock is behind: its span seems to start before service a's root.
    const skewed = makeSpanRow({ traceId, parentSpanId: call.spanId, name: 'service-b', startTimeUnixNano: ns(990), endTimeUnixNano: ns(1500) });
    expect(parentsToLookUp([skewed], [], byTrace([stored]))).toEqual([{ traceId, spanId: call.spanId }]);
    const [kept] = mergeExecutions([skewed], [], none, byTrace([stored]), NOW, new Set([traceId + call.spanId]));
    expect(kept).toMatchObject({ rootSpanId: root.spanId, rootName: 'service-a', spanCount: 3 });
    const [taken] = mergeExecutions([skewed], [], none, byTrace([stored]), NOW);
    expect(taken).toMatchObject({ rootSpanId: skewed.spanId });
  });

  it('keeps a running root running when its finished children arrive, and a finished root finished when a child starts', () => {
    const traceId = newTraceId();
    const start = makeSpanRow({ traceId, name: 'flow', flowName: 'f', executionKind: 'flow', startTimeUnixNano: ns(1000), endTimeUnixNano: null });
    const [running] = mergeExecutions([], [start], none, new Map(), NOW);
    const child = makeSpanRow({ traceId, parentSpanId: start.spanId, startTimeUnixNano: ns(1100), endTimeUnixNano: ns(1200) });
    const [still] = mergeExecutions([child], [], none, byTrace([running]), NOW);
    expect(still).toMatchObject({ status: 'running', rootSpanId: start.spanId, rootFinished: false, flowName: 'f' });

    const root = makeSpanRow({ name: 'GET /x', startTimeUnixNano: ns(1000), endTimeUnixNano: ns(2000) });
    const [done] = mergeExecutions([root], [], none, new Map(), NOW);
    const late = makeSpanRow({ traceId: root.traceId, parentSpanId: root.spanId, startTimeUnixNano: ns(1500), endTimeUnixNano: null });
    const [after] = mergeExecutions([], [late], none, byTrace([done]), NOW);
    expect(after).toMatchObject({ status: 'success', rootSpanId: root.spanId });
  });

  it('switches from a finished orphan to the true root start mark: the execution runs', () => {
    const traceId = newTraceId();
    const rootId = newSpanId();
    const node = makeSpanRow({ traceId, parentSpanId: rootId, name: 'node', startTimeUnixNano: ns(1100), endTimeUnixNano: ns(1200) });
    const [first] = mergeExecutions([node], [], none, new Map(), NOW);
    expect(first.status).toBe('success');
    const start = makeSpanRow({ traceId, spanId: rootId, name: 'flow', flowName: 'f', startTimeUnixNano: ns(1000), endTimeUnixNano: null });
    const [second] = mergeExecutions([], [start], none, byTrace([first]), NOW);
    expect(second).toMatchObject({ status: 'running', rootSpanId: rootId, rootParentSpanId: null, flowName: 'f', rootFinished: false, startNs: ns(1000) });
  });
});
