import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowtraceError } from '../../src/errors.js';
import { ingestLogs, ingestTraces } from '../../src/ingest/index.js';
import {
  attr, encodeJson, encodeLogsProtobuf, encodeTraceProtobuf, makeLogRecord, makeLogsRequest, makeOtlpSpan, makeStartMark,
  makeTraceRequest, spanAttributes, strAttr,
} from '../fixtures/otlp.js';

const traceRequest = makeTraceRequest([
  makeOtlpSpan({
    attributes: [strAttr('s', 'v'), attr('i', { intValue: '9007199254740993' }), attr('a', { arrayValue: { values: [{ doubleValue: 1.5 }, { kvlistValue: { values: [attr('b', { bytesValue: Uint8Array.from([1, 2]) })] } }] } })],
    events: [{ name: 'exception', timeUnixNano: '1544712660500000000', attributes: [strAttr('exception.message', 'boom')] }],
    links: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b173' }],
    status: { code: 2, message: 'bad' },
  }),
  makeOtlpSpan({ spanId: 'aaaaaaaaaaaaaaaa', parentSpanId: '' }),
]);
const logsRequest = makeLogsRequest([makeLogRecord(), makeStartMark('n')]);
const seeds = [
  ['traces', 'protobuf', encodeTraceProtobuf(traceRequest)],
  ['traces', 'json', encodeJson(traceRequest)],
  ['logs', 'protobuf', encodeLogsProtobuf(logsRequest)],
  ['logs', 'json', encodeJson(logsRequest)],
] as const;

/** Runs ingest; returns normally or with the coded 400 error, anything else fails the property. */
function ingestOrCoded400(kind: 'traces' | 'logs', format: 'protobuf' | 'json', body: Uint8Array): void {
  try {
    (kind === 'traces' ? ingestTraces : ingestLogs)(body, format);
  } catch (err) {
    if (!(err instanceof FlowtraceError) || err.statusCode !== 400) throw err;
  }
}

const mutation = fc.record({
  seed: fc.integer({ min: 0, max: seeds.length - 1 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 8 }),
  splice: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 16 })), { nil: undefined }),
});

describe('decoding hostile bodies', () => {
  it('either accepts or answers with the coded 400 error for truncated, bit-flipped and spliced bodies', () => {
    fc.assert(fc.property(mutation, ({ seed, cut, flips, splice }) => {
      const [kind, format, original] = seeds[seed];
      let body = Uint8Array.from(original);
      for (const [at, bit] of flips) body[at % body.length] ^= 1 << bit;
      if (splice !== undefined) {
        const at = splice[0] % body.length;
        body = Uint8Array.from([...body.subarray(0, at), ...splice[1], ...body.subarray(at)]);
      }
      if (cut !== undefined) body = body.subarray(0, cut % (body.length + 1));
      ingestOrCoded400(kind, format, body);
    }), { numRuns: 3000 });
  });

  it('either accepts or answers with the coded 400 error for JSON values of any type in any field', () => {
    const paths = ['resourceSpans', 'resourceSpans.0.scopeSpans', 'resourceSpans.0.scopeSpans.0.spans.0',
      'resourceSpans.0.scopeSpans.0.spans.0.attributes', 'resourceSpans.0.scopeSpans.0.spans.0.attributes.0.value',
      'resourceSpans.0.scopeSpans.0.spans.0.attributes.2.value.arrayValue', 'resourceSpans.0.scopeSpans.0.spans.0.events.0',
      'resourceSpans.0.scopeSpans.0.spans.0.traceId', 'resourceSpans.0.scopeSpans.0.spans.0.startTimeUnixNano',
      'resourceSpans.0.scopeSpans.0.spans.0.status', 'resourceSpans.0.resource.attributes.0'];
    fc.assert(fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
      const doc = JSON.parse(new TextDecoder().decode(encodeJson(traceRequest)));
      const keys = path.split('.');
      let at = doc;
      for (const k of keys.slice(0, -1)) at = at[k];
      at[keys[keys.length - 1]] = value;
      ingestOrCoded400('traces', 'json', new TextEncoder().encode(JSON.stringify(doc)));
    }), { numRuns: 2000 });
  });

  it('cuts protobuf values nested deeper than the cap', () => {
    let value: Record<string, unknown> = { stringValue: 'x' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const body = encodeTraceProtobuf(makeTraceRequest([makeOtlpSpan({ attributes: [attr('deep', value)] })]));
    const result = ingestTraces(body, 'protobuf');
    expect(spanAttributes(result.batch.spans[0])['flowtrace.truncated']).toBe(true);
  });

  it('answers a protobuf body nested too deep for the stack with the coded 400 error', () => {
    // 300k levels of AnyValue.array_value (field 5) → ArrayValue.values (field 1), built inside out.
    const levels = 300_000;
    const varint = (n: number): number[] => { const out = []; while (n > 127) { out.push((n & 127) | 128); n >>>= 7; } out.push(n); return out; };
    const sizes = new Array<number>(levels * 2 + 1);
    sizes[0] = 0; // innermost empty AnyValue
    for (let i = 1; i <= levels * 2; i++) sizes[i] = 1 + varint(sizes[i - 1]).length + sizes[i - 1];
    const bytes: number[] = [];
    for (let i = levels * 2; i >= 1; i--) bytes.push(i % 2 === 0 ? 0x2a : 0x0a, ...varint(sizes[i - 1]));
    // Wrap: request.resource_spans(1) → scope_spans(2) → spans(2) → attributes(9) → value(2).
    let body = Uint8Array.from([0x12, ...varint(bytes.length), ...bytes]);
    for (const tag of [0x4a, 0x12, 0x12, 0x0a]) body = Uint8Array.from([tag, ...varint(body.length), ...body]);
    try {
      ingestTraces(body, 'protobuf');
    } catch (err) {
      expect(err).toBeInstanceOf(FlowtraceError);
    }
  });

  it('answers a deeply nested JSON body without overflowing the stack', () => {
    const body = new TextEncoder().encode('{"resourceSpans":' + '['.repeat(200000) + ']'.repeat(200000) + '}');
    expect(() => ingestTraces(body, 'json')).toThrow(FlowtraceError);
  });
});
