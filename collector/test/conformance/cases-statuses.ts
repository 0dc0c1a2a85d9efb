/**
 * Statuses come from one list (@flowtrace/instrumentation conventions): an execution is
 * running, success, error, cancelled, timed_out or abandoned (running and silent past
 * abandonAfterMs); a node adds skipped. Every status of the lists has a case here: a status
 * added to the conventions fails the coverage check until it gets one.
 */
import { EXECUTION_STATUSES, NODE_STATUSES, type ExecutionStatus, type NodeStatus } from '@flowtrace/instrumentation/conventions';
import { describe, expect, it } from 'vitest';
import type { SpanSpec } from './batches.js';
import { pastWallClock, withStore, write, type OpenStore } from './harness.js';
import { outlineRows } from './outline.js';
import { flowRun, newSpanId, nsOf, type FinishedStatus } from './scenarios.js';

/** Statuses a run written now shows at once (abandoned needs silence, below). */
const AT_ONCE: ReadonlyArray<FinishedStatus | 'running'> = ['running', 'success', 'error', 'cancelled', 'timed_out'];
/** Node statuses a node span gets from what it carries (abandoned belongs to its execution, above). */
const NODE_AT_ONCE: readonly NodeStatus[] = ['running', 'success', 'error', 'cancelled', 'timed_out', 'skipped'];

/** A node span of a flow run carrying this status (running: a start mark). */
function nodeWithStatus(parent: { traceId: string; rootSpanId: string; startNs: bigint }, status: NodeStatus, i: number): SpanSpec {
  const startNs = parent.startNs + nsOf(1 + i);
  return {
    traceId: parent.traceId, spanId: newSpanId(), parentSpanId: parent.rootSpanId, name: `node ${status}`, service: 'orders',
    startNs, endNs: status === 'running' ? null : startNs + nsOf(1),
    statusCode: status === 'error' || status === 'timed_out' ? 2 : status === 'running' ? 0 : 1,
    attributes: { 'flow.node.id': `node-${status}`, ...(status === 'running' ? {} : { 'flow.node.status': status }) },
  };
}

export function statusCases(open: OpenStore): void {
  describe('statuses', () => {
    it('has a case for every execution and node status of the conventions', () => {
      expect([...AT_ONCE, 'abandoned'].sort()).toEqual([...EXECUTION_STATUSES].sort());
      expect([...NODE_AT_ONCE, 'abandoned'].sort()).toEqual([...NODE_STATUSES].sort());
    });

    it('gives running, success, error, cancelled and timed_out executions their status in reads and the status filter', () => withStore(open, undefined, async (storage) => {
      const runs = AT_ONCE.map((status) => flowRun({ flow: `status-${status}`, status, startMs: Date.now() - 60_000 }));
      await write(storage, { spans: runs.flatMap((r) => r.spans) });
      for (const run of runs) {
        expect((await storage.executions.get(run.traceId))?.status).toBe(run.status);
        const page = await storage.executions.list({ status: [run.status as ExecutionStatus], limit: 50 });
        expect(page.executions.map((e) => e.traceId)).toEqual([run.traceId]);
      }
    }));

    it('calls a running execution abandoned once it is silent past abandonAfterMs, and only a running one', () => withStore(open, { abandonAfterMs: 50 }, async (storage) => {
      const silent = flowRun({ flow: 'silent', status: 'running', startMs: Date.now() - 60_000 });
      const done = flowRun({ flow: 'done', status: 'success', startMs: Date.now() - 60_000 });
      await write(storage, { spans: [...silent.spans, ...done.spans] });
      await pastWallClock(Date.now(), 60);
      expect((await storage.executions.get(silent.traceId))?.status).toBe('abandoned');
      expect((await storage.executions.get(done.traceId))?.status).toBe('success');
      const abandoned = await storage.executions.list({ status: ['abandoned'], limit: 10 });
      expect(abandoned.executions.map((e) => e.traceId)).toEqual([silent.traceId]);
      expect((await storage.executions.list({ status: ['running'], limit: 10 })).executions).toEqual([]);
    }));

    it('gives node spans their status, skipped among them, alike in the trace, one span and the outline', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'node-statuses', startMs: Date.now() - 60_000, nodes: 0, durationMs: 100 });
      const nodes = NODE_AT_ONCE.map((status, i) => nodeWithStatus(run, status, i));
      await write(storage, { spans: [run.root, ...nodes] });
      const execution = (await storage.executions.get(run.traceId))!;
      const json = await storage.traces.getJson(run.traceId);
      const spans = JSON.parse(`[${json!.spansJson}]`) as Array<{ spanId: string; status: string }>;
      const outline = outlineRows((await storage.traces.outline(run.traceId))!);
      for (const [i, status] of NODE_AT_ONCE.entries()) {
        const id = nodes[i].spanId;
        expect(spans.find((s) => s.spanId === id)?.status, `trace JSON of the ${status} node`).toBe(status);
        const one = await storage.traces.span(execution, id);
        expect((JSON.parse(one!.spanJson) as { status: string }).status, `span JSON of the ${status} node`).toBe(status);
        expect(outline.find((s) => s.spanId === id)?.status, `outline of the ${status} node`).toBe(status);
      }
    }));
  });
}
