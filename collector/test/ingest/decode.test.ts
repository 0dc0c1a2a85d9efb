import { describe, expect, it } from 'vitest';
import {
  decodeLogsRequestJson, decodeTraceRequestJson, decodeTraceRequestProtobuf, convertTraceRequest, ingestTraces,
} from '../../src/ingest/index.js';
import { FlowtraceError } from '../../src/errors.js';
import { attr, encodeJson, encodeTraceProtobuf, makeOtlpSpan, makeTraceRequest, strAttr } from '../fixtures/otlp.js';

const text = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

function expectUndecodable(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FlowtraceError);
    expect(err).toMatchObject({ code: 'FT_OTLP_UNDECODABLE', statusCode: 400 });
    expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected an undecodable error');
}

describe('OTLP/JSON decoding', () => {
  it('decodes the shape of the official example: upper-case hex ids, 64-bit numbers as text, parent not in the request', () => {
    const request = {
      resourceSpans: [{
        resource: { attributes: [strAttr('service.name', 'my.service')] },
        scopeSpans: [{
          scope: { name: 'my.library', version: '1.0.0', attributes: [strAttr('my.scope.attribute', 'some scope attribute')] },
          spans: [{
            traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174', parentSpanId: 'EEE19B7EC3C1B173',
            name: 'I\'m a server span', startTimeUnixNano: '1544712660000000000', endTimeUnixNano: '1544712661000000000', kind: 2,
            attributes: [strAttr('my.span.attr', 'some value')],
          }],
        }],
      }],
    };
    const result = ingestTraces(text(request), 'json');
    expect(result.batch.spans[0]).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', parentSpanId: 'eee19b7ec3c1b173',
      startTimeUnixNano: 1544712660000000000n, kind: 2, serviceName: 'my.service', scopeName: 'my.library',
    });
  });

  it('accepts enum names, 64-bit numbers as JSON numbers, snake_case field names and ignores unknown fields', () => {
    const request = {
      resource_spans: [{
        scope_spans: [{
          spans: [{
            trace_id: '5b8efff798038103d269b633813fc60c', span_id: 'eee19b7ec3c1b174', kind: 'SPAN_KIND_CLIENT',
            start_time_unix_nano: 1000, end_time_unix_nano: '2000', status: { code: 'STATUS_CODE_ERROR' }, shiny: 'new field',
            attributes: [{ key: 'n', value: { int_value: 5 } }, { key: 'd', value: { double_value: '2.5' } }],
          }],
        }],
        future: { x: 1 },
      }],
    };
    const [row] = convertTraceRequest(decodeTraceRequestJson(text(request))).batch.spans;
    expect(row).toMatchObject({ kind: 3, statusCode: 2, startTimeUnixNano: 1000n, endTimeUnixNano: 2000n, attributes: ['n', '5', 'd', '2.5'] });
  });

  it('accepts severity names in log records', () => {
    const req = decodeLogsRequestJson(text({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber: 'SEVERITY_NUMBER_WARN2' }] }] }] }));
    expect(req.resourceLogs?.[0].scopeLogs?.[0].logRecords?.[0].severityNumber).toBe(14);
  });

  it('accepts an empty request', () => {
    expect(ingestTraces(text({}), 'json').batch.spans).toEqual([]);
  });

  it('rejects a body that is not JSON with a clear message', () => {
    expectUndecodable(() => decodeTraceRequestJson(text('{"resourceSpans": [')), /not OTLP\/JSON ExportTraceServiceRequest/);
  });

  it('rejects invalid UTF-8 in a JSON body', () => {
    expectUndecodable(() => decodeTraceRequestJson(Uint8Array.from([0x7b, 0xff, 0x7d])), /not OTLP\/JSON/);
  });

  it('rejects a JSON body that is not an object', () => {
    expectUndecodable(() => decodeTraceRequestJson(text('[1,2]')), /must be a JSON object/);
  });

  it('names the field that has the wrong JSON type', () => {
    const request = makeTraceRequest([makeOtlpSpan({ startTimeUnixNano: 'yesterday' })]);
    expectUndecodable(() => decodeTraceRequestJson(encodeJson(request)), /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.startTimeUnixNano/);
    expectUndecodable(() => decodeTraceRequestJson(text({ resourceSpans: {} })), /body\.resourceSpans must be an array/);
    expectUndecodable(() => decodeTraceRequestJson(text(makeTraceRequest([makeOtlpSpan({ kind: 'SPAN_KIND_NOPE' })]))), /kind must be an enum/);
  });

  it('rejects attribute values of the wrong type when decoding', () => {
    const request = makeTraceRequest([makeOtlpSpan({ attributes: [attr('n', { intValue: 'twelve' })] })]);
    expectUndecodable(() => decodeTraceRequestJson(encodeJson(request)), /attribute "n": intValue/);
    const nested = makeTraceRequest([makeOtlpSpan({ attributes: [attr('a', { arrayValue: { values: [{ kvlistValue: { values: [attr('b', { boolValue: 'yes' })] } }] } })] })]);
    expectUndecodable(() => decodeTraceRequestJson(encodeJson(nested)), /attribute "a": boolValue must be true or false/);
  });

  it('gives attribute values the one decoded shape the protobuf decoder gives: camelCase, doubles as numbers, bytes as bytes', () => {
    const attributes = [
      { key: 's', value: { string_value: 'x' } }, { key: 'nan', value: { doubleValue: 'NaN' } }, { key: 'd', value: { double_value: '2.5' } },
      { key: 'b', value: { bytes_value: 'AQL/' } }, { key: 'i', value: { int_value: '-7' } },
      { key: 'kv', value: { kvlist_value: { values: [{ key: 'in', value: { bool_value: true } }] } } },
    ];
    const decoded = decodeTraceRequestJson(text(makeTraceRequest([makeOtlpSpan({ attributes })])));
    const values = decoded.resourceSpans![0].scopeSpans![0].spans![0].attributes!.map((kv) => kv.value);
    expect(values).toEqual([
      { stringValue: 'x' }, { doubleValue: NaN }, { doubleValue: 2.5 }, { bytesValue: Buffer.from([1, 2, 255]) }, { intValue: '-7' },
      { kvlistValue: { values: [{ key: 'in', value: { boolValue: true } }] } },
    ]);
  });
});

describe('OTLP protobuf decoding', () => {
  it('rejects a truncated protobuf body with a clear message', () => {
    const body = encodeTraceProtobuf(makeTraceRequest([makeOtlpSpan()]));
    expectUndecodable(() => decodeTraceRequestProtobuf(body.subarray(0, body.length - 5)), /not a protobuf ExportTraceServiceRequest/);
  });

  it('rejects a body with an invalid wire type', () => {
    expectUndecodable(() => decodeTraceRequestProtobuf(Uint8Array.from([0x0f, 0x01])), /protobuf/);
  });

  it('throws the coded error from ingestTraces for undecodable bodies', () => {
    expectUndecodable(() => ingestTraces(Uint8Array.from([0x0a, 0x05, 0x01]), 'protobuf'), /protobuf/);
  });
});
