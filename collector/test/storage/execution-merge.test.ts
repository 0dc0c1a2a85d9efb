/** The rules that fold a group's spans into execution rows, without a database. */
import { describe, expect, it } from 'vitest';
import { mergeExecutions } from '../../src/storage/execution-merge.js';
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

  it('names a trace without a root after its earliest span and calls it running', () => {
    const traceId = newTraceId();
    const a = makeSpanRow({ traceId, parentSpanId: newSpanId(), name: 'later', startTimeUnixNano: ns(2000), endTimeUnixNano: ns(2500) });
    const b = makeSpanRow({ traceId, parentSpanId: newSpanId(), name: 'earliest', startTimeUnixNano: ns(1000), endTimeUnixNano: ns(1100) });
    const [e] = mergeExecutions([a, b], [], none, new Map(), NOW);
    expect(e).toMatchObject({ rootName: 'earliest', rootFinished: false, status: 'running', startNs: ns(1000), endNs: ns(2500) });
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
});
