/**
 * Statistics (per flow, one flow, a flow per time bucket, per node, where a flow's time goes)
 * and the catalog (services, attribute keys). Figures are computed from the runs written:
 * counts and averages exactly, the median exactly (an odd number of runs), p95 and p99 between
 * the two longest (any interpolation an engine uses lands there).
 */
import { describe, expect, it } from 'vitest';
import type { StatsRow, TimeRange } from '../../src/storage/contract.js';
import type { SpanSpec } from './batches.js';
import { withStore, write, type OpenStore } from './harness.js';
import { DAY_MS, flowRun, HOUR_MS, msOf, newTraceId, nsOf, plainSpan, type Run } from './scenarios.js';

const duration = (s: SpanSpec): number => msOf(s.endNs! - s.startNs);
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Asserts a statistics row against the runs it covers. */
function expectStats(row: StatsRow | undefined, runs: Run[]): void {
  const finished = runs.filter((r) => r.endNs !== null);
  const durations = finished.map((r) => r.durationMs).sort((a, b) => a - b);
  expect(row).toMatchObject({
    count: runs.length,
    successCount: runs.filter((r) => r.status === 'success').length,
    errorCount: runs.filter((r) => r.status === 'error').length,
    finishedCount: finished.length,
    firstStartNs: runs.reduce((m, r) => (r.startNs < m ? r.startNs : m), runs[0].startNs),
    lastStartNs: runs.reduce((m, r) => (r.startNs > m ? r.startNs : m), runs[0].startNs),
  });
  expect(row!.avgMs).toBeCloseTo(mean(durations), 6);
  const [p50, p95, p99] = row!.quantiles!;
  expect(p50).toBeCloseTo(durations[(durations.length - 1) / 2], 6);
  for (const p of [p95, p99]) {
    expect(p).toBeGreaterThanOrEqual(durations[durations.length - 2]);
    expect(p).toBeLessThanOrEqual(durations[durations.length - 1]);
  }
  expect(p95).toBeLessThanOrEqual(p99);
}

/** Five finished alpha runs, one running alpha run an hour after them, three beta runs; each in its own hour. */
function statsCorpus(nowMs: number) {
  const base = Math.floor((nowMs - 2 * DAY_MS) / HOUR_MS) * HOUR_MS;
  const alpha = [100, 200, 300, 400, 1_000].map((durationMs, i) =>
    flowRun({ flow: 'alpha', startMs: base + i * HOUR_MS + 60_000, durationMs, status: i % 2 === 1 ? 'error' : 'success' }));
  const alphaRunning = flowRun({ flow: 'alpha', startMs: base + 6 * HOUR_MS, durationMs: 50, status: 'running' });
  const beta = [10, 30, 20].map((durationMs, i) => flowRun({ flow: 'beta', startMs: base + (i + 1) * HOUR_MS + 120_000, durationMs, nodes: 1 }));
  const all: TimeRange = { fromNs: nsOf(base), toNs: nsOf(base + 7 * HOUR_MS) };
  return { alpha, alphaRunning, beta, all, spans: [...alpha, alphaRunning, ...beta].flatMap((r) => r.spans) };
}

export function statisticsCases(open: OpenStore): void {
  describe('statistics', () => {
    it('gives per-flow and one-flow figures over an inclusive range', () => withStore(open, undefined, async (storage) => {
      const { alpha, alphaRunning, beta, all, spans } = statsCorpus(Date.now());
      await write(storage, { spans });
      const flows = await storage.statistics.flows(all);
      expect(flows.map((r) => r.key).sort()).toEqual(['alpha', 'beta']);
      expectStats(flows.find((r) => r.key === 'alpha'), [...alpha, alphaRunning]);
      expectStats(flows.find((r) => r.key === 'beta'), beta);
      expect(await storage.statistics.flow('alpha', all)).toEqual(flows.find((r) => r.key === 'alpha'));
      const inner = { fromNs: alpha[1].startNs, toNs: alpha[3].startNs };
      expectStats(await storage.statistics.flow('alpha', inner), alpha.slice(1, 4));
    }));

    it('gives a flow figures per time bucket', () => withStore(open, undefined, async (storage) => {
      const { alpha, alphaRunning, all, spans } = statsCorpus(Date.now());
      await write(storage, { spans });
      const bucketNs = nsOf(2 * HOUR_MS);
      const series = await storage.statistics.flowSeries('alpha', all, bucketNs);
      const runs = [...alpha, alphaRunning];
      const buckets = [...new Set(runs.map((r) => (r.startNs / bucketNs) * bucketNs))].sort((a, b) => (a < b ? -1 : 1));
      expect(series.map((r) => BigInt(r.key)).sort((a, b) => (a < b ? -1 : 1))).toEqual(buckets);
      for (const row of series) {
        const inBucket = runs.filter((r) => (r.startNs / bucketNs) * bucketNs === BigInt(row.key));
        expect(row).toMatchObject({ count: inBucket.length, finishedCount: inBucket.filter((r) => r.endNs !== null).length });
      }
    }));

    it('gives per-node figures of a flow', () => withStore(open, undefined, async (storage) => {
      const { alpha, spans } = statsCorpus(Date.now());
      await write(storage, { spans });
      const range = { fromNs: alpha[0].startNs, toNs: alpha[4].startNs };
      const nodes = await storage.statistics.nodes('alpha', range);
      expect(nodes.map((n) => n.nodeId)).toEqual(['step-0', 'step-1']);
      for (const [i, node] of nodes.entries()) {
        const spansOfNode = alpha.map((r) => r.nodes[i]);
        expect(node).toMatchObject({ nodeName: `Step ${i}`, nodeType: 'task', count: 5, errorCount: spansOfNode.filter((s) => s.statusCode === 2).length });
        expect(node.avgMs).toBeCloseTo(mean(spansOfNode.map(duration)), 6);
      }
    }));

    it("tells where a flow's time goes per node", () => withStore(open, undefined, async (storage) => {
      const { alpha, spans } = statsCorpus(Date.now());
      await write(storage, { spans });
      const time = await storage.statistics.flowTime('alpha', alpha[0].startNs, alpha[4].startNs);
      expect(time.runs).toBe(5);
      expect(time.runMs).toBeCloseTo(alpha.reduce((sum, r) => sum + r.durationMs, 0), 6);
      expect(time.nodes.map((n) => n.nodeId).sort()).toEqual(['step-0', 'step-1']);
      for (const node of time.nodes) {
        const i = Number(node.nodeId.slice('step-'.length));
        const total = alpha.reduce((sum, r) => sum + duration(r.nodes[i]), 0);
        // Leaves laid one after another: all their time is their own, and all of it is on the critical path.
        expect(node).toMatchObject({ nodeName: `Step ${i}`, count: 5 });
        expect(node.totalMs).toBeCloseTo(total, 6);
        expect(node.selfMs).toBeCloseTo(total, 6);
        expect(node.criticalMs).toBeCloseTo(total, 6);
      }
    }));
  });

  describe('catalog', () => {
    it('lists the services that sent spans, with counts and when each was last seen', () => withStore(open, undefined, async (storage) => {
      const traceId = newTraceId();
      const t = nsOf(Date.now() - 60_000);
      const shop = [0, 1, 2].map((i) => plainSpan({ traceId, service: 'shop', startNs: t + nsOf(i), endNs: t + nsOf(10 + i) }));
      const billing = plainSpan({ traceId, service: 'billing', startNs: t + nsOf(3), endNs: t + nsOf(30), parentSpanId: shop[0].spanId });
      const lonely = plainSpan({ traceId: newTraceId(), service: 'lonely', startNs: t + nsOf(4), endNs: null });
      await write(storage, { spans: [...shop, billing, lonely] });
      const services = await storage.catalog.services();
      expect(services.map((s) => s.serviceName).sort()).toEqual(['billing', 'lonely', 'shop']);
      expect(services.find((s) => s.serviceName === 'shop')).toMatchObject({ spanCount: 3, lastSeenNs: shop[2].endNs });
      expect(services.find((s) => s.serviceName === 'billing')).toMatchObject({ spanCount: 1, lastSeenNs: billing.endNs });
      expect(services.find((s) => s.serviceName === 'lonely')?.lastSeenNs).toBe(lonely.startNs);
    }));

    it('lists the attribute keys of recent spans with counts and their most frequent values first', () => withStore(open, undefined, async (storage) => {
      const traceId = newTraceId();
      const t = nsOf(Date.now() - 60_000);
      const tiers = ['Gold', 'Silver', 'Gold', 'Gold', 'Bronze', 'Silver'];
      const spans = tiers.map((tier, i) => plainSpan({ traceId, startNs: t + nsOf(i), attributes: { 'customer.tier': tier, ...(i < 2 ? { 'cart.size': i + 1 } : {}) } }));
      await write(storage, { spans });
      const keys = await storage.catalog.attributeKeys();
      const tier = keys.find((k) => k.key === 'customer.tier');
      expect(tier).toMatchObject({ count: tiers.length });
      expect(tier!.topValues.slice(0, 3)).toEqual(['Gold', 'Silver', 'Bronze']);
      expect(keys.find((k) => k.key === 'cart.size')).toMatchObject({ count: 2 });
      expect(keys.find((k) => k.key === 'cart.size')!.topValues.sort()).toEqual(['1', '2']);
    }));
  });
}
