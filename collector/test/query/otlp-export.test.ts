import { describe, expect, it } from 'vitest';
import { convertTraceRequest, decodeTraceRequestJson } from '../../src/ingest/index.js';
import { jsonToAnyValue, traceToOtlpJson } from '../../src/query/otlp-export.js';
import { attr, encodeJson, makeOtlpSpan, makeTraceRequest, PARENT_ID, strAttr } from '../fixtures/otlp.js';
import { attributesObject } from '../../src/ingest/attributes.js';
import type { IngestSpan, SpanRecord } from '../../src/storage/index.js';
import { makeSpanRow } from '../fixtures/rows.js';

/** A logical span as storage gives it back: every attribute in one JSON object. */
const asRecord = (s: IngestSpan): SpanRecord => ({ ...s, attributes: attributesObject(s.attributes) });

describe('trace → OTLP/JSON export', () => {
  it('renders a stored trace that POST /v1/traces takes back unchanged', () => {
    const request = makeTraceRequest([
      makeOtlpSpan({
        traceState: 'k=v', flags: 1, status: { code: 2, message: 'no' }, droppedAttributesCount: 2, droppedEventsCount: 1, droppedLinksCount: 3,
        attributes: [strAttr('s', 'x'), attr('i', { intValue: '12' }), attr('d', { doubleValue: 0.5 }), attr('b', { boolValue: false }),
          attr('a', { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'two' }] } }), attr('kv', { kvlistValue: { values: [strAttr('in', 'side')] } })],
        events: [{ name: 'exception', timeUnixNano: '1544712660500000000', attributes: [strAttr('exception.message', 'boom')], droppedAttributesCount: 1 }],
        links: [{ traceId: '0123456789abcdef0123456789abcdef', spanId: PARENT_ID, traceState: 't=1', attributes: [strAttr('l', 'v')] }],
      }),
      makeOtlpSpan({ spanId: 'aaaaaaaaaaaaaaaa', parentSpanId: '' }),
    ], { resourceAttributes: [strAttr('service.name', 'orders')], scope: { name: 'lib', version: '1' } });
    const stored = convertTraceRequest(decodeTraceRequestJson(encodeJson(request))).batch.spans;
    const exported = traceToOtlpJson(stored.map(asRecord));
    const again = convertTraceRequest(decodeTraceRequestJson(JSON.stringify(exported)));
    expect(again.errors).toEqual([]);
    expect(again.batch.spans).toEqual(stored);
  });

  it('groups spans by resource and scope', () => {
    const a = makeSpanRow({ resourceAttributes: '{"service.name":"a"}', scopeName: 'x' });
    const b = makeSpanRow({ resourceAttributes: '{"service.name":"a"}', scopeName: 'y' });
    const c = makeSpanRow({ resourceAttributes: '{"service.name":"b"}', scopeName: 'x' });
    const out = traceToOtlpJson([a, b, c].map(asRecord));
    expect(out.resourceSpans.map((r) => r.scopeSpans.map((s) => [s.scope.name, s.spans.length]))).toEqual([[['x', 1], ['y', 1]], [['x', 1]]]);
  });

  it('leaves running spans out, since OTLP has no span without an end', () => {
    expect(traceToOtlpJson([asRecord(makeSpanRow({ endTimeUnixNano: null }))]).resourceSpans).toEqual([]);
  });

  it('writes integers as intValue text and other numbers as doubleValue', () => {
    expect(jsonToAnyValue(3)).toEqual({ intValue: '3' });
    expect(jsonToAnyValue(3.25)).toEqual({ doubleValue: 3.25 });
    expect(jsonToAnyValue(null)).toEqual({});
  });
});
