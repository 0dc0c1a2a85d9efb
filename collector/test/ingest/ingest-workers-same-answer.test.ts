/**
 * A body decoded by an ingest worker gives exactly what the inline path gives: the same logical
 * spans, running spans, log lines and metric points field for field (after crossing threads as
 * columns), the same rejections and partial success, the same coded errors with the same messages.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FlowtraceError } from '../../src/errors.js';
import { fromWire, toWire } from '../../src/ingest/workers/batch-wire.js';
import { IngestPool } from '../../src/ingest/workers/ingest-pool.js';
import { runJob, type IngestJob } from '../../src/ingest/workers/jobs.js';
import {
  attr, encodeJson, encodeLogsProtobuf, encodeTraceProtobuf, makeLogRecord, makeLogsRequest, makeOtlpSpan, makeStartMark,
  makeTraceRequest, strAttr,
} from '../fixtures/otlp.js';
import { everyFieldLogsRequest, everyFieldTraceRequest } from '../fixtures/otlp-every-field.js';
import { encodeMetricsProtobuf, makeExponentialHistogram, makeGauge, makeHistogram, makeMetricsRequest, makePoint, makeSum, makeSummary } from '../fixtures/otlp-metrics.js';

const pool = new IngestPool({ workers: 2, caps: { maxValueBytes: 300 } });
afterAll(() => pool.close());

/** What a job gives inline: its result, or its error's class, code, status and message. */
async function outcome(run: () => ConvertOrError): Promise<unknown> {
  try {
    return { result: await run() };
  } catch (error) {
    const e = error as FlowtraceError;
    return { error: { isCoded: e instanceof FlowtraceError, code: e.code, statusCode: e.statusCode, message: e.message } };
  }
}
type ConvertOrError = ReturnType<typeof runJob> | Promise<ReturnType<typeof runJob>>;

function both(job: IngestJob): Promise<[unknown, unknown]> {
  return Promise.all([outcome(() => runJob(job, { maxValueBytes: 300 })), outcome(() => pool.run(job))]);
}

const traces = (request: Record<string, unknown>): IngestJob[] => [
  { kind: 'otlp', signal: 'traces', format: 'protobuf', body: encodeTraceProtobuf(request) },
  { kind: 'otlp', signal: 'traces', format: 'json', body: encodeJson(request) },
];

describe('ingest workers give the answers of the inline path', () => {
  it('converts every field of spans, start marks, log lines and metric points the same', async () => {
    const metrics = makeMetricsRequest([
      makeGauge('g', [makePoint({ asDouble: Number.NaN }), makePoint({ asInt: '-9223372036854775808' })]),
      makeSum('s', [makePoint({ asInt: '9223372036854775807' })]),
      makeHistogram('h', [makePoint({ count: '18446744073709551615', sum: 1.5, bucketCounts: ['1'], explicitBounds: [] })]),
      makeExponentialHistogram('e', [makePoint({ count: '3', scale: 1, positive: { offset: 0, bucketCounts: ['3'] } })]),
      makeSummary('q', [makePoint({ count: '2', sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] })]),
    ]);
    const logs = everyFieldLogsRequest();
    const jobs: IngestJob[] = [
      ...traces(everyFieldTraceRequest()),
      { kind: 'otlp', signal: 'logs', format: 'protobuf', body: encodeLogsProtobuf(logs) },
      { kind: 'otlp', signal: 'logs', format: 'json', body: encodeJson(logs) },
      { kind: 'otlp', signal: 'metrics', format: 'protobuf', body: encodeMetricsProtobuf(metrics) },
      { kind: 'otlp', signal: 'metrics', format: 'json', body: encodeJson(metrics) },
    ];
    for (const job of jobs) {
      const [inline, worker] = await both(job);
      expect(inline).toHaveProperty('result');
      expect(worker).toStrictEqual(inline);
    }
  });

  it('keeps partial success: the same rejected counts and reasons', async () => {
    const request = makeTraceRequest([makeOtlpSpan(), makeOtlpSpan({ spanId: 'abcd' }), makeOtlpSpan({ spanId: '0'.repeat(16) })]);
    const logs = makeLogsRequest([makeLogRecord(), makeStartMark('n', { spanId: 'ab' }), makeLogRecord({ severityNumber: 99 })]);
    for (const job of [...traces(request), { kind: 'otlp', signal: 'logs', format: 'protobuf', body: encodeLogsProtobuf(logs) } as IngestJob]) {
      const [inline, worker] = await both(job);
      expect((inline as { result: { errors: string[] } }).result.errors.length).toBeGreaterThan(0);
      expect(worker).toStrictEqual(inline);
    }
  });

  it('throws the same coded errors with the same messages', async () => {
    const allBad = makeTraceRequest([makeOtlpSpan({ traceId: 'ab' })]);
    const bodies: IngestJob[] = [
      ...traces(allBad),
      { kind: 'otlp', signal: 'traces', format: 'protobuf', body: Uint8Array.from([0x0a, 0xff, 0xff]) },
      { kind: 'otlp', signal: 'traces', format: 'json', body: new TextEncoder().encode('{"resourceSpans": 5}') },
      { kind: 'otlp', signal: 'logs', format: 'json', body: new TextEncoder().encode('not json') },
      { kind: 'zipkin', body: new TextEncoder().encode('[{"traceId":"x"}]') },
      { kind: 'zipkin', body: new TextEncoder().encode('{') },
    ];
    for (const job of bodies) {
      const [inline, worker] = await both(job);
      expect(inline).toHaveProperty('error.isCoded', true);
      expect(worker).toStrictEqual(inline);
    }
  });

  it('decodes invalid UTF-8 and long, capped and unusual values the same', async () => {
    const request = makeTraceRequest([makeOtlpSpan({
      name: 'x'.repeat(400),
      attributes: [strAttr('long', 'é'.repeat(500)), strAttr('lone', '\ud83d'), attr('deep', { arrayValue: { values: [{ doubleValue: Number.POSITIVE_INFINITY }] } })],
    })]);
    const [protobuf] = traces(request);
    // A string field whose bytes are not UTF-8: 0xff inside the span name.
    const bytes = Buffer.from(protobuf.body);
    const at = bytes.indexOf(Buffer.from('xxxx'));
    bytes[at] = 0xff;
    for (const job of [...traces(request), { ...protobuf, body: bytes }]) {
      const [inline, worker] = await both(job);
      expect(inline).toHaveProperty('result');
      expect(worker).toStrictEqual(inline);
    }
  });
});

describe('the batch on the wire', () => {
  it('gives back every field of every row, nulls and empty lists included', () => {
    const result = runJob(traces(everyFieldTraceRequest())[0], undefined);
    const logs = runJob({ kind: 'otlp', signal: 'logs', format: 'protobuf', body: encodeLogsProtobuf(everyFieldLogsRequest()) }, undefined);
    const both = { ...result, batch: { ...result.batch, starts: logs.batch.starts, logs: logs.batch.logs } };
    expect(both.batch.spans.length).toBeGreaterThan(0);
    expect(both.batch.logs.length).toBeGreaterThan(0);
    const { wire } = toWire(both);
    expect(wire).toHaveProperty('columns');
    expect(fromWire(structuredClone(wire))).toStrictEqual(both);
  });

  it('sends rows it cannot pack (a bigint past 64 bits) as they are', () => {
    const result = runJob(traces(makeTraceRequest([makeOtlpSpan()]))[0], undefined);
    result.batch.spans[0].startTimeUnixNano = 2n ** 64n;
    const { wire } = toWire(result);
    expect(wire).toHaveProperty('clone');
    expect(fromWire(structuredClone(wire))).toStrictEqual(result);
  });
});
