// Wire → domain conversion: nanosecond strings, running spans, outline tuples, span details, the incomplete status.
import { describe, expect, it } from 'vitest';
import type { LogLine } from '@flowtrace/collector/api';
import { toExecution, toSpan, toSpanDetails, toTraceOutline } from '../../src/lib/api/wire-to-domain.js';
import { liveSpanOf, makeWireExecution, makeWireOutline, makeWireSpan } from '../fixtures/make-span.js';

const log = (ns: string, body: string): LogLine => ({ traceId: 'a', spanId: 'b', time: '', timeUnixNano: ns, severity: 'INFO', severityNumber: 9, body, attributes: {} });

describe('wire → domain', () => {
  it('turns nanosecond strings into epoch ms with microseconds', () => {
    const s = toSpan(liveSpanOf(makeWireSpan()));
    expect(s.startMs).toBeCloseTo(1767268800000.123, 3);
    expect(s.endMs! - s.startMs).toBeCloseTo(10, 3);
  });

  it('keeps a running span open-ended', () => {
    expect(toSpan(liveSpanOf(makeWireSpan({ endTime: null, endTimeUnixNano: null, durationMs: null, status: 'running' }))).endMs).toBeNull();
  });

  it('takes the flow node of a live span from its node fields', () => {
    const s = toSpan(liveSpanOf(makeWireSpan({ attributes: { 'flow.node.id': 'n1', 'flow.node.name': 'Charge', 'flow.node.type': 'http', 'flow.node.index': 3 } })));
    expect(s).toMatchObject({ nodeId: 'n1', nodeName: 'Charge', nodeType: 'http', nodeIndex: 3 });
    expect(toSpan(liveSpanOf(makeWireSpan()))).toMatchObject({ nodeId: null, nodeName: null, nodeType: null, nodeIndex: null });
  });

  it('maps a span detail: exception events with their times, console lines sorted by time', () => {
    const d = toSpanDetails({
      span: makeWireSpan({ attributes: { k: 'v' }, events: [{ name: 'exception', time: '', timeUnixNano: '1767268800005000000', attributes: { 'exception.message': 'boom' } }] }),
      logs: [log('1767268800002000000', 'second'), log('1767268800001000000', 'first')],
    });
    expect(d.spanId).toBe('b'.repeat(16));
    expect(d.attributes).toEqual({ k: 'v' });
    expect(d.events[0]).toEqual({ name: 'exception', timeMs: 1767268800005, attributes: { 'exception.message': 'boom' } });
    expect(d.logs.map((l) => l.body)).toEqual(['first', 'second']);
  });

  it('keeps whether an execution continues a trace from elsewhere, and reads its absence as no', () => {
    const remote = toExecution(makeWireExecution({ continuesRemoteTrace: true, remoteParentSpanId: 'f'.repeat(16) }));
    expect(remote).toMatchObject({ continuesRemoteTrace: true, remoteParentSpanId: 'f'.repeat(16), displayStatus: 'success' });
    const older = makeWireExecution() as Partial<ReturnType<typeof makeWireExecution>>;
    delete older.continuesRemoteTrace;
    delete older.remoteParentSpanId;
    expect(toExecution(older as ReturnType<typeof makeWireExecution>)).toMatchObject({ continuesRemoteTrace: false, remoteParentSpanId: null });
  });

  it('shows a finished trace without its root as incomplete, but a running one as running', () => {
    expect(toExecution(makeWireExecution({ hasRoot: false, status: 'success' })).displayStatus).toBe('incomplete');
    expect(toExecution(makeWireExecution({ hasRoot: false, status: 'running' })).displayStatus).toBe('running');
    expect(toExecution(makeWireExecution()).displayStatus).toBe('success');
  });
});

describe('trace outline → spans', () => {
  const spans = [
    makeWireSpan({ spanId: '1'.repeat(16), name: 'root', serviceName: 'api', kind: 'server', startTimeUnixNano: '1767268800000123456', endTimeUnixNano: '1767268800050000000' }),
    makeWireSpan({
      spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), name: 'charge', serviceName: 'api', kind: 'client', status: 'error', statusCode: 'error', statusMessage: 'declined',
      startTimeUnixNano: '1767268800001000999', endTimeUnixNano: '1767268800002000000',
      attributes: { 'flow.node.id': 'n2', 'flow.node.name': 'Charge card', 'flow.node.type': 'http', 'flow.node.index': 2 },
    }),
    makeWireSpan({ spanId: '3'.repeat(16), parentSpanId: 'f'.repeat(16), name: 'charge', serviceName: 'worker', status: 'running', statusCode: 'unset', startTimeUnixNano: '1767268800003000000', endTimeUnixNano: null }),
  ];

  it('says what toSpan says of the same spans, to the microsecond', () => {
    const data = toTraceOutline(makeWireOutline(spans));
    expect(data.spans).toHaveLength(3);
    data.spans.forEach((s, i) => {
      expect(s).toEqual(toSpan(liveSpanOf(spans[i])));
    });
    expect(data.execution.complete).toBe(true);
  });

  it('reads tuple positions from `fields`, ignoring fields it does not know and defaulting missing ones', () => {
    const wire = makeWireOutline(spans.slice(0, 2));
    // The collector reorders and appends a field, and drops statusMessage.
    const order = ['startUs', 'spanId', 'future', ...wire.fields.filter((f) => f !== 'startUs' && f !== 'spanId' && f !== 'statusMessage')];
    const moved = {
      ...wire,
      fields: order as typeof wire.fields,
      spans: wire.spans.map((t) => order.map((f) => (f === 'future' ? 'x' : t[wire.fields.indexOf(f as (typeof wire.fields)[number])]))) as unknown as typeof wire.spans,
    };
    const data = toTraceOutline(moved);
    expect(data.spans.map((s) => s.spanId)).toEqual(toTraceOutline(wire).spans.map((s) => s.spanId));
    expect(data.spans[1]).toMatchObject({ name: 'charge', nodeName: 'Charge card', statusMessage: null, status: 'error' });
    expect(data.spans[1].startMs).toBeCloseTo(toTraceOutline(wire).spans[1].startMs, 6);
  });

  it('decodes coded fields through the lists the collector sends, and takes a field without one as it is', () => {
    const wire = makeWireOutline(spans);
    const at = (f: string) => wire.fields.indexOf(f as never);
    // Other lists (reordered), and no list for status: the tuples hold its texts.
    const kinds = [...wire.codes.kind].reverse();
    const { status: _status, ...codes } = { ...wire.codes, kind: kinds };
    const recoded = {
      ...wire,
      codes: codes as unknown as typeof wire.codes,
      spans: wire.spans.map((t, i) => {
        const u = [...t] as unknown[];
        u[at('kind')] = kinds.indexOf(spans[i].kind);
        u[at('status')] = spans[i].status;
        return u;
      }) as unknown as typeof wire.spans,
    };
    expect(toTraceOutline(recoded).spans).toEqual(toTraceOutline(wire).spans);
    expect(toTraceOutline(recoded).spans.map((s) => [s.kind, s.status])).toEqual([['server', 'success'], ['client', 'error'], ['internal', 'running']]);
  });

  it('cuts times to the microsecond as nsToMs does, across the base and the duration', () => {
    const odd = [makeWireSpan({ spanId: 'a'.repeat(16), startTimeUnixNano: '1767268800000000999', endTimeUnixNano: '1767268800000001001' })];
    const [span] = toTraceOutline(makeWireOutline(odd)).spans;
    expect([span.startMs, span.endMs]).toEqual([toSpan(liveSpanOf(odd[0])).startMs, toSpan(liveSpanOf(odd[0])).endMs]);
    // 999 ns → 1 001 ns after the base's microsecond: the microseconds 0 and 1.
    expect(Math.round((span.endMs! - span.startMs) * 1000)).toBe(1);
  });

  it('opens an empty outline', () => {
    expect(toTraceOutline(makeWireOutline([])).spans).toEqual([]);
  });
});
