/**
 * Writes are durable and idempotent: a span is identified by trace id and span id, so a retried
 * batch (even with other times) stores nothing twice; a finished span replaces its running mark
 * whichever came first; one bad record fails its own batch and no other.
 */
import { describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/contract.js';
import { batchOf, withBadRecord, type SpanSpec } from './batches.js';
import { expectCode, sqlRowsOfTrace, withStore, write, type OpenStore } from './harness.js';
import { errorSpans, flowRun, HOUR_MS, nsOf, type Run } from './scenarios.js';

/** The same spans as running marks (what the instrumentation sends when each starts). */
const asRunning = (spans: SpanSpec[]): SpanSpec[] => spans.map((s) => ({ ...s, endNs: null }));

/** Asserts that the trace holds each span of `run` exactly once, finished, and its lines once. */
async function expectStoredOnce(storage: Storage, run: Run): Promise<void> {
  const trace = await storage.traces.get(run.traceId);
  expect(trace).toBeDefined();
  expect(trace!.spans.map((s) => s.spanId).sort()).toEqual(run.spans.map((s) => s.spanId).sort());
  expect(trace!.execution).toMatchObject({ spanCount: run.spans.length, errorCount: errorSpans(run) });
  expect(trace!.logs).toHaveLength(run.lines.length);
  expect(await sqlRowsOfTrace(storage, 'spans', run.traceId)).toBe(run.spans.length);
  expect(await sqlRowsOfTrace(storage, 'logs', run.traceId)).toBe(run.lines.length);
  expect(await sqlRowsOfTrace(storage, 'executions', run.traceId)).toBe(1);
}

export function writeCases(open: OpenStore): void {
  describe('durable and idempotent writes', () => {
    it('stores a batch retried one after another and at the same time once: spans, lines, lone lines and points', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'retry', startMs: Date.now() - 5_000, nodes: 3, lineText: 'retried line', status: 'error' });
      const t = Date.now() - HOUR_MS;
      const lone = [{ traceId: '', spanId: '', timeNs: nsOf(t), body: 'lone retried line', service: 'cron' }];
      const points = [1, 2].map((value, i) => ({ service: 'worker', name: 'retried.gauge', timeNs: nsOf(t + i * 1_000), value }));
      const spec = { spans: run.spans, lines: [...run.lines, ...lone], points };
      await write(storage, spec);
      await write(storage, spec);
      await Promise.all([write(storage, spec), write(storage, spec)]);
      await expectStoredOnce(storage, run);
      const page = await storage.executions.list({ flow: ['retry'], limit: 10 });
      expect(page.executions.map((e) => e.traceId)).toEqual([run.traceId]);
      expect(await storage.loneLogs({ fromNs: nsOf(t), toNs: nsOf(t), limit: 10 })).toHaveLength(1);
      const metrics = await storage.metrics.list({ fromNs: nsOf(t), toNs: nsOf(t + HOUR_MS) });
      expect(metrics.find((m) => m.name === 'retried.gauge')?.points).toBe(points.length);
    }));

    it('stores a span once when its retry carries other start and end times', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'retry-times', startMs: Date.now() - 5_000, nodes: 2 });
      await write(storage, { spans: run.spans });
      const shifted = run.spans.map((s) => ({ ...s, startNs: s.startNs + nsOf(7), endNs: s.endNs! + nsOf(9) }));
      await write(storage, { spans: shifted });
      await expectStoredOnce(storage, run);
    }));

    it('stores a running mark once when its retry carries another start time', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'retry-mark', startMs: Date.now() - 5_000, nodes: 2, status: 'running' });
      await write(storage, { spans: run.spans });
      await write(storage, { spans: run.spans.map((s) => ({ ...s, startNs: s.startNs + nsOf(3) })) });
      const trace = (await storage.traces.get(run.traceId))!;
      expect(trace.spans.map((s) => s.spanId).sort()).toEqual(run.spans.map((s) => s.spanId).sort());
      expect(trace.execution).toMatchObject({ spanCount: run.spans.length, status: 'running' });
      expect(await sqlRowsOfTrace(storage, 'spans', run.traceId)).toBe(run.spans.length);
    }));

    it('replaces a running mark by its finished span when their start times differ', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'marks-skewed', startMs: Date.now() - 5_000, nodes: 2 });
      await write(storage, { spans: asRunning(run.spans).map((s) => ({ ...s, startNs: s.startNs - 1_000n })) });
      await write(storage, { spans: run.spans });
      await expectStoredOnce(storage, run);
      const trace = (await storage.traces.get(run.traceId))!;
      expect(trace.spans.every((s) => s.endTimeUnixNano !== null)).toBe(true);
      expect(trace.execution).toMatchObject({ status: 'success', rootFinished: true });
    }));

    it('replaces running marks by their finished spans when the marks arrive first', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'marks-first', startMs: Date.now() - 5_000, nodes: 2 });
      await write(storage, { spans: asRunning(run.spans) });
      const running = await storage.executions.get(run.traceId);
      expect(running).toMatchObject({ status: 'running', rootFinished: false, spanCount: run.spans.length });
      await write(storage, { spans: run.spans });
      await expectStoredOnce(storage, run);
      const trace = await storage.traces.get(run.traceId);
      expect(trace!.spans.every((s) => s.endTimeUnixNano !== null)).toBe(true);
      expect(trace!.execution).toMatchObject({ status: 'success', rootFinished: true, endNs: run.endNs });
    }));

    it('keeps the finished span when its running mark arrives after it', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'marks-last', startMs: Date.now() - 5_000, nodes: 2 });
      await write(storage, { spans: run.spans });
      await write(storage, { spans: asRunning(run.spans) });
      await expectStoredOnce(storage, run);
      const trace = await storage.traces.get(run.traceId);
      expect(trace!.spans.every((s) => s.endTimeUnixNano !== null)).toBe(true);
      expect(trace!.execution).toMatchObject({ status: 'success', rootFinished: true, endNs: run.endNs });
    }));

    it('keeps only the finished span when it and its mark come in one batch', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'marks-together', startMs: Date.now() - 5_000, nodes: 2 });
      await write(storage, { spans: [...asRunning(run.spans), ...run.spans] });
      await expectStoredOnce(storage, run);
      expect((await storage.executions.get(run.traceId))?.status).toBe('success');
    }));

    it('fails only the batch that holds a bad record, and goes on writing', () => withStore(open, undefined, async (storage) => {
      const [a, bad, c] = ['good-a', 'bad', 'good-c'].map((flow) => flowRun({ flow, startMs: Date.now() - 5_000 }));
      const results = await Promise.allSettled([
        write(storage, { spans: a.spans }),
        storage.writer.write(withBadRecord(batchOf({ spans: bad.spans }))),
        write(storage, { spans: c.spans }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      await expectCode(Promise.reject((results[1] as PromiseRejectedResult).reason), /^FT_/);
      await expectStoredOnce(storage, a);
      await expectStoredOnce(storage, c);
      const after = flowRun({ flow: 'after-bad', startMs: Date.now() - 1_000 });
      await write(storage, { spans: after.spans });
      await expectStoredOnce(storage, after);
    }));
  });
}
