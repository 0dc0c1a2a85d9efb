/**
 * The fuzz run over HTTP: thousands of hostile OTLP bodies against a collector process. It
 * never crashes or hangs, answers 4xx with a message (never 5xx), keeps answering valid
 * requests, and stores nothing of a body it refused. Monsters (a million attributes, huge
 * strings, deep nesting, gzip bombs, ids of wrong length, absurd times) come after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';
import { fuzzRequest, gzipBomb, manyAttributesBody, nestedValue, prng } from '../fixtures/fuzz-bodies.js';
import { attr, encodeJson, encodeTraceProtobuf, makeOtlpSpan, makeTraceRequest, START, strAttr } from '../fixtures/otlp.js';
import { limitMs, size } from '../fixtures/stress.js';
import { runSql } from '../fixtures/stored.js';
import { executionBody, postOtlp, type PostResult } from '../fixtures/traffic.js';
import { randomBytes } from 'node:crypto';

const BODIES = size(5_000, 100_000);
const PARALLEL = 16;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };
let cli: CliProcess;

beforeAll(async () => {
  cli = await startCli(['--port', '0', '--host', '127.0.0.1', '--db', ':memory:', '--sql-max-rows', '1000000']);
});
afterAll(async () => {
  await cli?.stop();
});

/** A 4xx answer carries a message: a JSON error body, or a protobuf google.rpc.Status. */
function hasMessage(r: PostResult): boolean {
  if (r.text.startsWith('{')) return typeof (JSON.parse(r.text) as { message?: unknown }).message === 'string';
  return r.text.length > 4;
}

async function expectValidStillAccepted(): Promise<void> {
  const { body } = executionBody('fuzz-canary', 2);
  expect((await postOtlp(cli.url, body)).status).toBe(200);
}

describe(`${BODIES} hostile bodies over HTTP (seed ${SEED})`, () => {
  it('answers each with 200 or a 4xx with a message, keeps taking valid requests, and stores nothing it refused', async () => {
    const rand = prng(SEED);
    const refused: string[] = [];
    const counts = new Map<number, number>();
    let next = 0;
    const failures: string[] = [];
    await Promise.all(Array.from({ length: PARALLEL }, async () => {
      while (next < BODIES) {
        const request = fuzzRequest(rand, next++);
        const r = await postOtlp(cli.url, request.body, request.headers, request.signal, 30_000);
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
        if (r.status === 200) continue;
        if (r.status >= 400 && r.status < 500 && hasMessage(r)) refused.push(request.traceId);
        else failures.push(`${request.what}: ${r.status} ${r.text.slice(0, 200)}`);
        if (next % 1000 === 0) await expectValidStillAccepted();
      }
    }));
    console.log(`fuzz: seed ${SEED}, ${BODIES} bodies, answers ${JSON.stringify(Object.fromEntries(counts))}`);
    expect(failures.slice(0, 10)).toEqual([]);
    await expectValidStillAccepted();
    for (let i = 0; i < refused.length; i += 500) {
      const ids = refused.slice(i, i + 500).map((id) => `'${id}'`).join(',');
      const [row] = await runSql<{ n: number }>(cli.url, `SELECT (SELECT count(*) FROM spans WHERE trace_id IN (${ids})) + (SELECT count(*) FROM logs WHERE trace_id IN (${ids})) AS n`);
      expect(Number(row.n)).toBe(0);
    }
  }, limitMs(120_000, 1_800_000));

  it('refuses a gzip bomb with 413 after decompressing no more than the cap', async () => {
    const bomb = gzipBomb(size(256, 2048));
    const r = await postOtlp(cli.url, bomb, { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(r.status).toBe(413);
    expect(hasMessage(r)).toBe(true);
    await expectValidStillAccepted();
  });

  it('caps a span of a million attributes and records the cut on the span', async () => {
    const traceId = randomBytes(16).toString('hex');
    const r = await postOtlp(cli.url, manyAttributesBody(traceId, 1_000_000), PROTOBUF);
    expect(r.status).toBe(200);
    const [row] = await runSql<{ n: number; cut: string; dropped: number }>(cli.url,
      `SELECT json_array_length(json_keys(attributes))::INTEGER AS n, attributes->>'$."flowtrace.truncated"' AS cut FROM spans WHERE trace_id = '${traceId}'`);
    expect(Number(row.n)).toBeLessThanOrEqual(1001);
    expect(row.cut).toBe('true');
  });

  it('cuts huge strings in every text of a span (name, keys, values, status, events, service) and records the cut', async () => {
    const traceId = randomBytes(16).toString('hex');
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const span = makeOtlpSpan({
      traceId, name: huge, status: { code: 2, message: huge },
      attributes: [strAttr('big', huge), strAttr(huge, 'key too long'), strAttr('flow.name', huge), attr('deep', nestedValue(40))],
      events: [{ name: huge, timeUnixNano: START, attributes: [strAttr('exception.message', huge)] }],
    });
    const request = makeTraceRequest([span], { resourceAttributes: [strAttr('service.name', huge)] });
    for (const [body, type] of [[encodeTraceProtobuf(request), PROTOBUF], [encodeJson(request), JSON_TYPE]] as const) {
      expect((await postOtlp(cli.url, body, type)).status).toBe(200);
    }
    const [row] = await runSql<Record<string, number | string>>(cli.url, `SELECT max(length(name))::INTEGER AS name,
      max(length(status_message))::INTEGER AS status, max(length(exception_message))::INTEGER AS exception,
      max(length(service_name))::INTEGER AS service, max(length(flow_name))::INTEGER AS flow,
      max(length(events::VARCHAR))::INTEGER AS events, max(length(attributes::VARCHAR))::INTEGER AS attributes,
      any_value(attributes->>'$."flowtrace.truncated"') AS cut FROM spans WHERE trace_id = '${traceId}'`);
    const capWithMarker = 64 * 1024 + 16; // a cut text ends with the truncation marker
    for (const column of ['name', 'status', 'exception', 'service', 'flow']) expect(Number(row[column]), column).toBeLessThanOrEqual(capWithMarker);
    expect(Number(row.events)).toBeLessThanOrEqual(3 * capWithMarker);
    expect(Number(row.attributes)).toBeLessThanOrEqual(5 * capWithMarker);
    expect(row.cut).toBe('true');
  });

  it('survives nesting far deeper than any stack in both encodings', async () => {
    const deepJson = `{"resourceSpans":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const r1 = await postOtlp(cli.url, deepJson, JSON_TYPE);
    expect([200, 400]).toContain(r1.status);
    const r2 = await postOtlp(cli.url, deepProtobufSpan(100_000), PROTOBUF);
    expect(r2.status).toBe(400);
    await expectValidStillAccepted();
  });

  it('rejects ids of the wrong length and impossible times span by span, keeping the valid ones', async () => {
    const traceId = randomBytes(16).toString('hex');
    const bad = [
      makeOtlpSpan({ traceId, spanId: 'abcdef' }),
      makeOtlpSpan({ traceId, spanId: 'ab'.repeat(9) }),
      makeOtlpSpan({ traceId: traceId + 'ab', spanId: '1111111111111111' }),
      makeOtlpSpan({ traceId, spanId: '3333333333333333', startTimeUnixNano: '18446744073709551615', endTimeUnixNano: '18446744073709551615' }),
      makeOtlpSpan({ traceId, spanId: '4444444444444444', startTimeUnixNano: '1544712661000000000', endTimeUnixNano: '1544712660000000000' }),
      makeOtlpSpan({ traceId: '0'.repeat(32), spanId: '5555555555555555' }),
    ];
    const good = makeOtlpSpan({ traceId, spanId: '6666666666666666' });
    const r = await postOtlp(cli.url, encodeJson(makeTraceRequest([...bad, good])), JSON_TYPE);
    expect(r.status, r.text).toBe(200);
    const partial = JSON.parse(r.text) as { partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string } };
    expect(Number(partial.partialSuccess?.rejectedSpans)).toBe(bad.length);
    expect(partial.partialSuccess?.errorMessage).toBeTruthy();
    const rows = await runSql<{ span_id: string }>(cli.url, `SELECT span_id FROM spans WHERE trace_id LIKE '${traceId.slice(0, 8)}%' OR trace_id = '${'0'.repeat(32)}'`);
    expect(rows.map((x) => x.span_id)).toEqual(['6666666666666666']);
    const allBad = await postOtlp(cli.url, encodeTraceProtobuf(makeTraceRequest([bad[0], bad[3]])), PROTOBUF);
    expect(allBad.status).toBe(400);
    expect(hasMessage(allBad)).toBe(true);
  });

  it('refuses negative and non-numeric times in OTLP/JSON with a message naming the field', async () => {
    for (const time of ['-5', '1e30', 'yesterday', -1]) {
      const r = await postOtlp(cli.url, encodeJson(makeTraceRequest([makeOtlpSpan({ startTimeUnixNano: time })])), JSON_TYPE);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text).message).toContain('startTimeUnixNano');
    }
  });
});

/**
 * A protobuf trace request whose one span has an attribute nested `depth` arrays deep,
 * encoded by hand from the inside out (the generated encoder refuses such depth).
 */
function deepProtobufSpan(depth: number): Buffer {
  const chunks: Buffer[] = [Buffer.from([0x0a, 0x01, 0x78])]; // AnyValue{string_value:"x"}, innermost last
  let length = 3;
  const field = (tag: number, before: Buffer = Buffer.alloc(0)) => {
    const prefix = Buffer.concat([before, Buffer.from([tag]), varint(length)]);
    chunks.push(prefix);
    length += prefix.length;
  };
  for (let i = 0; i < depth; i++) {
    field(0x0a); // ArrayValue.values
    field(0x2a); // AnyValue.array_value
  }
  field(0x12, Buffer.from([0x0a, 0x01, 0x6b])); // KeyValue{key:"k", value}
  const span = Buffer.concat([Buffer.from([0x0a, 16]), randomBytes(16), Buffer.from([0x12, 8]), randomBytes(8), Buffer.from([0x2a, 1, 0x73])]);
  field(0x4a, span); // Span{trace_id, span_id, name, attributes}
  field(0x12); // ScopeSpans.spans
  field(0x12); // ResourceSpans.scope_spans
  field(0x0a); // ExportTraceServiceRequest.resource_spans
  return Buffer.concat(chunks.reverse());
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}
