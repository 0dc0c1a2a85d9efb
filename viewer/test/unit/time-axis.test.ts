// Time-axis ticks and the duration/time formats the waterfall prints.
import { describe, expect, it } from 'vitest';
import { formatOffset, niceStep, timeTicks } from '../../src/lib/model/time-axis.js';
import { formatDuration, nsToMs } from '../../src/lib/model/time.js';

describe('time axis', () => {
  it('picks 1-2-5 steps', () => {
    expect(niceStep(1000, 5)).toBe(200);
    expect(niceStep(730, 6)).toBe(200);
    expect(niceStep(0.9, 4)).toBeCloseTo(0.5);
  });

  it('produces round ticks from 0 to the end with even labels', () => {
    const ticks = timeTicks(0, 1000, 5);
    expect(ticks.map((t) => t.label)).toEqual(['0', '200ms', '400ms', '600ms', '800ms', '1000ms']);
    expect(ticks[5].fraction).toBeCloseTo(1);
  });

  it('labels sub-millisecond and multi-second ranges in their units', () => {
    expect(timeTicks(0, 0.5, 5)[1].label).toBe('100µs');
    expect(timeTicks(0, 12_000, 6)[1].label).toBe('2s');
    expect(formatOffset(1500, 500)).toBe('1500ms');
    expect(formatOffset(1500, 1000)).toBe('2s');
  });

  it('starts at the first tick inside a zoomed window', () => {
    const ticks = timeTicks(130, 530, 4);
    expect(ticks[0].offsetMs).toBe(200);
    expect(ticks[0].fraction).toBeCloseTo(70 / 400);
  });
});

describe('time formats', () => {
  it('keeps microseconds when converting nanosecond strings', () => {
    expect(nsToMs('1767268800000123456')).toBeCloseTo(1767268800000.123, 3);
  });

  it('formats durations for humans', () => {
    expect(formatDuration(0.25)).toBe('250µs');
    expect(formatDuration(12.34)).toBe('12.3ms');
    expect(formatDuration(4210)).toBe('4.21s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(null)).toBe('—');
  });
});
