// Span filters of the trace view and console lines merged live into a span's details.
import { describe, expect, it } from 'vitest';
import { emptySpanFilters, parseAttributeFilter, spanFilterPredicate } from '../../src/lib/model/span-filters.js';
import { liveLine, withLiveLines } from '../../src/lib/model/live-lines.js';
import type { SpanDetailsModel, SpanModel } from '../../src/lib/model/types.js';

const span = (spanId: string, serviceName: string, startMs: number, endMs: number | null) => ({ spanId, serviceName, startMs, endMs }) as SpanModel;

describe('span filters', () => {
  it('keep spans of a service, in a duration range (running ones up to now), carrying the attribute', () => {
    expect(spanFilterPredicate(emptySpanFilters(), null, 0)).toBeNull();
    const byService = spanFilterPredicate({ ...emptySpanFilters(), service: 'pay' }, null, 0)!;
    expect([byService(span('a', 'pay', 0, 1)), byService(span('b', 'ship', 0, 1))]).toEqual([true, false]);
    const slow = spanFilterPredicate({ ...emptySpanFilters(), minDurationMs: 50 }, null, 100)!;
    expect([slow(span('a', 's', 0, 10)), slow(span('b', 's', 0, 60)), slow(span('c', 's', 20, null))]).toEqual([false, true, true]);
    const attr = spanFilterPredicate({ ...emptySpanFilters(), attribute: 'order.id=o-1' }, new Set(['b']), 0)!;
    expect([attr(span('a', 's', 0, 1)), attr(span('b', 's', 0, 1))]).toEqual([false, true]);
    expect(parseAttributeFilter('no pair')).toBeNull();
    expect(parseAttributeFilter('k = v=w')).toEqual({ key: 'k', value: 'v=w' });
  });
});

describe('live console lines', () => {
  const details = { spanId: 's1', logs: [{ spanId: 's1', timeMs: 1, severity: 'INFO', severityNumber: 9, body: 'first line, whole', attributes: {} }] } as unknown as SpanDetailsModel;
  const event = (timeUnixNano: string, body: string, truncated = false, spanId = 's1') =>
    ({ seq: 1, type: 'log', traceId: 't', spanId, log: { time: '', timeUnixNano, severity: 'INFO', severityNumber: 9, body, truncated } }) as const;

  it('are appended to the span they belong to, once, in time order', () => {
    const lines = [event('1000000', 'first line', true), event('3000000', 'third'), event('2000000', 'second'), event('2500000', 'other span', false, 's2')].map((e) => liveLine(e)!);
    const merged = withLiveLines(details, lines)!;
    expect(merged.logs.map((l) => l.body)).toEqual(['first line, whole', 'second', 'third']);
    expect(withLiveLines(details, [])).toBe(details);
    expect(liveLine({ seq: 2, type: 'span.started', traceId: 't', spanId: 's1' })).toBeNull();
  });
});
