/** Flow statistics, services and attribute keys. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { seed } from '../fixtures/seed.js';

let server: RunningServer;
const base = Date.now() - 1_800_000;

beforeAll(async () => {
  server = await startTestCollector();
  // orders: durations 100..1000 ms, one failure in ten; billing: two runs.
  await seed(server.url, [
    ...Array.from({ length: 10 }, (_, i) => ({ flow: 'orders', startMs: base + i * 60_000, durationMs: (i + 1) * 100, fail: i === 9 })),
    { flow: 'billing', startMs: base, durationMs: 40, service: 'billing-svc' },
    { flow: 'billing', startMs: base + 1000, durationMs: 60, service: 'billing-svc' },
  ]);
});
afterAll(async () => {
  await server.close();
});

describe('GET /api/flows', () => {
  it('gives each flow its count, rates, percentiles and last run', async () => {
    const r = await api(server.url, '/api/flows');
    expect(r.status).toBe(200);
    const orders = r.body.flows.find((f: any) => f.flowName === 'orders');
    expect(orders).toMatchObject({ count: 10, successCount: 9, errorCount: 1, successRate: 0.9, errorRate: 0.1 });
    expect(orders.avgMs).toBeCloseTo(550, 5);
    expect(orders.p50Ms).toBeCloseTo(550, 5);
    expect(orders.p95Ms).toBeCloseTo(955, 5);
    expect(orders.p99Ms).toBeCloseTo(991, 5);
    expect(orders.lastRunAt).toBe(new Date(base + 9 * 60_000).toISOString());
    expect(r.body.flows.find((f: any) => f.flowName === 'billing')).toMatchObject({ count: 2, errorRate: 0 });
  });
});

describe('GET /api/flows/:name/stats', () => {
  it('gives a time series and per-node figures for the range', async () => {
    const from = new Date(base - 1000).toISOString();
    const to = new Date(base + 10 * 60_000).toISOString();
    const r = await api(server.url, `/api/flows/orders/stats?from=${from}&to=${to}&bucket=5m`);
    expect(r.status).toBe(200);
    expect(r.body.bucketSeconds).toBe(300);
    expect(r.body.summary.count).toBe(10);
    expect(r.body.series.reduce((n: number, b: any) => n + b.count, 0)).toBe(10);
    expect(r.body.series.length).toBeGreaterThanOrEqual(2);
    expect(r.body.nodes.map((n: any) => n.nodeId)).toEqual(['step-0', 'step-1', 'step-2']);
    const failing = r.body.nodes.find((n: any) => n.nodeId === 'step-2');
    expect(failing).toMatchObject({ count: 10, errorCount: 1, errorRate: 0.1, nodeName: 'Step 2', nodeType: 'task' });
  });

  it('counts only the nodes of executions in the range', async () => {
    const from = new Date(base - 1000).toISOString();
    const to = new Date(base + 4.5 * 60_000).toISOString();
    const r = await api(server.url, `/api/flows/orders/stats?from=${from}&to=${to}&bucket=5m`);
    expect(r.body.summary.count).toBe(5);
    expect(r.body.nodes.map((n: any) => [n.nodeId, n.count, n.errorCount])).toEqual([['step-0', 5, 0], ['step-1', 5, 0], ['step-2', 5, 0]]);
  });

  it('over all history, picks buckets that fit the runs rather than the range', async () => {
    const r = await api(server.url, `/api/flows/orders/stats?from=${new Date(0).toISOString()}`);
    expect(r.status).toBe(200);
    expect(r.body.summary.count).toBe(10);
    expect(r.body.bucketSeconds).toBe(10); // the runs span 9 minutes: ≤ 60 buckets of 10 s
    expect(r.body.series.reduce((n: number, b: any) => n + b.count, 0)).toBe(10);
  });

  it('answers 404 for a flow without executions in the range and 400 for a bad bucket', async () => {
    expect((await api(server.url, '/api/flows/nope/stats')).status).toBe(404);
    expect((await api(server.url, '/api/flows/orders/stats?bucket=fortnight')).status).toBe(400);
  });
});

describe('catalog', () => {
  it('lists services with span counts', async () => {
    const r = await api(server.url, '/api/services');
    expect(r.body.services).toEqual([
      expect.objectContaining({ serviceName: 'billing-svc', spanCount: 8 }),
      expect.objectContaining({ serviceName: 'orders', spanCount: 40 }),
    ]);
  });

  it('lists attribute keys with frequent values for suggestions', async () => {
    const r = await api(server.url, '/api/attributes');
    const node = r.body.attributes.find((a: any) => a.key === 'flow.node.id');
    expect(node.count).toBe(36);
    expect(node.topValues).toEqual(expect.arrayContaining(['step-0', 'step-1', 'step-2']));
  });
});
