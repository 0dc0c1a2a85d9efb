// The Metrics page's pure parts: the answer → domain, catalog grouping, series labels, unit
// formats, the chart of a measure with its exemplar markers, and the page's URLs.
import { describe, expect, it } from 'vitest';
import type { MetricSeriesResult } from '@flowtrace/collector/api';
import { toMetricView } from '../../src/lib/api/metrics-to-domain.js';
import { timeScale } from '../../src/lib/model/chart.js';
import { bucketLabel, metricChart, topExemplars } from '../../src/lib/model/metric-chart.js';
import { formatBytes, formatMeasure, formatNumber, formatUnitValue } from '../../src/lib/model/metric-format.js';
import { groupByService, seriesLabels, type MetricEntry } from '../../src/lib/model/metrics.js';
import { matchRoute, paths } from '../../src/lib/model/routes.js';

const T0 = Date.UTC(2025, 0, 2, 10, 0, 0);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

function answer(overrides: Partial<MetricSeriesResult> = {}): MetricSeriesResult {
  return {
    metric: {
      serviceName: 'shop', name: 'http.duration', type: 'histogram', unit: 'ms', description: null,
      temporality: 'cumulative', isMonotonic: null, pointCount: 9, firstTime: iso(0), lastTime: iso(170),
    },
    from: iso(0), to: iso(179), bucketSeconds: 60, bucketStarts: [iso(0), iso(60), iso(120)],
    measures: ['p95', 'p50', 'avg', 'rate'],
    series: [
      { attributes: { route: '/a', method: 'GET' }, resource: {}, values: { p95: [10, 20, null], rate: [1, 2, 3] } },
      { attributes: { route: '/b' }, resource: {}, values: { p95: [5, null, 7], rate: [0, 0, 1] } },
    ],
    seriesCount: 2, truncated: false,
    exemplars: [
      { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), time: iso(65), timeUnixNano: '0', value: 250, attributes: { method: 'GET', route: '/a' }, filteredAttributes: {} },
      { traceId: 'c'.repeat(32), spanId: null, time: iso(130), timeUnixNano: '0', value: 900, attributes: { route: '/c' }, filteredAttributes: {} },
    ],
    exemplarsTruncated: false,
    ...overrides,
  };
}

const entry = (serviceName: string, name: string): MetricEntry => ({
  serviceName, name, type: 'gauge', unit: null, description: null, temporality: null, isMonotonic: null,
  pointCount: 1, seriesCount: 1, lastMs: T0, lastValue: 1, exemplarCount: 0,
});

describe('metric catalog', () => {
  it('groups names by service and filters on name or service, any case', () => {
    const list = [entry('billing', 'queue.depth'), entry('shop', 'cpu.load'), entry('shop', 'Queue.Size')];
    expect(groupByService(list).map((g) => [g.serviceName, g.metrics.map((m) => m.name)])).toEqual([['billing', ['queue.depth']], ['shop', ['cpu.load', 'Queue.Size']]]);
    expect(groupByService(list, 'QUEUE').map((g) => g.metrics.map((m) => m.name))).toEqual([['queue.depth'], ['Queue.Size']]);
    expect(groupByService(list, 'shop').map((g) => g.serviceName)).toEqual(['shop']);
  });
});

describe('series labels', () => {
  it('reads attributes sorted by key, adds what tells instances apart, and keeps labels unique', () => {
    expect(seriesLabels([
      { attributes: { route: '/a', method: 'GET' }, resource: {} },
      { attributes: {}, resource: {} },
      { attributes: { route: '/a' }, resource: { 'service.instance.id': 'i-1' } },
      { attributes: { route: '/a' }, resource: { 'service.instance.id': 'i-1' } },
      { attributes: { n: 3 }, resource: {} },
    ])).toEqual(['method=GET, route=/a', '(no attributes)', 'route=/a, service.instance.id=i-1', 'route=/a, service.instance.id=i-1 #2', 'n=3']);
  });
});

describe('metric values', () => {
  it('formats by unit: durations, bytes, plain counts, other units, and rates per second', () => {
    expect(formatUnitValue(1500, 'ms')).toBe('1.5s');
    expect(formatUnitValue(0.25, 's')).toBe('250ms');
    expect(formatUnitValue(1536, 'By')).toBe('1.5 KiB');
    expect(formatUnitValue(12_345, '{request}')).toBe('12.3K');
    expect(formatUnitValue(61.5, 'Cel')).toBe('61.5 Cel');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatMeasure(2.5, 'rate', '{request}', 'sum')).toBe('2.5/s');
    expect(formatMeasure(2048, 'rate', 'By', 'sum')).toBe('2 KiB/s');
    expect(formatMeasure(3, 'rate', 'By', 'histogram')).toBe('3/s');
    expect(formatMeasure(null, 'p95', 'ms', 'histogram')).toBe('—');
  });
});

describe('metric chart', () => {
  it('turns the answer into times in ms, labelled series and exemplars tied to their series', () => {
    const view = toMetricView(answer());
    expect(view.bucketStarts).toEqual([T0, T0 + 60_000, T0 + 120_000]);
    expect(view.series.map((s) => s.label)).toEqual(['method=GET, route=/a', 'route=/b']);
    expect(view.exemplars.map((e) => [e.series, e.timeMs])).toEqual([['method=GET, route=/a', T0 + 65_000], ['route=/c', T0 + 130_000]]);
    expect(view.metric.lastMs).toBe(T0 + 170_000);
  });

  it('draws a measure at the middle of its buckets, with exemplars at their value', () => {
    const { data, markers } = metricChart(toMetricView(answer()), 'p95');
    expect(data.times).toEqual([T0 + 30_000, T0 + 90_000, T0 + 150_000]);
    expect(data.series).toEqual([{ name: 'method=GET, route=/a', values: [10, 20, null] }, { name: 'route=/b', values: [5, null, 7] }]);
    expect(markers.map((m) => [m.t, m.y])).toEqual([[T0 + 65_000, 250], [T0 + 130_000, 900]]);
    expect(markers[0].title).toContain('250ms');
  });

  it('puts exemplars on the time axis when the measure is a rate, and a missing measure is empty', () => {
    const view = toMetricView(answer());
    expect(metricChart(view, 'rate').markers.map((m) => m.y)).toEqual([null, null]);
    expect(metricChart(view, 'avg').data.series[0].values).toEqual([null, null, null]);
  });

  it('lists the highest exemplars first', () => {
    expect(topExemplars(toMetricView(answer()).exemplars, 1).map((e) => e.value)).toEqual([900]);
  });

  it('places points and markers on one time scale that holds both', () => {
    const x = timeScale([100, 200], [{ key: 'k', t: 300, y: null, title: '' }], 50, 100);
    expect([x(100), x(200), x(300)]).toEqual([50, 100, 150]);
  });

  it('labels buckets with seconds, minutes or dates by their width', () => {
    const t = new Date(2025, 0, 2, 9, 5, 30).getTime();
    expect(bucketLabel(t, 15)).toBe('09:05:30');
    expect(bucketLabel(t, 60)).toBe('09:05');
    expect(bucketLabel(t, 7200)).toBe('1/2 09:05');
  });
});

describe('metrics URLs', () => {
  it('opens the Metrics page on a metric and range', () => {
    expect(matchRoute('/explore/metrics')).toEqual({ page: 'metrics' });
    expect(matchRoute('/metrics').page).toBe('not-found'); // the collector's Prometheus endpoint
    expect(paths.metrics('my svc', 'a&b', '6h')).toBe('/explore/metrics?service=my+svc&name=a%26b&range=6h');
    expect(paths.metrics()).toBe('/explore/metrics');
  });
});
