import { describe, expect, it } from 'vitest';
import { attributesObject } from '../../src/ingest/attributes.js';
import type { IngestSpan } from '../../src/storage/index.js';
import {
  attr, convertTracesBothWays, END, makeOtlpSpan, makeTraceRequest, PARENT_ID, SPAN_ID, START, strAttr, TRACE_ID,
} from '../fixtures/otlp.js';

/** Converts one span both ways, checks the two agree (the one decoded shape), returns the logical span. */
function oneSpan(overrides: Record<string, unknown>, options?: Parameters<typeof makeTraceRequest>[1]): IngestSpan {
  const { proto, json } = convertTracesBothWays(makeTraceRequest([makeOtlpSpan(overrides)], options));
  expect(proto.errors).toEqual([]);
  expect(json).toEqual(proto);
  expect(proto.batch.spans).toHaveLength(1);
  return proto.batch.spans[0];
}

/** A span's rendered attributes as one JSON object. */
const attributesOf = (span: IngestSpan): Record<string, unknown> => JSON.parse(attributesObject(span.attributes));

describe('OTLP span → logical span', () => {
  it('maps ids to lower-case hex, parent, name, kind, times, trace state and flags', () => {
    const row = oneSpan({ traceState: 'vendor=1', flags: 0x301, kind: 3 });
    expect(row).toMatchObject({
      traceId: TRACE_ID, spanId: SPAN_ID, parentSpanId: PARENT_ID, name: 'I\'m a server span', kind: 3,
      startTimeUnixNano: BigInt(START), endTimeUnixNano: BigInt(END), traceState: 'vendor=1', flags: 0x301,
    });
  });

  it('stores a span without parent as a root with a null parent id', () => {
    expect(oneSpan({ parentSpanId: '' }).parentSpanId).toBeNull();
    expect(oneSpan({ parentSpanId: undefined }).parentSpanId).toBeNull();
  });

  it('maps every span kind number and turns unknown kinds into unspecified', () => {
    for (const kind of [0, 1, 2, 3, 4, 5]) expect(oneSpan({ kind }).kind).toBe(kind);
    expect(oneSpan({ kind: 42 }).kind).toBe(0);
  });

  it('maps the status code and message', () => {
    expect(oneSpan({ status: { code: 2, message: 'boom' } })).toMatchObject({ statusCode: 2, statusMessage: 'boom' });
    expect(oneSpan({ status: { code: 1 } })).toMatchObject({ statusCode: 1, statusMessage: null });
    expect(oneSpan({})).toMatchObject({ statusCode: 0, statusMessage: null });
  });

  it('writes attributes of every value type as JSON, keeping int64 beyond 2^53 exact', () => {
    const row = oneSpan({
      attributes: [
        strAttr('s', 'text "quoted"'),
        attr('b', { boolValue: true }),
        attr('f', { boolValue: false }),
        attr('i', { intValue: '42' }),
        attr('neg', { intValue: '-7' }),
        attr('big', { intValue: '9007199254740993' }),
        attr('max', { intValue: '9223372036854775807' }),
        attr('d', { doubleValue: 1.5 }),
        attr('arr', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, { arrayValue: { values: [{ boolValue: true }] } }] } }),
        attr('kv', { kvlistValue: { values: [strAttr('x', 'y'), attr('n', { doubleValue: 2.25 })] } }),
        attr('bytes', { bytesValue: Uint8Array.from([1, 2, 3, 255]) }),
        attr('empty', {}),
      ],
    });
    expect(attributesObject(row.attributes)).toBe(
      '{"s":"text \\"quoted\\"","b":true,"f":false,"i":42,"neg":-7,"big":9007199254740993,'
      + '"max":9223372036854775807,"d":1.5,"arr":["a",1,[true]],"kv":{"x":"y","n":2.25},"bytes":"AQID/w==","empty":null}',
    );
  });

  it('writes NaN and infinite doubles as strings', () => {
    // JSON cannot carry NaN as a number: OTLP/JSON sends it as text, protobuf as a double.
    const row = oneSpan({ attributes: [attr('nan', { doubleValue: 'NaN' }), attr('inf', { doubleValue: '-Infinity' })] });
    expect(attributesOf(row)).toEqual({ nan: 'NaN', inf: '-Infinity' });
  });

  it('keeps the first of duplicate attribute keys', () => {
    expect(attributesOf(oneSpan({ attributes: [strAttr('k', 'first'), strAttr('k', 'second')] }))).toEqual({ k: 'first' });
  });

  it('writes events with their time as text, attributes and dropped counts, and takes the first exception message', () => {
    const row = oneSpan({
      events: [
        { name: 'started', timeUnixNano: '1544712660300000000', attributes: [attr('n', { intValue: '1' })], droppedAttributesCount: 2 },
        { name: 'exception', timeUnixNano: '1544712660500000000', attributes: [strAttr('exception.type', 'Error'), strAttr('exception.message', 'first')] },
        { name: 'exception', timeUnixNano: '1544712660600000000', attributes: [strAttr('exception.message', 'second')] },
      ],
      droppedEventsCount: 3,
    });
    expect(JSON.parse(row.events)).toEqual([
      { name: 'started', timeUnixNano: '1544712660300000000', attributes: { n: 1 }, droppedAttributesCount: 2 },
      { name: 'exception', timeUnixNano: '1544712660500000000', attributes: { 'exception.type': 'Error', 'exception.message': 'first' }, droppedAttributesCount: 0 },
      { name: 'exception', timeUnixNano: '1544712660600000000', attributes: { 'exception.message': 'second' }, droppedAttributesCount: 0 },
    ]);
    expect(row.exceptionMessage).toBe('first');
    expect(row.droppedEventsCount).toBe(3);
  });

  it('writes links with lower-case ids, trace state, attributes and dropped counts', () => {
    const row = oneSpan({
      links: [{ traceId: TRACE_ID.toUpperCase(), spanId: PARENT_ID, traceState: 'a=b', attributes: [strAttr('l', 'v')], droppedAttributesCount: 1 }],
      droppedLinksCount: 4,
    });
    expect(JSON.parse(row.links)).toEqual([{ traceId: TRACE_ID, spanId: PARENT_ID, traceState: 'a=b', attributes: { l: 'v' }, droppedAttributesCount: 1 }]);
    expect(row.droppedLinksCount).toBe(4);
  });

  it('keeps the dropped attribute count the SDK reported', () => {
    expect(oneSpan({ droppedAttributesCount: 5 }).droppedAttributesCount).toBe(5);
  });

  it('takes the service name and resource attributes from the resource, and the scope name and version', () => {
    const row = oneSpan({}, { resourceAttributes: [strAttr('service.name', 'orders'), strAttr('service.version', '2.1')], scope: { name: 'lib', version: '0.9' } });
    expect(row).toMatchObject({ serviceName: 'orders', scopeName: 'lib', scopeVersion: '0.9' });
    expect(JSON.parse(row.resourceAttributes)).toEqual({ 'service.name': 'orders', 'service.version': '2.1' });
  });

  it('names the service unknown_service when the resource has no service.name', () => {
    expect(oneSpan({}, { resourceAttributes: [], scope: {} })).toMatchObject({ serviceName: 'unknown_service', scopeName: null, scopeVersion: null });
  });

  it('copies the flow attributes into the flow fields and keeps every attribute', () => {
    const attributes = [
      strAttr('flow.execution.kind', 'flow'), strAttr('flow.id', 'f1'), strAttr('flow.name', 'checkout'),
      attr('flow.version', { intValue: '3' }), strAttr('flow.trigger.type', 'http'), strAttr('enduser.id', 'u7'),
      strAttr('flow.node.id', 'n1'), strAttr('flow.node.name', 'charge'), strAttr('flow.node.type', 'http'),
      attr('flow.node.index', { intValue: '4' }), strAttr('flow.execution.status', 'cancelled'), strAttr('flow.error.node_id', 'n9'),
    ];
    const row = oneSpan({ attributes });
    expect(row).toMatchObject({
      executionKind: 'flow', flowId: 'f1', flowName: 'checkout', flowVersion: '3', triggerType: 'http', userId: 'u7',
      nodeId: 'n1', nodeName: 'charge', nodeType: 'http', nodeIndex: 4, flowStatus: 'cancelled', errorNodeId: 'n9',
    });
    // Which of them storage leaves to their columns is storage's (test/storage/span-model.test.ts).
    expect(attributesOf(row)).toEqual({
      'flow.execution.kind': 'flow', 'flow.id': 'f1', 'flow.name': 'checkout', 'flow.version': 3, 'flow.trigger.type': 'http',
      'enduser.id': 'u7', 'flow.node.id': 'n1', 'flow.node.name': 'charge', 'flow.node.type': 'http', 'flow.node.index': 4,
      'flow.execution.status': 'cancelled', 'flow.error.node_id': 'n9',
    });
  });

  it('takes the first scalar value of each flow key, as text', () => {
    const row = oneSpan({
      attributes: [
        strAttr('flow.node.status', 'skipped'), strAttr('flow.execution.status', 'error'), // the field holds the first
        attr('flow.node.id', { boolValue: true }), attr('flow.node.index', { doubleValue: 2.5 }), strAttr('other', 'x'),
      ],
    });
    expect(row).toMatchObject({ flowStatus: 'skipped', nodeId: 'true', nodeIndex: null });
  });

  it('rejects a span whose flow.node.index does not fit 32 bits, and keeps the others', () => {
    const { proto, json } = convertTracesBothWays(makeTraceRequest([
      makeOtlpSpan({ attributes: [attr('flow.node.index', { intValue: '2147483648' })] }),
      makeOtlpSpan({ spanId: 'aaaaaaaaaaaaaaaa', attributes: [attr('flow.node.index', { intValue: '2147483647' })] }),
    ]));
    expect(json).toEqual(proto);
    expect(proto.rejectedSpans).toBe(1);
    expect(proto.errors[0]).toMatch(/spans\[0\]: flow\.node\.index 2147483648 is out of range/);
    expect(proto.batch.spans.map((s) => s.nodeIndex)).toEqual([2147483647]);
  });

  it('reads the node status into the same column as the execution status', () => {
    expect(oneSpan({ attributes: [strAttr('flow.node.status', 'skipped')] }).flowStatus).toBe('skipped');
  });

  it('groups spans of several resources and scopes, each with its own service and scope', () => {
    const request = {
      resourceSpans: [
        { resource: { attributes: [strAttr('service.name', 'a')] }, scopeSpans: [{ scope: { name: 's1' }, spans: [makeOtlpSpan()] }, { scope: { name: 's2' }, spans: [makeOtlpSpan({ spanId: 'aaaaaaaaaaaaaaaa' })] }] },
        { resource: { attributes: [strAttr('service.name', 'b')] }, scopeSpans: [{ spans: [makeOtlpSpan({ spanId: 'bbbbbbbbbbbbbbbb' })] }] },
      ],
    };
    const { proto, json } = convertTracesBothWays(request);
    expect(json).toEqual(proto);
    expect(proto.batch.spans.map((s) => [s.serviceName, s.scopeName, s.spanId])).toEqual([
      ['a', 's1', SPAN_ID], ['a', 's2', 'aaaaaaaaaaaaaaaa'], ['b', null, 'bbbbbbbbbbbbbbbb'],
    ]);
  });
});
