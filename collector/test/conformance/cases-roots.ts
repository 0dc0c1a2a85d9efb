/**
 * Roots and not-found. An execution is rooted at its span without a parent; until one arrives,
 * at its earliest span whose parent is not in the trace (a remote parent). Spans of one trace
 * arrive in any order, in any batch, and the execution comes out the same. A read of something
 * not stored answers undefined (an empty list for a list), never an error or an empty record.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../src/storage/contract.js';
import type { SpanSpec } from './batches.js';
import { withStore, write, type OpenStore } from './harness.js';
import { DAY_MS, errorSpans, flowRun, newSpanId, newTraceId, nsOf, plainSpan, type Run } from './scenarios.js';

/** What an execution must say of a finished run, computed from the run. */
function expectedOf(run: Run): Partial<ExecutionRecord> {
  return {
    traceId: run.traceId, rootSpanId: run.rootSpanId, rootParentSpanId: null, rootName: run.flow, rootFinished: true,
    status: run.status, flowName: run.flow, serviceName: run.service, userId: run.user, triggerType: run.trigger,
    startNs: run.startNs, endNs: run.endNs, spanCount: run.spans.length, errorCount: errorSpans(run),
    minStartNs: run.startNs, maxStartNs: run.nodes[run.nodes.length - 1].startNs,
  };
}

/** Every order of a list. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

export function rootCases(open: OpenStore): void {
  describe('roots', () => {
    it('roots an execution at its span without a parent', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'rooted', startMs: Date.now() - 60_000, nodes: 3, status: 'error' });
      await write(storage, { spans: run.spans });
      expect(await storage.executions.get(run.traceId)).toMatchObject(expectedOf(run));
    }));

    it('roots an execution under a remote parent at its earliest span whose parent is not in the trace', () => withStore(open, undefined, async (storage) => {
      const traceId = newTraceId();
      const t = nsOf(Date.now() - 60_000);
      const remote = newSpanId();
      const first = plainSpan({ traceId, startNs: t + nsOf(10), parentSpanId: remote, name: 'first-orphan' });
      const later = plainSpan({ traceId, startNs: t + nsOf(20), parentSpanId: newSpanId(), name: 'later-orphan' });
      const child = plainSpan({ traceId, startNs: t + nsOf(5), parentSpanId: later.spanId, name: 'early-child' });
      await write(storage, { spans: [later, child, first] });
      const execution = await storage.executions.get(traceId);
      expect(execution).toMatchObject({
        rootSpanId: first.spanId, rootParentSpanId: remote, rootName: 'first-orphan', rootFinished: true, spanCount: 3,
        startNs: first.startNs, minStartNs: child.startNs,
      });
      expect(execution!.status).toBe('success');
    }));

    it('lets a span without a parent arriving later take over from a remote-parent root', () => withStore(open, undefined, async (storage) => {
      const traceId = newTraceId();
      const t = nsOf(Date.now() - 60_000);
      const top = plainSpan({ traceId, startNs: t, endNs: t + nsOf(50), name: 'top', statusCode: 2, statusMessage: 'top failed' });
      const child = plainSpan({ traceId, startNs: t + nsOf(10), parentSpanId: top.spanId, name: 'child' });
      await write(storage, { spans: [child] });
      expect(await storage.executions.get(traceId)).toMatchObject({ rootSpanId: child.spanId, rootParentSpanId: top.spanId, status: 'success' });
      await write(storage, { spans: [top] });
      expect(await storage.executions.get(traceId)).toMatchObject({
        rootSpanId: top.spanId, rootParentSpanId: null, rootName: 'top', status: 'error', startNs: top.startNs, endNs: top.endNs, spanCount: 2,
      });
    }));

    it('lets an earlier span under a remote parent take over from a later one', () => withStore(open, undefined, async (storage) => {
      const traceId = newTraceId();
      const t = nsOf(Date.now() - 60_000);
      const later = plainSpan({ traceId, startNs: t + nsOf(30), parentSpanId: newSpanId(), name: 'later' });
      const earlier = plainSpan({ traceId, startNs: t, parentSpanId: newSpanId(), name: 'earlier' });
      await write(storage, { spans: [later] });
      await write(storage, { spans: [earlier] });
      expect(await storage.executions.get(traceId)).toMatchObject({
        rootSpanId: earlier.spanId, rootParentSpanId: earlier.parentSpanId, startNs: earlier.startNs, spanCount: 2,
      });
    }));

    it('builds the same execution whatever order and batches the spans of a trace come in', () => withStore(open, undefined, async (storage) => {
      const shape = { flow: 'split', startMs: Date.now() - 2 * DAY_MS, nodes: 3, status: 'error' as const, lineText: 'split line' };
      const orders = permutations([0, 1, 2]);
      const runs = orders.map(() => flowRun(shape));
      // Three parts: the root, the first two nodes with the lines, the failing node.
      const parts = (run: Run): SpanSpec[][] => [[run.root], run.nodes.slice(0, 2), run.nodes.slice(2)];
      for (const [i, order] of orders.entries()) {
        for (const part of order) {
          await write(storage, { spans: parts(runs[i])[part], lines: part === 1 ? runs[i].lines : [] });
        }
      }
      for (const run of runs) {
        expect(await storage.executions.get(run.traceId)).toMatchObject({ ...expectedOf(run), errorNodeId: 'step-2' });
        expect((await storage.traces.get(run.traceId))!.logs).toHaveLength(run.lines.length);
      }
      const listed = await storage.executions.list({ flow: ['split'], limit: 50 });
      expect(listed.executions.map((e) => e.traceId).sort()).toEqual(runs.map((r) => r.traceId).sort());
    }));
  });

  describe('not found', () => {
    it('answers undefined or an empty list for what is not stored', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'present', startMs: Date.now() - 60_000 });
      await write(storage, { spans: run.spans });
      const missing = newTraceId();
      const range = { fromNs: 0n, toNs: nsOf(Date.now() + DAY_MS) };
      expect(await storage.executions.get(missing)).toBeUndefined();
      expect(await storage.traces.get(missing)).toBeUndefined();
      expect(await storage.traces.getJson(missing)).toBeUndefined();
      expect(await storage.traces.outline(missing)).toBeUndefined();
      const execution = (await storage.executions.get(run.traceId))!;
      expect(await storage.traces.span(execution, newSpanId())).toBeUndefined();
      const other = flowRun({ flow: 'other', startMs: Date.now() - 60_000 });
      await write(storage, { spans: other.spans });
      expect(await storage.traces.span(execution, other.rootSpanId), 'a span of another trace').toBeUndefined();
      expect(await storage.traces.spanIdsMatching(execution, { text: 'no such text anywhere' })).toEqual([]);
      expect(await storage.executions.list({ flow: ['absent'], limit: 10 })).toEqual({ executions: [], hasMore: false });
      expect(await storage.executions.traceIdsOfFlow('absent')).toEqual([]);
      expect(await storage.statistics.flow('absent', range)).toBeUndefined();
      expect(await storage.statistics.flows({ fromNs: 1n, toNs: 2n })).toEqual([]);
      expect(await storage.statistics.nodes('absent', range)).toEqual([]);
      expect(await storage.statistics.flowSeries('absent', range, nsOf(DAY_MS))).toEqual([]);
      expect(await storage.deleteExecutions([missing])).toBe(0);
    }));

    it('answers empty lists from an empty store', () => withStore(open, undefined, async (storage) => {
      const range = { fromNs: 0n, toNs: nsOf(Date.now() + DAY_MS) };
      expect(await storage.executions.list({ limit: 10 })).toEqual({ executions: [], hasMore: false });
      expect(await storage.catalog.services()).toEqual([]);
      expect(await storage.catalog.attributeKeys()).toEqual([]);
      expect(await storage.statistics.flows(range)).toEqual([]);
      expect(await storage.loneLogs({ ...range, limit: 10 })).toEqual([]);
    }));
  });
}
