/**
 * The reads the contract takes from their DuckDB modules' shapes: Grafana's (operations, span
 * search, service dependencies), the Metrics page's, the lone lines of the "why" views, the
 * control log, and the Parquet exports. At least one case each, answers computed from what
 * was written.
 */
import { describe, expect, it } from 'vitest';
import type { LineSpec, SpanSpec } from './batches.js';
import { withStore, write, type OpenStore } from './harness.js';
import { HOUR_MS, newSpanId, newTraceId, nsOf } from './scenarios.js';

/** A frontend request calling payments twice (two traces), plus a payments span of its own. */
function callTraces(t: bigint): { spans: SpanSpec[]; charges: SpanSpec[] } {
  const spans: SpanSpec[] = [];
  const charges: SpanSpec[] = [];
  for (let i = 0; i < 2; i++) {
    const traceId = newTraceId();
    const root: SpanSpec = { traceId, spanId: newSpanId(), name: 'GET /checkout', service: 'frontend', kind: 2, startNs: t + nsOf(i * 100), endNs: t + nsOf(i * 100 + 50), statusCode: 1 };
    const charge: SpanSpec = { traceId, spanId: newSpanId(), parentSpanId: root.spanId, name: 'charge', service: 'payments', kind: 3, startNs: root.startNs + nsOf(10), endNs: root.startNs + nsOf(40), statusCode: i === 1 ? 2 : 1 };
    spans.push(root, charge);
    charges.push(charge);
  }
  spans.push({ traceId: newTraceId(), spanId: newSpanId(), name: 'settle', service: 'payments', kind: 1, startNs: t + nsOf(300), endNs: t + nsOf(310) });
  return { spans, charges };
}

export function otherReadCases(open: OpenStore): void {
  describe('grafana reads', () => {
    it('answers operations, service dependencies and a span search', () => withStore(open, undefined, async (storage) => {
      const t = nsOf(Date.now() - HOUR_MS);
      const { spans, charges } = callTraces(t);
      await write(storage, { spans });
      const operations = await storage.grafana.operations('payments');
      expect(operations.map((o) => o.name).sort()).toEqual(['charge', 'settle']);
      expect(await storage.grafana.dependencies(t, t + nsOf(1_000))).toEqual([{ parent: 'frontend', child: 'payments', callCount: 2 }]);
      const hits = await storage.grafana.searchSpans({ condition: { field: { intrinsic: 'name' }, op: '=', value: 'charge' }, limit: 10, spansPerTrace: 5 });
      expect(hits.map((h) => h.traceId).sort()).toEqual(charges.map((c) => c.traceId).sort());
      for (const hit of hits) {
        const charge = charges.find((c) => c.traceId === hit.traceId)!;
        expect(hit).toMatchObject({ matched: 1, rootService: 'frontend', rootName: 'GET /checkout' });
        expect(hit.spans.map((s) => [s.spanId, s.startNs, s.endNs])).toEqual([[charge.spanId, charge.startNs, charge.endNs]]);
      }
      const failed = await storage.grafana.searchSpans({ condition: { field: { intrinsic: 'status' }, op: '=', value: 2 }, limit: 10, spansPerTrace: 0 });
      expect(failed.map((h) => h.traceId)).toEqual([charges[1].traceId]);
    }));
  });

  describe('metric reads', () => {
    it('lists metrics with their points and newest value, and answers a series', () => withStore(open, undefined, async (storage) => {
      const t = Math.floor((Date.now() - 2 * HOUR_MS) / HOUR_MS) * HOUR_MS;
      const values = [1, 5, 3];
      const points = values.map((value, i) => ({ service: 'worker', name: 'queue.depth', timeNs: nsOf(t + i * 60_000), value }));
      await write(storage, { points: [...points, { service: 'worker', name: 'jobs.active', timeNs: nsOf(t), value: 7 }] });
      const range = { fromNs: nsOf(t), toNs: nsOf(t + HOUR_MS) };
      const list = await storage.metrics.list(range);
      expect(list.map((m) => m.name).sort()).toEqual(['jobs.active', 'queue.depth']);
      expect(list.find((m) => m.name === 'queue.depth')).toMatchObject({ serviceName: 'worker', points: 3, streams: 1, lastValue: 3, firstNs: points[0].timeNs, lastNs: points[2].timeNs });
      const series = await storage.metrics.series({
        service: 'worker', name: 'queue.depth', ...range, bucketNs: nsOf(60_000), maxSeries: 10, exemplarsPerBucket: 1, maxExemplars: 10,
      });
      expect(series).toBeDefined();
      expect(series!.totalSeries).toBe(1);
      const shown = series!.series[0].values.value!.filter((v): v is number => v !== null);
      expect(shown).toEqual(values);
      expect(await storage.metrics.series({ service: 'worker', name: 'absent', ...range, bucketNs: nsOf(60_000), maxSeries: 10, exemplarsPerBucket: 1, maxExemplars: 10 })).toBeUndefined();
    }));
  });

  describe('lone lines', () => {
    it('answers the lines outside any span in an inclusive range, newest first, by severity and text', () => withStore(open, undefined, async (storage) => {
      const t = Date.now() - HOUR_MS;
      const lone = (i: number, body: string, severity: number): LineSpec => ({ traceId: i % 2 === 0 ? '' : newTraceId(), spanId: '', timeNs: nsOf(t + i * 1_000), body, severity, service: 'cron' });
      const lines = [lone(0, 'boot', 9), lone(1, 'Disk almost FULL', 13), lone(2, 'tick', 9), lone(3, 'disk full', 17), lone(4, 'late', 9)];
      const inSpan: LineSpec = { traceId: newTraceId(), spanId: newSpanId(), timeNs: nsOf(t + 2_500), body: 'disk full inside a span', severity: 17, service: 'cron' };
      await write(storage, { lines: [...lines, inSpan] });
      const range = { fromNs: lines[1].timeNs, toNs: lines[3].timeNs, limit: 10 };
      expect((await storage.loneLogs(range)).map((l) => l.body)).toEqual(['disk full', 'tick', 'Disk almost FULL']);
      expect((await storage.loneLogs({ ...range, minSeverity: 13 })).map((l) => l.body)).toEqual(['disk full', 'Disk almost FULL']);
      expect((await storage.loneLogs({ ...range, text: 'DISK' })).map((l) => l.body)).toEqual(['disk full', 'Disk almost FULL']);
    }));
  });

  describe('control log', () => {
    it('remembers a carried-out cancel of an execution', () => withStore(open, undefined, async (storage) => {
      const target = newTraceId();
      const entry = {
        requestId: 'req-1', requestedAt: Date.now() - 1_000, answeredAt: Date.now(), targetTraceId: target, serviceName: 'orders', flowId: 'f',
        requestedBy: 'ops', client: '127.0.0.1', message: null, instanceId: null, newTraceId: null, inputEdited: null,
      };
      await storage.controlLog.record({ ...entry, action: 'cancel', outcome: 'cancelled' });
      await storage.controlLog.record({ ...entry, requestId: 'req-2', action: 'replay', outcome: 'replayed', targetTraceId: newTraceId() });
      expect(await storage.controlLog.wasCancelled(target)).toBe(true);
      expect(await storage.controlLog.wasCancelled(newTraceId())).toBe(false);
    }));
  });

  describe('exports', () => {
    it('exports the spans of a time range as a Parquet file with their number of rows', () => withStore(open, undefined, async (storage) => {
      const t = nsOf(Date.now() - HOUR_MS);
      const { spans } = callTraces(t);
      await write(storage, { spans });
      const inRange = spans.filter((s) => s.startNs <= t + nsOf(100));
      const file = await storage.exports.export('spans', { fromNs: t, toNs: t + nsOf(100) });
      let bytes = 0;
      for await (const chunk of file.stream) bytes += (chunk as Buffer).length;
      expect(file.rows).toBe(inRange.length);
      expect(bytes).toBe(file.bytes);
      expect(bytes).toBeGreaterThan(0);
    }));
  });
}
