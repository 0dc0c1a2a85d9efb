// The scale-out estimate's arithmetic (lib/scaling.mjs) and the section BENCHMARKS.md gets from it
// (lib/scaling-md.mjs): per-span CPU from a measured run, the two sides' limits, and the wording
// that keeps an estimate from reading as a measurement.
import { describe, expect, it } from 'vitest';
import { JAEGER_CLICKHOUSE, collectorsPerShards, engineOnCpus, onSharedCpus, perSpanCosts, scaleOut, scaleOutGrid } from '../src/lib/scaling.mjs';
import { scalingSection } from '../src/lib/scaling-md.mjs';

// 10,000 spans in 2 s; CPU seconds by thread kind (ended: threads that exited during the run).
const run = { spans: 10_000, seconds: 2, cpu: { total: 3, main: 0.8, engine: 1.8, node: 0.3, ended: 0.1 } };

describe('perSpanCosts', () => {
  it('splits CPU per span into the collector (main + Node threads) and ClickHouse (its threads + ended ones)', () => {
    const c = perSpanCosts(run);
    expect(c.collectorUs).toBeCloseTo(110, 6);
    expect(c.mainUs).toBeCloseTo(80, 6);
    expect(c.engineUs).toBeCloseTo(190, 6);
    expect(c.totalUs).toBeCloseTo(300, 6);
    expect(c.coresUsed).toBeCloseTo(1.5, 6);
    expect(c.engineShare).toBeCloseTo(1.9 / 3, 6);
  });

  it('refuses a run without spans or time', () => {
    expect(() => perSpanCosts({ ...run, spans: 0 })).toThrow(/above 0/);
    expect(() => perSpanCosts({ ...run, seconds: 0 })).toThrow(/above 0/);
  });
});

describe('scaleOut', () => {
  const c = perSpanCosts(run);

  it('is the lower of the collectors\' and the shards\' CPU limits, and says which', () => {
    const one = scaleOut(c, { collectors: 1, shards: 1 });
    expect(one.collectorLimit).toBeCloseTo(1e6 / 110, 6);
    expect(one.engineLimit).toBeCloseTo(4e6 / 190, 6);
    expect(one.spansPerSec).toBe(one.collectorLimit);
    expect(one.boundBy).toBe('collectors');
    const many = scaleOut(c, { collectors: 8, shards: 1 });
    expect(many.spansPerSec).toBeCloseTo(4e6 / 190, 6);
    expect(many.boundBy).toBe('ClickHouse');
    expect(scaleOut(c, { collectors: 8, shards: 2 }).spansPerSec).toBeCloseTo(8e6 / 190, 6);
    expect(scaleOut(c, { collectors: 2, collectorCores: 2, shards: 4, shardCores: 1 }).collectorLimit).toBeCloseTo(4e6 / 110, 6);
  });

  it('gives a grid of collector counts by shard counts that never falls as either grows', () => {
    const grid = scaleOutGrid(c);
    expect(grid.map((r) => r.collectors)).toEqual([1, 2, 4, 8]);
    expect(grid[0].cells.map((x) => x.shards)).toEqual([1, 2, 4]);
    for (const [i, row] of grid.entries()) {
      for (const [k, cell] of row.cells.entries()) {
        if (k > 0) expect(cell.spansPerSec).toBeGreaterThanOrEqual(row.cells[k - 1].spansPerSec);
        if (i > 0) expect(cell.spansPerSec).toBeGreaterThanOrEqual(grid[i - 1].cells[k].spansPerSec);
      }
    }
  });

  it('puts both sides on shared cores, the engine alone on cores, and counts collectors per shard', () => {
    expect(onSharedCpus(c, 4)).toBeCloseTo(4e6 / 300, 6);
    expect(engineOnCpus(c, 4)).toBeCloseTo(4e6 / 190, 6);
    expect(collectorsPerShards(c, 1)).toBe(3); // 4 × 110 / 190 = 2.3
    expect(collectorsPerShards(c, 2, { collectorCores: 2 })).toBe(3);
  });
});

describe('the BENCHMARKS.md section', () => {
  const ingest = (acked, spansPerSec, cpu) => ({ acked, spansPerSec, seconds: acked / spansPerSec, cpu });
  const scaling = {
    cores: 2,
    ch: { payload: ingest(10_000, 5000, run.cpu), noPayload: ingest(5000, 10_000, { total: 1, main: 0.3, engine: 0.5, node: 0.1, ended: 0.1 }) },
    duck: { payload: ingest(10_000, 8000, { total: 2, main: 0.9, engine: 0, node: 1.1, ended: 0 }) },
    bytesPerSpan: { payload: 2180, noPayload: 192 },
  };

  it('is empty when the run measured no ClickHouse ingest', () => {
    expect(scalingSection(undefined)).toBe('');
    expect(scalingSection({})).toBe('');
  });

  it('labels itself an estimate, shows the measured rows and the figures computed from them against Jaeger\'s', () => {
    const md = scalingSection(scaling);
    expect(md).toMatch(/^### Scaling out on ClickHouse — an estimate .*not a measurement/);
    expect(md).toContain('| ClickHouse (chDB), payload workload (2,180 B/span protobuf) | 10,000 | 5,000 | 80 µs | 190 µs | 30 µs | 300 µs | 1.50 of 2 |');
    expect(md).toContain('| DuckDB, payload workload');
    expect(md).toContain(`${JAEGER_CLICKHOUSE.spansPerSec.toLocaleString('en-US')} spans/s on 4 CPUs`);
    // 4 cores shared: 4e6 / 300 µs = 13,333 spans/s, 0.26× Jaeger's; ClickHouse alone 4e6 / 190 = 21,053
    expect(md).toContain('13,333 spans/s (0.26× Jaeger\'s)');
    expect(md).toContain('21,053 spans/s (0.40× Jaeger\'s)');
    expect(md).toContain('| 1 | ~9k spans/s (collector-bound)');
    expect(md).toMatch(/Assumptions of the estimate/);
    expect(md).toMatch(/chDB keeps no query log/);
  });
});
