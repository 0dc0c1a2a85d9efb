/**
 * GET /api/metrics and /api/metrics/series against a real collector fed through OTLP/HTTP:
 * names per service, buckets, the rate of a cumulative counter across a reset, the rate of a
 * delta counter, gauges, histogram and summary quantiles, exemplars with their trace ids, the
 * series cap, and coded 400/404 answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { encodeJson, strAttr } from '../fixtures/otlp.js';
import {
  makeExemplar, makeExponentialHistogram, makeGauge, makeHistogram, makeMetricsRequest, makePoint, makeSum, makeSummary,
} from '../fixtures/otlp-metrics.js';

let server: RunningServer;
/** A whole minute: buckets of 60 s start here. */
const B = 1_700_000_040_000;
const at = (seconds: number): string => String(BigInt(B + seconds * 1000) * 1_000_000n);
const iso = (seconds: number): string => new Date(B + seconds * 1000).toISOString();
const TRACE_1 = '11111111111111111111111111111111';
const TRACE_2 = '22222222222222222222222222222222';
const SPAN_1 = '1111111111111111';

/** A cumulative point of one run (started at `start` s) with attributes route=`route`. */
const cumulative = (start: number, time: number, fields: Record<string, unknown>, route = '/a') =>
  makePoint({ attributes: [strAttr('route', route)], startTimeUnixNano: at(start), timeUnixNano: at(time), ...fields });

const histogram = (time: number, counts: number[], sum: number, exemplars: unknown[] = []) =>
  cumulative(-600, time, { count: String(counts.reduce((a, b) => a + b, 0)), sum, bucketCounts: counts.map(String), explicitBounds: [10, 100, 1000], exemplars });

async function send(service: string, metrics: Record<string, unknown>[]): Promise<void> {
  const request = makeMetricsRequest(metrics, { resourceAttributes: [strAttr('service.name', service)] });
  const r = await api(server.url, '/v1/metrics', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from(encodeJson(request)) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.partialSuccess?.rejectedDataPoints ?? '0').toBe('0');
}

async function series(name: string, extra = '', service = 'shop') {
  const r = await api(server.url, `/api/metrics/series?service=${service}&name=${name}&from=${iso(0)}&to=${iso(299)}&bucket=60s${extra}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

beforeAll(async () => {
  server = await startTestCollector();
  await send('shop', [
    // route /a: 100 before the range, then +60, +120, +0, a reset to 30 (new start), +60; route /b starts inside the range.
    makeSum('http.requests', [
      cumulative(-300, -50, { asDouble: 100 }),
      cumulative(-300, 10, { asDouble: 160 }),
      cumulative(-300, 70, { asDouble: 280 }),
      cumulative(-300, 130, { asDouble: 280 }),
      cumulative(180, 190, { asDouble: 30 }),
      cumulative(180, 250, { asDouble: 90 }),
      cumulative(5, 10, { asInt: '50' }, '/b'),
    ]),
    makeGauge('queue.depth', [
      makePoint({ attributes: [], timeUnixNano: at(10), asDouble: 5 }),
      makePoint({ attributes: [], timeUnixNano: at(40), asDouble: 7 }),
      makePoint({ attributes: [], timeUnixNano: at(70), asDouble: 3 }),
    ]),
    makeSum('jobs.done', [
      makePoint({ attributes: [], startTimeUnixNano: at(0), timeUnixNano: at(20), asInt: '10' }),
      makePoint({ attributes: [], startTimeUnixNano: at(20), timeUnixNano: at(40), asInt: '30' }),
    ], 1),
    makeHistogram('http.duration', [
      histogram(-50, [10, 0, 0, 0], 50),
      histogram(10, [10, 10, 0, 0], 550, [makeExemplar({ traceId: TRACE_2, timeUnixNano: at(5), asDouble: 60 })]),
      histogram(70, [10, 10, 20, 0], 8550, [
        makeExemplar({ traceId: TRACE_1, spanId: SPAN_1, timeUnixNano: at(65), asDouble: 900 }),
        makeExemplar({ traceId: undefined, spanId: undefined, timeUnixNano: at(66), asDouble: 800 }),
      ]),
      // the same exemplar again with the next cumulative point: listed once
      histogram(130, [10, 10, 20, 0], 8550, [makeExemplar({ traceId: TRACE_1, spanId: SPAN_1, timeUnixNano: at(65), asDouble: 900 })]),
    ]),
    makeExponentialHistogram('payload.size', [
      makePoint({ attributes: [], startTimeUnixNano: at(0), timeUnixNano: at(30), count: '8', sum: 24, scale: 0, zeroCount: '0', positive: { offset: 0, bucketCounts: ['2', '6'] } }),
      makePoint({ attributes: [], startTimeUnixNano: at(30), timeUnixNano: at(50), count: '2', sum: 6, scale: 0, zeroCount: '0', positive: { offset: 1, bucketCounts: ['2'] } }),
    ]),
    makeSummary('rpc.duration', [
      cumulative(-600, 10, { count: '4', sum: 10, quantileValues: [{ quantile: 0.5, value: 2 }, { quantile: 0.95, value: 4 }] }),
      cumulative(-600, 70, { count: '8', sum: 30, quantileValues: [{ quantile: 0.5, value: 3 }, { quantile: 0.95, value: 9 }] }),
    ]),
    makeGauge('cpu.load', Array.from({ length: 25 }, (_, core) => makePoint({ attributes: [strAttr('core', String(core))], timeUnixNano: at(10), asDouble: core }))),
  ]);
  await send('billing', [makeGauge('queue.depth', [makePoint({ attributes: [], timeUnixNano: at(20), asDouble: 1 })])]);
});
afterAll(async () => {
  await server.close();
});

describe('GET /api/metrics', () => {
  it('lists every metric name per service with its type, unit, description, points, series and newest point', async () => {
    const r = await api(server.url, '/api/metrics');
    expect(r.status).toBe(200);
    expect(r.body.metrics.map((m: any) => `${m.serviceName}/${m.name}`)).toEqual([
      'billing/queue.depth', 'shop/cpu.load', 'shop/http.duration', 'shop/http.requests', 'shop/jobs.done', 'shop/payload.size', 'shop/queue.depth', 'shop/rpc.duration',
    ]);
    const requests = r.body.metrics.find((m: any) => m.serviceName === 'shop' && m.name === 'http.requests');
    expect(requests).toEqual({
      serviceName: 'shop', name: 'http.requests', type: 'sum', unit: '{request}', description: 'http.requests total',
      temporality: 'cumulative', isMonotonic: true, pointCount: 7, seriesCount: 2,
      firstTime: iso(-50), lastTime: iso(250), lastValue: 90, exemplarCount: 0,
    });
    const duration = r.body.metrics.find((m: any) => m.name === 'http.duration');
    expect(duration).toMatchObject({ type: 'histogram', unit: 'ms', temporality: 'cumulative', isMonotonic: null, lastValue: null, exemplarCount: 4 });
  });

  it('narrows the list to a time range', async () => {
    const r = await api(server.url, `/api/metrics?from=${iso(200)}&to=${iso(299)}`);
    expect(r.body.metrics.map((m: any) => m.name)).toEqual(['http.requests']);
  });
});

describe('GET /api/metrics/series', () => {
  it('answers buckets from the range and the measures the kind allows', async () => {
    const body = await series('http.requests');
    expect(body.bucketSeconds).toBe(60);
    expect(body.bucketStarts).toEqual([iso(0), iso(60), iso(120), iso(180), iso(240)]);
    expect(body.measures).toEqual(['rate']);
    expect(body.metric).toMatchObject({ serviceName: 'shop', name: 'http.requests', type: 'sum', isMonotonic: true });
  });

  it('turns a cumulative counter into a rate per second, across a reset and from the start of a new stream', async () => {
    const body = await series('http.requests');
    const route = (r: string) => body.series.find((s: any) => s.attributes.route === r);
    // 60, 120, 0 more per minute; reset at 180 s to 30 within 10 s; then 60 more in a minute
    expect(route('/a').values.rate).toEqual([1, 2, 0, 3, 1]);
    // started at 5 s, 50 by 10 s
    expect(route('/b').values.rate).toEqual([10, null, null, null, null]);
    expect(body.series.map((s: any) => s.attributes.route)).toEqual(['/b', '/a']); // highest peak first
    expect(body.series[0].resource).toEqual({});
    expect(body).toMatchObject({ seriesCount: 2, truncated: false });
  });

  it('turns a delta counter into its total over the time its points cover', async () => {
    const body = await series('jobs.done');
    expect(body.series[0].values.rate).toEqual([1, null, null, null, null]); // 40 over 40 s
  });

  it('shows a gauge as the newest value of each bucket', async () => {
    const body = await series('queue.depth');
    expect(body.measures).toEqual(['value']);
    expect(body.series[0].values.value).toEqual([7, 3, null, null, null]);
  });

  it('estimates histogram quantiles from the bucket counts recorded in each bucket', async () => {
    const body = await series('http.duration');
    expect(body.measures).toEqual(['p95', 'p50', 'avg', 'rate']);
    const v = body.series[0].values;
    // 10 values in (10, 100], then 20 in (100, 1000]
    expect(v.p50.slice(0, 3)).toEqual([55, 550, null]);
    expect(v.p95[0]).toBeCloseTo(95.5, 9);
    expect(v.p95[1]).toBeCloseTo(955, 9);
    expect(v.avg.slice(0, 2)).toEqual([50, 400]);
    expect(v.rate.slice(0, 3)).toEqual([10 / 60, 20 / 60, 0]);
  });

  it('merges the delta points of an exponential histogram in a bucket', async () => {
    const v = (await series('payload.size')).series[0].values;
    // (1,2]: 2 and (2,4]: 8 → the 5th of 10 values is 3/8 into (2,4]
    expect(v.p50[0]).toBeCloseTo(2.75, 9);
    expect(v.avg[0]).toBe(3);
    expect(v.rate[0]).toBeCloseTo(10 / 50, 9);
  });

  it("takes a summary's own quantiles and its count and sum as cumulative", async () => {
    const v = (await series('rpc.duration')).series[0].values;
    expect(v.p50.slice(0, 2)).toEqual([2, 3]);
    expect(v.p95.slice(0, 2)).toEqual([4, 9]);
    expect(v.avg.slice(0, 2)).toEqual([null, 5]);
    expect(v.rate[1]).toBeCloseTo(4 / 60, 9);
  });

  it('answers the exemplars with a trace id in the range, once each, with their series', async () => {
    const body = await series('http.duration');
    expect(body.exemplars).toEqual([
      { traceId: TRACE_2, spanId: expect.any(String), time: iso(5), timeUnixNano: at(5), value: 60, attributes: { route: '/a' }, filteredAttributes: { user: 'bob' } },
      { traceId: TRACE_1, spanId: SPAN_1, time: iso(65), timeUnixNano: at(65), value: 900, attributes: { route: '/a' }, filteredAttributes: { user: 'bob' } },
    ]);
    expect(body.exemplarsTruncated).toBe(false);
    const later = await api(server.url, `/api/metrics/series?service=shop&name=http.duration&from=${iso(60)}&to=${iso(299)}&bucket=60s`);
    expect(later.body.exemplars.map((e: any) => e.traceId)).toEqual([TRACE_1]);
  });

  it('keeps the series with the highest peaks and says when it cut some', async () => {
    const body = await series('cpu.load');
    expect(body).toMatchObject({ seriesCount: 25, truncated: true });
    expect(body.series.map((s: any) => s.attributes.core)).toEqual(Array.from({ length: 20 }, (_, i) => String(24 - i)));
    const three = await series('cpu.load', '&maxSeries=3');
    expect(three.series.map((s: any) => s.values.value[0])).toEqual([24, 23, 22]);
  });

  it('keeps services apart', async () => {
    const body = await series('queue.depth', '', 'billing');
    expect(body.series[0].values.value).toEqual([1, null, null, null, null]);
  });

  it('answers a known metric without points in the range with empty series', async () => {
    const r = await api(server.url, `/api/metrics/series?service=shop&name=queue.depth&from=${iso(3600)}&to=${iso(7200)}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ series: [], seriesCount: 0, truncated: false, exemplars: [] });
    expect(r.body.bucketStarts.length).toBeGreaterThan(0);
  });

  it('answers 404 for a metric never sent and 400 for bad input', async () => {
    const missing = await api(server.url, '/api/metrics/series?service=shop&name=nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'FT_METRIC_NOT_FOUND', statusCode: 404 });
    expect((await api(server.url, '/api/metrics/series?service=billing&name=http.requests')).status).toBe(404);
    const bad = async (query: string) => {
      const r = await api(server.url, `/api/metrics/series?${query}`);
      return [r.status, r.body.code];
    };
    expect(await bad('name=queue.depth')).toEqual([400, 'FT_BAD_REQUEST']);
    expect(await bad('service=shop&name=queue.depth&bucket=fortnight')).toEqual([400, 'FT_BAD_REQUEST']);
    expect(await bad(`service=shop&name=queue.depth&from=${iso(60)}&to=${iso(0)}`)).toEqual([400, 'FT_BAD_FILTER']);
    expect(await bad('service=shop&name=queue.depth&from=yesterday')).toEqual([400, 'FT_BAD_FILTER']);
    expect(await bad(`service=shop&name=queue.depth&from=${iso(0)}&to=${iso(86_400)}&bucket=1s`)).toEqual([400, 'FT_BAD_FILTER']);
    expect(await bad('service=shop&name=queue.depth&maxSeries=500')).toEqual([400, 'FT_BAD_REQUEST']);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await api(server.url, '/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/metrics', '/api/metrics/series']));
  });
});
