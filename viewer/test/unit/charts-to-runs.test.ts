// From charts to runs: dense flow buckets with their windows, list links with range/window/
// status/node, the flow filter's prefix, the duration order in the URL, and the scatter.
import { describe, expect, it } from 'vitest';
import type { FlowStatsSeries } from '@flowtrace/collector/api';
import { scatterLayout } from '../../src/lib/model/duration-scatter.js';
import { filtersFromSearch, filtersToApi, filtersToSearch, flowFilterFor, flowMatches, matchesLocally } from '../../src/lib/model/filters.js';
import { flowCharts } from '../../src/lib/model/flow-charts.js';
import { paths } from '../../src/lib/model/routes.js';
import { toExecution } from '../../src/lib/api/wire-to-domain.js';
import { makeWireExecution } from '../fixtures/make-span.js';

const HOUR = 3_600_000;
const stats = (from: number, to: number, bucketSeconds: number, starts: number[]): FlowStatsSeries => ({
  flowName: 'checkout',
  from: new Date(from).toISOString(),
  to: new Date(to).toISOString(),
  bucketSeconds,
  summary: {} as FlowStatsSeries['summary'],
  series: starts.map((t) => ({ bucketStart: new Date(t).toISOString(), count: 3, errorCount: 1, avgMs: 5, p50Ms: 4, p95Ms: 9, p99Ms: 10 })) as FlowStatsSeries['series'],
  nodes: [],
});

describe('flow charts', () => {
  it('draws every bucket of a 7-day range, the quiet ones as zero, each with its time window', () => {
    const to = Date.UTC(2026, 0, 8);
    const from = to - 7 * 24 * HOUR;
    const charts = flowCharts(stats(from, to, 7200, [to - 2 * HOUR]));
    expect(charts.buckets).toHaveLength(84);
    expect(charts.buckets[83]).toEqual({ startMs: to - 2 * HOUR, endMs: to });
    expect(charts.volume.series[0].values.filter((v) => v !== 0)).toEqual([3]);
    expect(charts.volume.series[0].values[83]).toBe(3);
    expect(charts.latency.series[1].values[0]).toBeNull();
    expect(charts.latency.times![1] - charts.latency.times![0]).toBe(2 * HOUR);
  });

  it('keeps to the buckets that hold runs when the range has too many to draw (all time)', () => {
    const t = Date.UTC(2026, 0, 1);
    const charts = flowCharts(stats(0, t + 10 * HOUR, 3600, [t, t + 3 * HOUR]));
    expect(charts.buckets.map((b) => b.startMs)).toEqual([t, t + HOUR, t + 2 * HOUR, t + 3 * HOUR]);
  });
});

describe('links from a flow to its runs', () => {
  it('keeps the range of "executions →", and narrows by window, status and node', () => {
    expect(paths.flowExecutions('checkout', { range: '7d' })).toBe('/?flow=checkout&range=7d');
    expect(paths.flowExecutions('checkout', { range: 'all' })).toBe('/?flow=checkout');
    const q = new URLSearchParams(paths.flowExecutions('a b', { fromMs: 0, toMs: 1000, status: 'error', range: '24h' }).slice(2));
    expect(Object.fromEntries(q)).toEqual({ flow: 'a b', from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T00:00:01.000Z', status: 'error' });
    expect(paths.flowExecutions('checkout', { range: '24h', nodeId: 'charge' })).toBe('/?flow=checkout&range=24h&attr=flow.node.id%3Dcharge');
  });
});

describe('execution list filters', () => {
  it('reads what is typed in the flow filter as a prefix unless it names a known flow', () => {
    expect(flowFilterFor('check', ['checkout'])).toBe('check*');
    expect(flowFilterFor('checkout', ['checkout'])).toBe('checkout');
    expect(flowFilterFor(' ', ['checkout'])).toBe('');
    expect(flowMatches('check*', 'checkout')).toBe(true);
    expect(flowMatches('check', 'checkout')).toBe(false);
  });

  it('keeps the duration order in the URL and asks the API for it, leaving live placement to the server', () => {
    const f = filtersFromSearch(new URLSearchParams('sort=duration&flow=check*'));
    expect(f.sort).toBe('duration');
    expect(filtersToSearch(f).toString()).toBe('flow=check*&sort=duration');
    expect(filtersToApi(f, 0)).toMatchObject({ sort: 'duration', flow: 'check*' });
    const run = { flowName: 'checkout', serviceName: 's', status: 'success', userId: null, triggerType: null, startMs: 0, durationMs: 1 };
    expect(matchesLocally(f, run, 0)).toBeNull();
    expect(matchesLocally({ ...f, sort: '' }, run, 0)).toBe(true);
  });
});

describe('duration scatter', () => {
  it('puts each run at its start (x) and duration (y), the longest highest', () => {
    const runs = [
      toExecution(makeWireExecution({ traceId: 'a'.repeat(32), startTime: '2026-01-01T00:00:00.000Z', startTimeUnixNano: '1767225600000000000', durationMs: 10 })),
      toExecution(makeWireExecution({ traceId: 'b'.repeat(32), startTime: '2026-01-01T00:01:00.000Z', startTimeUnixNano: '1767225660000000000', durationMs: 400, status: 'error' })),
    ];
    const l = scatterLayout(runs, 300, 100, { l: 40, r: 10, t: 10, b: 10 }, (e) => e.traceId);
    expect(l.points.map((p) => Math.round(p.x))).toEqual([40, 290]);
    expect(l.points[1].y).toBeLessThan(l.points[0].y);
    expect(l.points[1].status).toBe('error');
    expect(l.yTicks[0]).toEqual({ value: 0, y: 90 });
  });
});
