/**
 * The writer and metric data points: every field read back as written, and a point sent twice
 * (same stream and times) kept once — across commits and within one group — while points that
 * differ in any identifying field are all kept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { makeMetricRow } from '../fixtures/rows.js';

const batch = (metrics: ReturnType<typeof makeMetricRow>[]) => ({ spans: [], starts: [], logs: [], metrics });

describe('metric data points in storage', () => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await openStorage({ path: ':memory:' });
  });
  afterEach(async () => {
    await storage.close();
  });

  const rows = async () => (await storage.sql.run('SELECT name, attributes::VARCHAR, time_ns, value FROM metrics ORDER BY time_ns, attributes::VARCHAR')).rows;

  it('reads back every column of a histogram point as written', async () => {
    await storage.writer.write(batch([makeMetricRow({
      type: 3, temporality: 1, isMonotonic: null, value: null, count: 18446744073709551615n, sum: 1.5, min: -1, max: NaN,
      buckets: '{"bounds":[1],"counts":[0,1]}', exemplars: '[{"traceId":null}]', flags: 1, startTimeUnixNano: null,
      description: 'd', scopeAttributes: '{"k":1}',
    })]));
    const result = await storage.sql.run(`SELECT * FROM metrics`);
    const row = Object.fromEntries(result.columns.map((c, i) => [c.name, result.rows[0][i]]));
    expect(row).toMatchObject({
      service_name: 'order-service', name: 'orders', description: 'd', unit: '{order}', type: 'histogram', temporality: 'delta',
      is_monotonic: null, attributes: '{"route":"/a"}', scope_name: 'my.meter', scope_version: '1.0.0', scope_attributes: '{"k":1}',
      start_time: null, value: null, int_value: null, count: '18446744073709551615', sum: 1.5, min: -1, max: 'NaN',
      buckets: '{"bounds":[1],"counts":[0,1]}', exemplars: '[{"traceId":null}]', flags: 1, start_ns: null, time_ns: '1700000000000000000',
    });
  });

  it('keeps one row when the same points are sent again, in a later commit or in the same group', async () => {
    const points = [makeMetricRow(), makeMetricRow({ attributes: '{"route":"/b"}' })];
    await storage.writer.write(batch(points));
    await storage.writer.write(batch(points));
    await Promise.all([storage.writer.write(batch(points)), storage.writer.write(batch([...points, ...points]))]);
    expect(await rows()).toHaveLength(2);
  });

  it('keeps points that differ in time, start, attributes, resource, scope or type', async () => {
    await storage.writer.write(batch([
      makeMetricRow(),
      makeMetricRow({ timeUnixNano: 1_700_000_001_000_000_000n }),
      makeMetricRow({ startTimeUnixNano: 1_699_999_500_000_000_000n }),
      makeMetricRow({ attributes: '{"route":"/c"}' }),
      makeMetricRow({ resourceAttributes: '{"service.name":"order-service","host":"2"}' }),
      makeMetricRow({ scopeName: 'other.meter' }),
      makeMetricRow({ type: 1, temporality: 0, isMonotonic: null }),
    ]));
    expect(await rows()).toHaveLength(7);
  });
});
