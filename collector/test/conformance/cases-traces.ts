/**
 * The reads of one trace: whole (records and Span JSON), as an outline, span by span, the
 * spans that match, its lines. They must agree with each other and with what was written.
 * A read given an AbortSignal that has aborted rejects with the signal's reason.
 */
import { describe, expect, it } from 'vitest';
import type { SpanSpec } from './batches.js';
import { sorted, withStore, write, type OpenStore } from './harness.js';
import { outlineRows } from './outline.js';
import { flowRun, newSpanId, nsOf } from './scenarios.js';

interface SpanJsonShape {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  serviceName: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string | null;
  attributes: Record<string, unknown>;
}

/** A finished run with lines, a running node, and a node holding a large value (a payload). */
function traceScenario() {
  const payload = `${'x'.repeat(3_000)} Payload-Marker ${'y'.repeat(3_000)}`;
  const run = flowRun({
    flow: 'trace-reads', startMs: Date.now() - 60_000, nodes: 3, lineText: 'trace line', durationMs: 400,
    nodeAttributes: [{ 'customer.tier': 'Gold' }, { 'flow.node.input': payload }], resource: { 'host.name': 'box-1' },
  });
  const running: SpanSpec = {
    traceId: run.traceId, spanId: newSpanId(), parentSpanId: run.rootSpanId, name: 'still running', service: run.service,
    startNs: run.startNs + nsOf(350), endNs: null, attributes: { 'flow.node.id': 'late' }, resource: { 'host.name': 'box-1' },
  };
  const spans = [...run.spans, running];
  const byStart = [...spans].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : a.spanId < b.spanId ? -1 : 1));
  return { run, spans, byStart, running, payload };
}

export function traceCases(open: OpenStore): void {
  describe('trace reads', () => {
    it('reads a trace whole as records with what was written, running spans included', () => withStore(open, undefined, async (storage) => {
      const { run, spans, byStart } = traceScenario();
      await write(storage, { spans, lines: run.lines });
      const trace = (await storage.traces.get(run.traceId))!;
      expect(trace.spans.map((s) => s.spanId)).toEqual(byStart.map((s) => s.spanId));
      for (const written of spans) {
        const stored = trace.spans.find((s) => s.spanId === written.spanId)!;
        expect(stored).toMatchObject({
          traceId: run.traceId, parentSpanId: written.parentSpanId ?? null, name: written.name, serviceName: written.service,
          startTimeUnixNano: written.startNs, endTimeUnixNano: written.endNs,
        });
        expect(JSON.parse(stored.attributes)).toMatchObject(written.attributes ?? {});
        expect(JSON.parse(stored.resourceAttributes)).toMatchObject({ 'service.name': written.service, ...written.resource });
      }
      expect(trace.logs.map((l) => l.body)).toEqual(run.lines.map((l) => l.body));
      expect(trace.logs.map((l) => [l.spanId, l.timeNs])).toEqual(run.lines.map((l) => [l.spanId, l.timeNs]));
      expect(await storage.traces.of(trace.execution)).toEqual(trace);
    }));

    it('gives the same spans, in start order, as Span JSON, as an outline and one span at a time', () => withStore(open, undefined, async (storage) => {
      const { run, spans, byStart, running } = traceScenario();
      await write(storage, { spans, lines: run.lines });
      const trace = (await storage.traces.get(run.traceId))!;
      const json = (await storage.traces.getJson(run.traceId))!;
      expect(await storage.traces.jsonOf(trace.execution)).toEqual(json);
      expect(json.execution).toEqual(trace.execution);
      expect(json.spanIds).toEqual(byStart.map((s) => s.spanId));
      expect(json.parentSpanIds).toEqual(byStart.map((s) => s.parentSpanId ?? null));
      expect(json.spanCount).toBe(spans.length);
      expect(json.logs).toEqual(trace.logs);
      const parsed = JSON.parse(`[${json.spansJson}]`) as SpanJsonShape[];
      expect(parsed.map((s) => s.spanId)).toEqual(json.spanIds);
      for (const [i, s] of byStart.entries()) {
        expect(parsed[i]).toMatchObject({
          traceId: run.traceId, parentSpanId: s.parentSpanId ?? null, name: s.name, serviceName: s.service,
          startTimeUnixNano: String(s.startNs), endTimeUnixNano: s.endNs === null ? null : String(s.endNs),
        });
        expect(parsed[i].attributes).toMatchObject(s.attributes ?? {});
        const one = (await storage.traces.span(trace.execution, s.spanId))!;
        expect(JSON.parse(one.spanJson)).toEqual(parsed[i]);
        expect(one.logs).toEqual(trace.logs.filter((l) => l.spanId === s.spanId));
      }
      const outline = (await storage.traces.outline(run.traceId))!;
      expect(outline.execution).toEqual(trace.execution);
      expect(outline.spanCount).toBe(spans.length);
      expect(outline.orphanCount).toBe(0);
      expect(outline.baseNs).toBe(byStart[0].startNs);
      const rows = outlineRows(outline);
      expect(rows.map((r) => r.spanId)).toEqual(json.spanIds);
      for (const [i, s] of byStart.entries()) {
        expect(rows[i]).toMatchObject({ parentSpanId: s.parentSpanId ?? null, name: s.name, serviceName: s.service });
        expect(rows[i].startUs).toBe(Number(s.startNs / 1000n - outline.baseNs / 1000n));
        expect(rows[i].durationUs).toBe(s.endNs === null ? null : Number(s.endNs / 1000n - s.startNs / 1000n));
      }
      expect(rows.find((r) => r.spanId === running.spanId)?.status).toBe('running');
      expect(await storage.traces.logs(trace.execution)).toEqual(trace.logs);
      expect(await storage.traces.spanIdsMatching(trace.execution, {})).toEqual(sorted(spans.map((s) => s.spanId)));
    }));

    it('finds the spans of a trace by text in attribute values, payloads included, and by key = value', () => withStore(open, undefined, async (storage) => {
      const { run, spans, running, payload } = traceScenario();
      await write(storage, { spans });
      const execution = (await storage.executions.get(run.traceId))!;
      const match = (m: Parameters<typeof storage.traces.spanIdsMatching>[1]) => storage.traces.spanIdsMatching(execution, m);
      expect(await match({ text: 'gOLD' })).toEqual([run.nodes[0].spanId]);
      expect(await match({ text: 'payload-marker' })).toEqual([run.nodes[1].spanId]);
      expect(await match({ attributes: [{ key: 'customer.tier', value: 'Gold' }] })).toEqual([run.nodes[0].spanId]);
      expect(await match({ attributes: [{ key: 'flow.node.id', value: 'late' }] })).toEqual([running.spanId]);
      expect(await match({ attributes: [{ key: 'host.name', value: 'box-1' }] })).toEqual(sorted(spans.map((s) => s.spanId)));
      expect(await match({ text: 'gold', attributes: [{ key: 'customer.tier', value: 'Silver' }] })).toEqual([]);
      const stored = (await storage.traces.get(run.traceId))!.spans.find((s) => s.spanId === run.nodes[1].spanId)!;
      expect((JSON.parse(stored.attributes) as Record<string, unknown>)['flow.node.input']).toBe(payload);
      const listed = await storage.executions.list({ text: 'PAYLOAD-MARKER', limit: 5 });
      expect(listed.executions.map((e) => e.traceId)).toEqual([run.traceId]);
    }));

    it('reads spans that arrive later and start before the root or long after it', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'skewed', startMs: Date.now() - 3 * 3_600_000, nodes: 1 });
      await write(storage, { spans: run.spans });
      const child = (name: string, startNs: bigint): SpanSpec => ({
        traceId: run.traceId, spanId: newSpanId(), parentSpanId: run.rootSpanId, name, service: 'clock-skewed', startNs, endNs: startNs + nsOf(3),
      });
      const early = child('before the root', run.startNs - nsOf(5_000));
      const late = child('long after', run.startNs + nsOf(2 * 3_600_000));
      await write(storage, { spans: [late] });
      await write(storage, { spans: [early] });
      const ids = sorted([...run.spans, early, late].map((s) => s.spanId));
      const trace = (await storage.traces.get(run.traceId))!;
      expect(sorted(trace.spans.map((s) => s.spanId))).toEqual(ids);
      expect(trace.execution).toMatchObject({ rootSpanId: run.rootSpanId, spanCount: ids.length, minStartNs: early.startNs, maxStartNs: late.startNs });
      expect(sorted((await storage.traces.getJson(run.traceId))!.spanIds)).toEqual(ids);
      expect(sorted(outlineRows((await storage.traces.outline(run.traceId))!).map((r) => r.spanId))).toEqual(ids);
      expect(await storage.traces.spanIdsMatching(trace.execution, {})).toEqual(ids);
      for (const s of [early, late]) expect(JSON.parse((await storage.traces.span(trace.execution, s.spanId))!.spanJson)).toMatchObject({ name: s.name });
    }));

    it('counts in the outline the spans whose parent is not in the trace, the root excepted', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'orphans', startMs: Date.now() - 60_000, nodes: 1 });
      const orphans: SpanSpec[] = [1, 2].map((i) => ({
        traceId: run.traceId, spanId: newSpanId(), parentSpanId: newSpanId(), name: `orphan ${i}`, service: run.service,
        startNs: run.startNs + nsOf(i), endNs: run.startNs + nsOf(i + 1),
      }));
      await write(storage, { spans: [...run.spans, ...orphans] });
      const outline = (await storage.traces.outline(run.traceId))!;
      expect(outline).toMatchObject({ spanCount: run.spans.length + 2, orphanCount: 2 });
    }));

    it('rejects a read with the reason of the signal it was given once that has aborted', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'aborted', startMs: Date.now() - 60_000 });
      await write(storage, { spans: run.spans });
      const execution = (await storage.executions.get(run.traceId))!;
      const controller = new AbortController();
      const reason = new Error('the caller went away');
      controller.abort(reason);
      await expect(storage.executions.list({ limit: 10 }, controller.signal)).rejects.toBe(reason);
      await expect(storage.executions.list({ text: 'step', limit: 10 }, controller.signal)).rejects.toBe(reason);
      await expect(storage.traces.spanIdsMatching(execution, { text: 'step' }, controller.signal)).rejects.toBe(reason);
      expect((await storage.executions.list({ limit: 10 })).executions).toHaveLength(1);
    }));
  });
}
