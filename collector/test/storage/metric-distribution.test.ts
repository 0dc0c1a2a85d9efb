/** Histogram buckets as ranges: both OTLP layouts, merging, subtracting across a reset, quantiles. */
import { describe, expect, it } from 'vitest';
import { mergeDistributions, parseDistribution, quantile, subtractDistribution } from '../../src/storage/metric-distribution.js';

const ranges = (text: string) => [...parseDistribution(text).values()].map((r) => [r.lo, r.hi, r.count]);

describe('metric distributions', () => {
  it('reads explicit bounds as ranges from 0 (or -∞ below a bound ≤ 0) to +∞, skipping empty ones', () => {
    expect(ranges('{"bounds":[10,100],"counts":[1,0,2]}')).toEqual([[0, 10, 1], [100, Infinity, 2]]);
    expect(ranges('{"bounds":[-5,5],"counts":[1,1,1]}')).toEqual([[-Infinity, -5, 1], [-5, 5, 1], [5, Infinity, 1]]);
  });

  it('reads exponential buckets by scale and offset, negative ones mirrored, and the zero bucket', () => {
    const text = '{"scale":1,"zeroCount":3,"zeroThreshold":0,"positive":{"offset":2,"counts":[4]},"negative":{"offset":0,"counts":[5]}}';
    expect(ranges(text)).toEqual([[-0, 0, 3], [2, 2 ** 1.5, 4], [-(2 ** 0.5), -1, 5]]);
  });

  it('merges delta points range by range and subtracts cumulative ones, refusing a shrunk range', () => {
    const a = parseDistribution('{"bounds":[10],"counts":[1,2]}');
    const b = parseDistribution('{"bounds":[10],"counts":[3,2]}');
    expect([...mergeDistributions([a, b]).values()].map((r) => r.count)).toEqual([4, 4]);
    expect([...subtractDistribution(b, a)!.values()].map((r) => [r.hi, r.count])).toEqual([[10, 2]]);
    expect(subtractDistribution(a, b)).toBeNull();
  });

  it('estimates quantiles linearly inside a range, answers the finite bound of an open one, and null when empty', () => {
    const d = parseDistribution('{"bounds":[10,20],"counts":[0,10,10]}');
    expect(quantile(d, 0.25)).toBe(15);
    expect(quantile(d, 0.99)).toBe(20);
    expect(quantile(parseDistribution('{"bounds":[],"counts":[]}'), 0.5)).toBeNull();
    expect(quantile(parseDistribution('not json'), 0.5)).toBeNull();
  });
});
