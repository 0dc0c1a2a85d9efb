// One ingest client process: reads its share of the pre-encoded bodies, says "ready", and on
// "go" posts them to /v1/traces over `inflight` concurrent connections. Only 200 answers
// count as acknowledged; 429/503 are retried after Retry-After (bounded in tries and time).
// Reports counts, first-send and last-ack wall-clock times, and request latencies.
//   forked with: { url, path, entries, contentType, inflight, deadlineMs }
import { readBodies } from './body-file.mjs';
import { COLLECTOR_DIST } from './collector-dist.mjs';

const { opentelemetry } = await import(`${COLLECTOR_DIST}ingest/generated/otlp.js`);
const TraceResponse = opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/** Spans the collector rejected in a 200 answer (partial_success), protobuf or JSON. */
function rejectedIn(answer, contentType) {
  if (answer.length === 0) return 0;
  const decoded = contentType.includes('json') ? JSON.parse(answer.toString()) : TraceResponse.decode(answer);
  return Number(decoded.partialSuccess?.rejectedSpans ?? 0);
}

const MAX_TRIES = 200;
const now = () => performance.timeOrigin + performance.now();

process.once('message', async (job) => {
  const bodies = readBodies(job.path, job.entries);
  process.send({ type: 'ready' });
  await new Promise((resolve) => process.once('message', resolve));
  const deadline = now() + job.deadlineMs;
  const result = { sentSpans: 0, ackedSpans: 0, rejectedSpans: 0, requests: 0, retries: 0, failures: 0, statuses: {}, latencies: [], firstSend: now(), lastAck: 0 };
  let next = 0;
  const worker = async () => {
    while (next < bodies.length && now() < deadline) {
      const i = next++;
      result.sentSpans += job.entries[i].spans;
      for (let tries = 0; tries < MAX_TRIES && now() < deadline; tries++) {
        const t0 = now();
        let status = 0;
        let retryAfter = 0.05;
        let rejected = 0;
        try {
          const res = await fetch(`${job.url}/v1/traces`, { method: 'POST', body: bodies[i], headers: { 'content-type': job.contentType } });
          const answer = Buffer.from(await res.arrayBuffer());
          status = res.status;
          if (status === 200) rejected = rejectedIn(answer, job.contentType);
          retryAfter = Math.min(1, Number(res.headers.get('retry-after') ?? 0.05) || 0.05);
        } catch {
          status = -1;
        }
        result.requests += 1;
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        if (status === 200) {
          result.latencies.push(now() - t0);
          result.ackedSpans += job.entries[i].spans - rejected;
          result.rejectedSpans += rejected;
          result.lastAck = now();
          break;
        }
        if (status !== 429 && status !== 503 && status !== -1) {
          result.failures += 1;
          break;
        }
        result.retries += 1;
        await new Promise((r) => setTimeout(r, retryAfter * 1000));
      }
    }
  };
  await Promise.all(Array.from({ length: job.inflight }, worker));
  process.send({ type: 'done', result });
  process.disconnect();
});
