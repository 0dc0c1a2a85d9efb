// Wire → domain conversion: nanosecond strings, running spans, exceptions, the incomplete status.
import { describe, expect, it } from 'vitest';
import { toExecution, toSpan, toTraceData } from '../../src/lib/api/wire-to-domain.js';
import { makeWireExecution, makeWireSpan } from '../fixtures/make-span.js';

describe('wire → domain', () => {
  it('turns nanosecond strings into epoch ms with microseconds', () => {
    const s = toSpan(makeWireSpan());
    expect(s.startMs).toBeCloseTo(1767268800000.123, 3);
    expect(s.endMs! - s.startMs).toBeCloseTo(10, 3);
  });

  it('keeps a running span open-ended', () => {
    expect(toSpan(makeWireSpan({ endTime: null, endTimeUnixNano: null, durationMs: null, status: 'running' })).endMs).toBeNull();
  });

  it('maps exception events with their times', () => {
    const s = toSpan(makeWireSpan({ events: [{ name: 'exception', time: '', timeUnixNano: '1767268800005000000', attributes: { 'exception.message': 'boom' } }] }));
    expect(s.events[0]).toEqual({ name: 'exception', timeMs: 1767268800005, attributes: { 'exception.message': 'boom' } });
  });

  it('shows a finished trace without its root as incomplete, but a running one as running', () => {
    expect(toExecution(makeWireExecution({ hasRoot: false, status: 'success' })).displayStatus).toBe('incomplete');
    expect(toExecution(makeWireExecution({ hasRoot: false, status: 'running' })).displayStatus).toBe('running');
    expect(toExecution(makeWireExecution()).displayStatus).toBe('success');
  });

  it('converts a whole execution and sorts console lines by time', () => {
    const log = (ns: string, body: string) => ({ traceId: 'a', spanId: 'b', time: '', timeUnixNano: ns, severity: 'INFO', severityNumber: 9, body, attributes: {} });
    const d = toTraceData({
      execution: { ...makeWireExecution(), complete: true, orphanCount: 0 },
      spans: [makeWireSpan()],
      logs: [log('1767268800002000000', 'second'), log('1767268800001000000', 'first')],
    });
    expect(d.execution.complete).toBe(true);
    expect(d.logs.map((l) => l.body)).toEqual(['first', 'second']);
    expect(d.spans).toHaveLength(1);
  });
});
