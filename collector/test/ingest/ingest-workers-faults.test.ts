/**
 * The ingest worker pool's failure modes, through a real collector (and its gRPC receiver):
 * a worker that crashes or hangs fails only the request it held — 503 FT_INGEST_WORKER_FAILED
 * with Retry-After, gRPC UNAVAILABLE with a RetryInfo — and is replaced; a full queue answers
 * 429 FT_INGEST_BUSY with Retry-After; stopping waits for the bodies being decoded, answers and
 * stores them, then stops the workers, and a hung worker cannot hold the stop.
 *
 * The failures are made with the workers' test hooks (ingest-worker.ts): bodies starting with
 * `flowtrace-test-hook:crash`, `…:hang` or `…:slow:<ms>\n` followed by a real body.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { IngestPool } from '../../src/ingest/workers/ingest-pool.js';
import type { IngestJob } from '../../src/ingest/workers/jobs.js';
import type { RunningServer, ServerOptions } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { decodeStatusDetails, rawExport, Status } from '../fixtures/grpc-client.js';
import { encodeJson, encodeTraceProtobuf, makeOtlpSpan, makeTraceRequest } from '../fixtures/otlp.js';
import { runSql } from '../fixtures/stored.js';
import { postOtlp, type PostResult } from '../fixtures/traffic.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
/** Bodies whose error answer is read are sent as OTLP/JSON: their errors are JSON bodies. */
const JSON_TYPE = { 'content-type': 'application/json' };
const hook = (what: string, body: Uint8Array = new Uint8Array()): Uint8Array =>
  Buffer.concat([Buffer.from(`flowtrace-test-hook:${what}`), body]);

/** A one-span trace of its own, as a protobuf body. */
function span(): { traceId: string; body: Uint8Array } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, body: encodeTraceProtobuf(makeTraceRequest([makeOtlpSpan({ traceId })])) };
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(ingestWorkers: ServerOptions['ingestWorkers'], options: ServerOptions = {}): Promise<RunningServer> {
  server = await startTestCollector({
    ...options,
    // Every body goes to a worker, whatever its size; failures are not logged to the test's output.
    ingestWorkers: { inlineBelowBytes: 0, testHooks: true, onWorkerFailure: () => undefined, ...ingestWorkers },
  });
  return server;
}

async function storedTraces(base: string, traceIds: string[]): Promise<number> {
  const rows = await runSql<{ n: number }>(base, `SELECT count(*)::INTEGER AS n FROM spans WHERE trace_id IN (${traceIds.map((t) => `'${t}'`).join(',')})`);
  return Number(rows[0].n);
}

function expectRetryable(r: PostResult, code: string, status: number): void {
  expect(r.status, r.text).toBe(status);
  expect(JSON.parse(r.text)).toMatchObject({ code, statusCode: status });
  expect(Number(r.retryAfter)).toBeGreaterThan(0);
}

describe('ingest workers: a worker that fails', () => {
  it('that crashes fails only its request with 503 and Retry-After, and is replaced', async () => {
    const s = await start({ workers: 2 });
    const goods = Array.from({ length: 6 }, span);
    const [crashed, ...answers] = await Promise.all([
      postOtlp(s.url, hook('crash'), JSON_TYPE),
      ...goods.map((g) => postOtlp(s.url, g.body, PROTOBUF)),
    ]);
    expectRetryable(crashed, 'FT_INGEST_WORKER_FAILED', 503);
    expect(JSON.parse(crashed.text).message).toMatch(/the worker decoding this request stopped: it crashed: test hook/);
    expect(answers.map((a) => a.status)).toEqual(goods.map(() => 200));
    // Later requests are decoded by the replacement, on both workers.
    const later = Array.from({ length: 4 }, span);
    expect((await Promise.all(later.map((g) => postOtlp(s.url, g.body, PROTOBUF)))).map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(await storedTraces(s.url, [...goods, ...later].map((g) => g.traceId))).toBe(10);
    expect(s.ingestPoolStats).toMatchObject({ workers: 2, replaced: 1 });
    const health = await api(s.url, '/healthz');
    expect(health.status).toBe(200);
  });

  it('that hangs fails only its request once the job timeout passes, and the requests queued behind it are decoded by its replacement', async () => {
    const s = await start({ workers: 1, jobTimeoutMs: 500 });
    const hung = postOtlp(s.url, hook('hang'), JSON_TYPE);
    const goods = Array.from({ length: 3 }, span);
    const answers = await Promise.all(goods.map((g) => postOtlp(s.url, g.body, PROTOBUF)));
    expectRetryable(await hung, 'FT_INGEST_WORKER_FAILED', 503);
    expect(JSON.parse((await hung).text).message).toMatch(/did not answer in 0\.5 s/);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await storedTraces(s.url, goods.map((g) => g.traceId))).toBe(3);
  });

  it('over OTLP/gRPC answers UNAVAILABLE with a RetryInfo, and the next call is served', async () => {
    const s = await start({ workers: 1 }, { grpc: { port: 0 } });
    const crashed = await rawExport(`127.0.0.1:${s.grpcPort}`, 'traces', hook('crash'));
    expect(crashed.code).toBe(Status.UNAVAILABLE);
    expect(crashed.details).toMatch(/^FT_INGEST_WORKER_FAILED: /);
    const details = decodeStatusDetails(crashed.trailers.get('grpc-status-details-bin')[0] as Buffer);
    expect(details.details[0].retryDelaySeconds).toBeGreaterThan(0);
    const good = span();
    expect((await rawExport(`127.0.0.1:${s.grpcPort}`, 'traces', good.body)).code).toBe(Status.OK);
    expect(await storedTraces(s.url, [good.traceId])).toBe(1);
  });
});

describe('ingest workers: bounds and stopping', () => {
  it('answers 429 FT_INGEST_BUSY with Retry-After past the queue bound, and decodes what it queued', async () => {
    const s = await start({ workers: 1, maxQueuedJobs: 2, jobTimeoutMs: 1_000 });
    const hung = postOtlp(s.url, hook('hang'), JSON_TYPE);
    // The hung job holds the one worker; two bodies wait in the queue; the fourth is refused.
    await waitFor(() => s.ingestPoolStats?.busy === 1);
    const queued = [span(), span()];
    const waiting = queued.map((g) => postOtlp(s.url, g.body, PROTOBUF));
    await waitFor(() => s.ingestPoolStats?.queuedJobs === 2);
    const refused = await postOtlp(s.url, encodeJson(makeTraceRequest([makeOtlpSpan()])), JSON_TYPE);
    expectRetryable(refused, 'FT_INGEST_BUSY', 429);
    expect((await hung).status).toBe(503);
    expect((await Promise.all(waiting)).map((a) => a.status)).toEqual([200, 200]);
    expect(await storedTraces(s.url, queued.map((g) => g.traceId))).toBe(2);
  });

  it('on stop, answers and stores the bodies being decoded, then stops the workers', async () => {
    const s = await start({ workers: 2 });
    const slow = [span(), span()];
    const answers = slow.map((g) => postOtlp(s.url, hook('slow:400\n', g.body), PROTOBUF));
    await waitFor(() => s.ingestPoolStats?.busy === 2);
    const closing = s.close();
    const statuses = (await Promise.all(answers)).map((a) => a.status);
    await closing;
    server = undefined;
    expect(statuses).toEqual([200, 200]);
    expect(s.ingestPoolStats).toMatchObject({ workers: 0, busy: 0, queuedJobs: 0 });
  });

  it('on stop, gives up on a hung worker after its close timeout: the request gets 503 and the stop completes', async () => {
    const s = await start({ workers: 1, closeTimeoutMs: 300 });
    const hung = postOtlp(s.url, hook('hang'), JSON_TYPE);
    await waitFor(() => s.ingestPoolStats?.busy === 1);
    await s.close();
    server = undefined;
    expectRetryable(await hung, 'FT_SHUTTING_DOWN', 503);
    expect(s.ingestPoolStats).toMatchObject({ workers: 0, busy: 0 });
  });
});

describe('ingest workers: refusing early under overload', () => {
  const job = (body: Uint8Array): IngestJob => ({ kind: 'otlp', signal: 'traces', format: 'protobuf', body });

  it('refuses a queued body undecoded when its precheck (the writer\'s refusal) refuses it by the time a worker is free', async () => {
    const pool = new IngestPool({ workers: 1, testHooks: true });
    try {
      const first = pool.run(job(hook('slow:200\n', span().body)));
      let full = false;
      let prechecks = 0;
      const queued = pool.run(job(span().body), () => {
        prechecks++;
        return full ? new Error('the writer is full') : undefined;
      });
      full = true;
      await expect(first).resolves.toHaveProperty('batch.spans.length', 1);
      await expect(queued).rejects.toThrow('the writer is full');
      expect(prechecks).toBeGreaterThan(0);
      expect(pool.stats).toMatchObject({ queuedJobs: 0, busy: 0, queuedBytes: 0 });
    } finally {
      await pool.close();
    }
  });

  it('estimates the rows of the bodies it holds from the bodies it decoded, for the receivers to count against the writer', async () => {
    const pool = new IngestPool({ workers: 1, testHooks: true });
    try {
      const request = makeTraceRequest(Array.from({ length: 50 }, (_, i) => makeOtlpSpan({ spanId: (i + 1).toString(16).padStart(16, '0') })));
      const body = encodeTraceProtobuf(request);
      expect(pool.pendingRows()).toBe(0);
      await pool.run(job(body));
      // Nothing held: nothing pending, whatever was learned.
      expect(pool.pendingRows()).toBe(0);
      const held = pool.run(job(hook('slow:200\n', body)));
      const estimate = pool.pendingRows();
      await held;
      expect(estimate).toBeGreaterThanOrEqual(45);
      expect(estimate).toBeLessThanOrEqual(55);
      expect(pool.pendingRows()).toBe(0);
    } finally {
      await pool.close();
    }
  });
});

/** Polls a condition of the collector's own state (not a time bound: the test's timeout is the bound). */
async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}
