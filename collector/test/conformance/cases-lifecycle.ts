/**
 * What removes data and what keeps it: deleteExecutions removes every row of a trace (spans,
 * running marks, lines, the execution); retention past an age removes old executions, and the
 * console lines and metric points older than the age that belong to no stored execution;
 * close() then reopening a durable store keeps everything, and a retry after it stores nothing twice.
 */
import { describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/contract.js';
import type { LineSpec, SpanSpec } from './batches.js';
import { expectCode, sqlRowsOfTrace, withStore, write, type OpenStore } from './harness.js';
import { DAY_MS, flowRun, newSpanId, newTraceId, nsOf, type Run } from './scenarios.js';

/** Rows a trace holds in each console view. */
async function rowsOf(storage: Storage, traceId: string): Promise<{ spans: number; executions: number; logs: number }> {
  return {
    spans: await sqlRowsOfTrace(storage, 'spans', traceId),
    executions: await sqlRowsOfTrace(storage, 'executions', traceId),
    logs: await sqlRowsOfTrace(storage, 'logs', traceId),
  };
}

/** A finished run with lines and one more node still running (a start mark). */
function runWithEverything(flow: string, startMs: number): { run: Run; spans: SpanSpec[] } {
  const run = flowRun({ flow, startMs, nodes: 2, lineText: `${flow} line` });
  const running: SpanSpec = {
    traceId: run.traceId, spanId: newSpanId(), parentSpanId: run.rootSpanId, name: 'late node', service: run.service,
    startNs: run.startNs + nsOf(90), endNs: null,
  };
  return { run, spans: [...run.spans, running] };
}

const line = (traceId: string, timeMs: number, body: string): LineSpec => ({ traceId, spanId: '', timeNs: nsOf(timeMs), body, service: 'orders' });

export function lifecycleCases(open: OpenStore): void {
  describe('deletion', () => {
    it('deletes every row of the traces named and nothing of the others', () => withStore(open, undefined, async (storage) => {
      const doomed = runWithEverything('doomed', Date.now() - 60_000);
      const kept = runWithEverything('kept', Date.now() - 50_000);
      const linesOnly = newTraceId();
      await write(storage, {
        spans: [...doomed.spans, ...kept.spans],
        lines: [...doomed.run.lines, ...kept.run.lines, line(linesOnly, Date.now() - 40_000, 'a line of no execution')],
      });
      const keptBefore = await rowsOf(storage, kept.run.traceId);
      expect(await rowsOf(storage, doomed.run.traceId)).toEqual({ spans: doomed.spans.length, executions: 1, logs: doomed.run.lines.length });

      expect(await storage.deleteExecutions([doomed.run.traceId, linesOnly, newTraceId()])).toBe(2);
      expect(await rowsOf(storage, doomed.run.traceId)).toEqual({ spans: 0, executions: 0, logs: 0 });
      expect(await rowsOf(storage, linesOnly)).toEqual({ spans: 0, executions: 0, logs: 0 });
      expect(await storage.executions.get(doomed.run.traceId)).toBeUndefined();
      expect(await storage.traces.get(doomed.run.traceId)).toBeUndefined();
      expect(await storage.executions.traceIdsOfFlow('doomed')).toEqual([]);
      expect((await storage.executions.list({ limit: 10 })).executions.map((e) => e.traceId)).toEqual([kept.run.traceId]);
      expect(await rowsOf(storage, kept.run.traceId)).toEqual(keptBefore);
      expect((await storage.traces.get(kept.run.traceId))!.logs).toHaveLength(kept.run.lines.length);

      // A retry of the deleted trace after its deletion is stored again, once.
      await write(storage, { spans: doomed.spans });
      expect((await storage.executions.get(doomed.run.traceId))?.spanCount).toBe(doomed.spans.length);
    }));
  });

  describe('retention', () => {
    it('removes executions older than the age, and old lines and points of no execution, keeping the young', () => withStore(open, { retentionMaxAgeMs: 7 * DAY_MS }, async (storage) => {
      const now = Date.now();
      // The old run has a node still running: retention removes its mark with the rest of the trace.
      const { run: old, spans: oldSpans } = runWithEverything('old', now - 10 * DAY_MS);
      const young = flowRun({ flow: 'young', startMs: now - DAY_MS, lineText: 'young line' });
      const oldOrphans = [line(newTraceId(), now - 9 * DAY_MS, 'old orphan'), line('', now - 9 * DAY_MS + 1, 'old lone line')];
      const youngOrphans = [line(newTraceId(), now - DAY_MS, 'young orphan'), line('', now - DAY_MS + 1, 'young lone line')];
      const points = [
        { service: 'worker', name: 'queue.depth', timeNs: nsOf(now - 9 * DAY_MS), value: 4 },
        { service: 'worker', name: 'queue.depth', timeNs: nsOf(now - DAY_MS), value: 2 },
      ];
      await write(storage, { spans: [...oldSpans, ...young.spans], lines: [...old.lines, ...young.lines, ...oldOrphans, ...youngOrphans], points });

      const run = await storage.retention.runOnce();
      expect(run).toMatchObject({ deletedExecutions: 1, deletedOrphanLogs: oldOrphans.length, deletedMetricPoints: 1 });
      expect(await storage.executions.get(old.traceId)).toBeUndefined();
      expect(await rowsOf(storage, old.traceId)).toEqual({ spans: 0, executions: 0, logs: 0 });
      expect(await rowsOf(storage, oldOrphans[0].traceId)).toEqual({ spans: 0, executions: 0, logs: 0 });
      expect(await rowsOf(storage, young.traceId)).toEqual({ spans: young.spans.length, executions: 1, logs: young.lines.length });
      expect(await rowsOf(storage, youngOrphans[0].traceId)).toMatchObject({ logs: 1 });
      const lone = await storage.loneLogs({ fromNs: 0n, toNs: nsOf(now), limit: 10 });
      expect(lone.map((l) => l.body).sort()).toEqual(['young lone line', 'young orphan'].sort());
      const metrics = await storage.metrics.list({ fromNs: 0n, toNs: nsOf(now) });
      expect(metrics.find((m) => m.name === 'queue.depth')).toMatchObject({ points: 1, lastValue: 2 });
      expect(storage.retention.stats.failedRuns).toBe(0);
    }));
  });

  describe('close and reopen', () => {
    it('stores what is queued when the writer closes, and refuses writes from then on', async () => {
      const queued = flowRun({ flow: 'queued', startMs: Date.now() - 60_000 });
      const refused = flowRun({ flow: 'refused', startMs: Date.now() - 60_000 });
      const location = await withStore(open, { durable: true }, async (storage) => {
        expect(storage.writer.refusalFor(1)).toBeUndefined();
        const pending = write(storage, { spans: queued.spans });
        const closing = storage.writer.close();
        expect(storage.writer.refusalFor(1)?.code).toBe('FT_SHUTTING_DOWN');
        await expectCode(write(storage, { spans: refused.spans }), 'FT_SHUTTING_DOWN');
        await pending;
        await closing;
        return storage.location;
      });
      await withStore(open, { reopen: location }, async (storage) => {
        expect((await storage.executions.get(queued.traceId))?.spanCount).toBe(queued.spans.length);
        expect(await storage.executions.get(refused.traceId)).toBeUndefined();
      });
    });

    it('refuses console statements once the console is closing', () => withStore(open, undefined, async (storage) => {
      await storage.sql.close();
      await expectCode(storage.sql.run('SELECT count(*) AS n FROM spans'), 'FT_SHUTTING_DOWN');
    }));

    it('keeps every write of a durable store across close() and reopening, and stores a retry after it once', async () => {
      const { run, spans } = runWithEverything('durable', Date.now() - 60_000);
      const location = await withStore(open, { durable: true }, async (storage) => {
        await write(storage, { spans, lines: run.lines });
        return storage.location;
      });
      await withStore(open, { reopen: location }, async (storage) => {
        expect(storage.location).toBe(location);
        const trace = (await storage.traces.get(run.traceId))!;
        expect(trace.spans.map((s) => s.spanId).sort()).toEqual(spans.map((s) => s.spanId).sort());
        expect(trace.logs.map((l) => l.body)).toEqual(run.lines.map((l) => l.body));
        expect(trace.execution).toMatchObject({ rootSpanId: run.rootSpanId, status: 'success', spanCount: spans.length });
        await write(storage, { spans, lines: run.lines });
        expect(await rowsOf(storage, run.traceId)).toEqual({ spans: spans.length, executions: 1, logs: run.lines.length });
      });
    });
  });
}
