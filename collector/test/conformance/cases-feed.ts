/**
 * The change feed: every committed batch is announced once to onCommit, with the spans, running
 * marks, lines and executions it stored; a retry stores nothing new and announces nothing new.
 * An engine may announce after the write resolves (a shared engine polls), so cases wait for a
 * notice, and prove that nothing came for a retry by a later write's notice (notices come in
 * commit order).
 */
import { describe, expect, it } from 'vitest';
import type { CommitNotice } from '../../src/storage/contract.js';
import { batchOf, spanIdsOf, type BatchSpec, type SpanSpec } from './batches.js';
import { eventually, sorted, withStore, type OpenStore } from './harness.js';
import { flowRun, newSpanId, nsOf } from './scenarios.js';

/** A store whose notices are collected, with a write that waits for the notice naming `waitFor`'s span. */
function feed() {
  const notices: CommitNotice[] = [];
  const announced = (spanId: string) => notices.some((n) => [...n.spans, ...n.starts].some((s) => s.spanId === spanId));
  return {
    notices,
    onCommit: (notice: CommitNotice) => notices.push(notice),
    /** Notices from index `from` on. */
    since: (from: number) => notices.slice(from),
    async untilAnnounced(spanId: string) {
      await eventually(() => announced(spanId), `a notice naming span ${spanId}`);
    },
  };
}

/** What a list of notices announced, summed. */
function announcedIn(notices: CommitNotice[]) {
  const ids = notices.map((n) => spanIdsOf(n));
  return {
    finished: sorted(ids.flatMap((i) => i.finished)),
    running: sorted(ids.flatMap((i) => i.running)),
    lines: notices.reduce((sum, n) => sum + n.logCount, 0),
    lineBodies: sorted(notices.flatMap((n) => n.logs.map((l) => l.body))),
  };
}

export function feedCases(open: OpenStore): void {
  describe('change feed', () => {
    it('announces what a commit stored: finished spans, running marks, lines and the executions touched', async () => {
      const f = feed();
      await withStore(open, { onCommit: f.onCommit }, async (storage) => {
        const run = flowRun({ flow: 'announced', startMs: Date.now() - 60_000, nodes: 2, lineText: 'announced line' });
        const late: SpanSpec = { ...run.nodes[1], spanId: newSpanId(), name: 'late', startNs: run.startNs + nsOf(95), endNs: null };
        const spec: BatchSpec = { spans: [...run.spans, late], lines: run.lines };
        await storage.writer.write(batchOf(spec));
        await f.untilAnnounced(run.rootSpanId);
        const got = announcedIn(f.notices);
        expect(got.finished).toEqual(sorted(run.spans.map((s) => s.spanId)));
        expect(got.running).toEqual([late.spanId]);
        expect(got.lines).toBe(run.lines.length);
        expect(got.lineBodies).toEqual(sorted(run.lines.map((l) => l.body)));
        const executions = f.notices.flatMap((n) => n.executions).filter((e) => e.traceId === run.traceId);
        expect(executions).toHaveLength(1);
        expect(executions[0]).toMatchObject({ created: true, rootFinishedNow: true, status: 'success', spanCount: run.spans.length + 1 });
      });
    });

    it('announces nothing new for a retried batch', async () => {
      const f = feed();
      await withStore(open, { onCommit: f.onCommit }, async (storage) => {
        const run = flowRun({ flow: 'retried', startMs: Date.now() - 60_000, lineText: 'retried line' });
        const batch = batchOf({ spans: run.spans, lines: run.lines });
        await storage.writer.write(batch);
        await f.untilAnnounced(run.rootSpanId);
        const before = f.notices.length;
        await storage.writer.write(batchOf({ spans: run.spans, lines: run.lines }));
        const marker = flowRun({ flow: 'marker', startMs: Date.now() - 30_000 });
        await storage.writer.write(batchOf({ spans: marker.spans }));
        await f.untilAnnounced(marker.rootSpanId);
        const between = f.since(before).filter((n) => !n.spans.some((s) => s.spanId === marker.rootSpanId));
        expect(announcedIn(between)).toEqual({ finished: [], running: [], lines: 0, lineBodies: [] });
        expect(between.flatMap((n) => n.executions).filter((e) => e.traceId === run.traceId && e.created)).toEqual([]);
        expect(announcedIn(f.notices).finished).toEqual(sorted([...run.spans, ...marker.spans].map((s) => s.spanId)));
      });
    });

    it('announces a running root when it starts and again when it finishes', async () => {
      const f = feed();
      await withStore(open, { onCommit: f.onCommit }, async (storage) => {
        const run = flowRun({ flow: 'lifecycle', startMs: Date.now() - 60_000, nodes: 1 });
        await storage.writer.write(batchOf({ spans: [{ ...run.root, endNs: null }] }));
        await f.untilAnnounced(run.rootSpanId);
        const started = f.notices.flatMap((n) => n.executions).filter((e) => e.traceId === run.traceId);
        expect(started).toEqual([expect.objectContaining({ created: true, rootStartedNow: true, rootFinishedNow: false, rootFinished: false, status: 'running' })]);
        const before = f.notices.length;
        await storage.writer.write(batchOf({ spans: run.spans }));
        await eventually(() => f.since(before).some((n) => n.spans.some((s) => s.spanId === run.rootSpanId)), 'the finished root announced');
        const finished = f.since(before).flatMap((n) => n.executions).filter((e) => e.traceId === run.traceId);
        expect(finished).toEqual([expect.objectContaining({ created: false, rootFinishedNow: true, rootFinished: true, status: 'success', spanCount: 2 })]);
        expect(announcedIn(f.since(before)).finished).toEqual(sorted(run.spans.map((s) => s.spanId)));
      });
    });
  });
}
