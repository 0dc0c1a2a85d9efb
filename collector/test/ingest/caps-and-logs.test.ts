import { describe, expect, it } from 'vitest';
import { DEFAULT_INGEST_CAPS } from '../../src/ingest/index.js';
import { BODY_TYPE, severityOf, severityTextOf } from '../../src/storage/index.js';
import {
  attr, convertLogsBothWays, convertTracesBothWays, makeLogRecord, makeLogsRequest, makeOtlpSpan, makeStartMark,
  makeTraceRequest, PARENT_ID, SPAN_ID, spanAttributes, START, strAttr, TRACE_ID,
} from '../fixtures/otlp.js';

function capped(overrides: Record<string, unknown>, caps: Record<string, number>) {
  const { proto, json } = convertTracesBothWays(makeTraceRequest([makeOtlpSpan(overrides)]), caps);
  expect(json).toEqual(proto);
  return proto.batch.spans[0];
}

describe('ingest caps', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_INGEST_CAPS).toEqual({ maxValueBytes: 65536, maxAttributes: 1000, maxDepth: 16, maxValueItems: 1000, maxEvents: 1000, maxLinks: 1000 });
  });

  it('cuts a long string value on a character boundary and marks the span truncated', () => {
    const row = capped({ attributes: [strAttr('long', 'é'.repeat(10))] }, { maxValueBytes: 5 });
    expect(spanAttributes(row)).toEqual({ long: 'éé…[truncated]', 'flowtrace.truncated': true });
  });

  it('drops attributes past the cap and counts them', () => {
    const attributes = Array.from({ length: 5 }, (_, i) => strAttr(`k${i}`, 'v'));
    const row = capped({ attributes, droppedAttributesCount: 1 }, { maxAttributes: 3 });
    expect(spanAttributes(row)).toEqual({ k0: 'v', k1: 'v', k2: 'v', 'flowtrace.truncated': true });
    expect(row.droppedAttributesCount).toBe(3);
  });

  it('replaces values nested deeper than the cap with the truncation marker', () => {
    let value: Record<string, unknown> = { stringValue: 'deep' };
    for (let i = 0; i < 5; i++) value = { arrayValue: { values: [value] } };
    const row = capped({ attributes: [attr('nest', value)] }, { maxDepth: 3 });
    expect(spanAttributes(row)).toEqual({ nest: [[['…[truncated]']]], 'flowtrace.truncated': true });
  });

  it('drops events and links past the cap and counts them', () => {
    const events = Array.from({ length: 4 }, (_, i) => ({ name: `e${i}`, timeUnixNano: START }));
    const links = Array.from({ length: 3 }, () => ({ traceId: TRACE_ID, spanId: PARENT_ID }));
    const row = capped({ events, links, droppedEventsCount: 1 }, { maxEvents: 2, maxLinks: 1 });
    expect(JSON.parse(row.events).map((e: { name: string }) => e.name)).toEqual(['e0', 'e1']);
    expect(JSON.parse(row.links)).toHaveLength(1);
    expect(row).toMatchObject({ droppedEventsCount: 3, droppedLinksCount: 2 });
    expect(spanAttributes(row)['flowtrace.truncated']).toBe(true);
  });

  it('caps items of array values', () => {
    const values = Array.from({ length: 10 }, (_, i) => ({ intValue: String(i) }));
    const row = capped({ attributes: [attr('a', { arrayValue: { values } })] }, { maxValueItems: 4 });
    expect(spanAttributes(row).a).toEqual([0, 1, 2, 3]);
  });
});

describe('OTLP log records → rows', () => {
  it('stores a console line with its span ids, severity and body', () => {
    const { proto, json } = convertLogsBothWays(makeLogsRequest([makeLogRecord({ attributes: [strAttr('log.iostream', 'stdout')], flags: 1 })]));
    expect(json).toEqual(proto);
    expect(proto.batch.logs).toEqual([{
      traceId: TRACE_ID, spanId: SPAN_ID, timeUnixNano: BigInt(START), observedTimeUnixNano: BigInt(START),
      severityNumber: 9, severityText: 'INFO', body: 'hello from the node', bodyType: BODY_TYPE.string, attributes: '{"log.iostream":"stdout"}',
      resourceAttributes: '{"service.name":"my.service"}', serviceName: 'my.service', scopeName: 'my.library', scopeVersion: '1.0.0',
      eventName: null, flags: 1, droppedAttributesCount: 0,
      resourceSchemaUrl: null, resourceDroppedAttributesCount: 0, scopeAttributes: null, scopeDroppedAttributesCount: 0,
      scopeSchemaUrl: null, valueTypes: null,
    }]);
  });

  it('writes non-string bodies as JSON, and keeps the severity text as sent for readers to name the number', () => {
    const record = makeLogRecord({ severityText: '', severityNumber: 18, body: { kvlistValue: { values: [attr('n', { intValue: '1' })] } } });
    const { proto } = convertLogsBothWays(makeLogsRequest([record]));
    expect(proto.batch.logs[0]).toMatchObject({ body: '{"n":1}', bodyType: BODY_TYPE.anyValue, severityText: null });
    expect(severityOf(proto.batch.logs[0])).toBe('ERROR2');
    expect([severityTextOf(1), severityTextOf(13), severityTextOf(24), severityTextOf(0)]).toEqual(['TRACE', 'WARN', 'FATAL4', null]);
  });

  it('stores a record without trace context with empty ids', () => {
    const { proto } = convertLogsBothWays(makeLogsRequest([makeLogRecord({ traceId: undefined, spanId: undefined })]));
    expect(proto.batch.logs[0]).toMatchObject({ traceId: '', spanId: '' });
  });

  it('rejects a record with a trace id of the wrong length', () => {
    const { proto } = convertLogsBothWays(makeLogsRequest([makeLogRecord({ traceId: 'abcd' })]));
    expect(proto).toMatchObject({ rejectedLogRecords: 1, errors: ['resourceLogs[0].scopeLogs[0].logRecords[0]: traceId must be 16 bytes, got 2'] });
  });

  it('turns a start mark into a running span with the mark attributes removed and flow fields copied', () => {
    const mark = makeStartMark('charge card', {}, [strAttr('flow.node.name', 'charge'), strAttr('flow.name', 'checkout')]);
    const { proto, json } = convertLogsBothWays(makeLogsRequest([mark]));
    expect(json).toEqual(proto);
    expect(proto.batch.logs).toEqual([]);
    expect(proto.batch.starts).toHaveLength(1);
    expect(proto.batch.starts[0]).toMatchObject({
      traceId: TRACE_ID, spanId: SPAN_ID, parentSpanId: PARENT_ID, name: 'charge card', kind: 1,
      startTimeUnixNano: BigInt(START), endTimeUnixNano: null, serviceName: 'my.service', nodeName: 'charge',
      flowName: 'checkout', attributes: ['flow.node.name', '"charge"', 'flow.name', '"checkout"'], statusCode: 0, events: '[]', links: '[]',
    });
  });

  it('starts a root span when the mark has no parent and takes the observed time when the time is 0', () => {
    const mark = makeStartMark('root', { timeUnixNano: '0', observedTimeUnixNano: '1544712660000000007' });
    mark.attributes = (mark.attributes as { key: string }[]).filter((a) => a.key !== 'flowtrace.span.parent_id');
    const { proto } = convertLogsBothWays(makeLogsRequest([mark]));
    expect(proto.batch.starts[0]).toMatchObject({ parentSpanId: null, startTimeUnixNano: 1544712660000000007n });
  });

  it('rejects a start mark without a span id', () => {
    const { proto } = convertLogsBothWays(makeLogsRequest([makeStartMark('x', { spanId: '' })]));
    expect(proto).toMatchObject({ rejectedLogRecords: 1, errors: ['resourceLogs[0].scopeLogs[0].logRecords[0]: start mark: spanId is missing'] });
  });

  it('stores a record with another mark value as an ordinary log line', () => {
    const record = makeLogRecord({ attributes: [strAttr('flowtrace.mark', 'something.else')] });
    const { proto } = convertLogsBothWays(makeLogsRequest([record]));
    expect(proto.batch.logs).toHaveLength(1);
    expect(proto.batch.starts).toHaveLength(0);
  });
});
