import { describe, expect, it } from 'vitest';
import { FlowtraceError } from '../../src/errors.js';
import { ingestTraces } from '../../src/ingest/index.js';
import { convertTracesBothWays, encodeJson, encodeTraceProtobuf, makeOtlpSpan, makeTraceRequest, SPAN_ID, TRACE_ID } from '../fixtures/otlp.js';

function rejection(overrides: Record<string, unknown>): string[] {
  const { proto, json } = convertTracesBothWays(makeTraceRequest([makeOtlpSpan(), makeOtlpSpan({ spanId: 'aaaaaaaaaaaaaaaa', ...overrides })]));
  expect(json).toEqual(proto);
  expect(proto.batch.spans.map((s) => s.spanId)).toEqual([SPAN_ID]);
  expect(proto.rejectedSpans).toBe(1);
  return proto.errors;
}

describe('span validation', () => {
  it.each([
    ['a trace id of the wrong length', { traceId: 'abcd' }, 'traceId must be 16 bytes, got 2'],
    ['an all-zero trace id', { traceId: '0'.repeat(32) }, 'traceId is all zeros'],
    ['a missing trace id', { traceId: '' }, 'traceId is missing'],
    ['a span id of the wrong length', { spanId: 'abcdef' }, 'spanId must be 8 bytes, got 3'],
    ['an all-zero span id', { spanId: '0'.repeat(16) }, 'spanId is all zeros'],
    ['a parent id of the wrong length', { parentSpanId: 'abcd' }, 'parentSpanId must be 8 bytes, got 2'],
    ['a missing start', { startTimeUnixNano: '0' }, 'startTimeUnixNano is missing'],
    ['a missing end', { endTimeUnixNano: undefined }, 'endTimeUnixNano is missing'],
    ['an end before the start', { endTimeUnixNano: '1544712659000000000' }, 'endTimeUnixNano is before startTimeUnixNano'],
    ['an absurd start time', { startTimeUnixNano: '18446744073709551615', endTimeUnixNano: '18446744073709551615' }, 'startTimeUnixNano is out of range'],
    ['a link with a bad trace id', { links: [{ traceId: '01', spanId: SPAN_ID }] }, 'links[0].traceId must be 16 bytes, got 1'],
  ])('rejects a span with %s and keeps the others', (_what, overrides, reason) => {
    expect(rejection(overrides)).toEqual([`resourceSpans[0].scopeSpans[0].spans[1]: ${reason}`]);
  });

  it('rejects a JSON id that is not hex (protobuf ids are bytes, so only JSON can say this)', () => {
    const { json } = convertTracesBothWays(makeTraceRequest([makeOtlpSpan({ traceId: 'zz'.repeat(16) })]));
    expect(json.errors).toEqual(['resourceSpans[0].scopeSpans[0].spans[0]: traceId is not hex']);
  });

  it('treats an all-zero parent id as no parent', () => {
    const { proto } = convertTracesBothWays(makeTraceRequest([makeOtlpSpan({ parentSpanId: '0'.repeat(16) })]));
    expect(proto.batch.spans[0].parentSpanId).toBeNull();
  });

  it('keeps at most 20 reasons and counts the rest', () => {
    const spans = Array.from({ length: 25 }, () => makeOtlpSpan({ traceId: '' }));
    const { proto } = convertTracesBothWays(makeTraceRequest(spans));
    expect(proto.rejectedSpans).toBe(25);
    expect(proto.errors).toHaveLength(21);
    expect(proto.errors[20]).toBe('… and 5 more rejected');
  });

  it('answers with FT_OTLP_INVALID when every span of a request is rejected', () => {
    const request = makeTraceRequest([makeOtlpSpan({ traceId: TRACE_ID.slice(2) })]);
    for (const [body, format] of [[encodeTraceProtobuf(request), 'protobuf'], [encodeJson(request), 'json']] as const) {
      expect(() => ingestTraces(body, format)).toThrow(FlowtraceError);
      try { ingestTraces(body, format); } catch (err) {
        expect(err).toMatchObject({ code: 'FT_OTLP_INVALID', statusCode: 400 });
        expect((err as Error).message).toMatch(/every span was rejected: .*traceId must be 16 bytes/);
      }
    }
  });
});
