// Durable ingest through HTTP: pre-encoded OTLP protobuf requests (512 spans each, flows of
// 16 spans) from C concurrent clients on 127.0.0.1 to a collector on a file database in this
// process; counts only acknowledged spans.   node collector/scripts/measure-ingest.mjs [requests] [clients]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../dist/index.js';
import { opentelemetry } from '../dist/ingest/generated/otlp.js';

const requests = Number(process.argv[2] ?? 200);
const clients = Number(process.argv[3] ?? 8);
const Req = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const kv = (key, value) => ({ key, value: { stringValue: value } });

function body(seed) {
  const spans = [];
  const now = BigInt(Date.now()) * 1_000_000n;
  for (let t = 0; t < 32; t++) {
    const traceId = randomBytes(16);
    const rootId = randomBytes(8);
    for (let i = 0; i < 16; i++) {
      const start = now + BigInt(seed * 1000 + t * 16 + i) * 1000n;
      spans.push({
        traceId, spanId: i === 0 ? rootId : randomBytes(8), parentSpanId: i === 0 ? undefined : rootId,
        name: i === 0 ? `flow-${t % 10}` : `node-${i}`, kind: 1,
        startTimeUnixNano: String(start), endTimeUnixNano: String(start + 500_000n),
        attributes: i === 0
          ? [kv('flow.name', `flow-${t % 10}`), kv('flow.execution.kind', 'flow'), kv('enduser.id', `user-${t}`)]
          : [kv('flow.node.id', `n${i}`), kv('flow.node.name', `Node ${i}`), kv('flow.node.input', '{"orderId":12345,"items":[1,2,3]}')],
        status: { code: 1 },
      });
    }
  }
  return Req.encode({ resourceSpans: [{ resource: { attributes: [kv('service.name', 'bench')] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] }] }).finish();
}

const bodies = Array.from({ length: requests }, (_, i) => body(i));
// The collector runs in this process unless FLOWTRACE_URL points at one elsewhere.
const dir = mkdtempSync(join(tmpdir(), 'ft-ingest-'));
const server = process.env.FLOWTRACE_URL
  ? { url: process.env.FLOWTRACE_URL, storage: undefined, close: async () => {} }
  : await startServer({ port: 0, dbPath: join(dir, 'db.duckdb'), viewerDir: '/nonexistent' });
let next = 0;
let acked = 0;
const started = performance.now();
await Promise.all(Array.from({ length: clients }, async () => {
  while (next < bodies.length) {
    const b = bodies[next++];
    for (;;) {
      const r = await fetch(`${server.url}/v1/traces`, { method: 'POST', body: b, headers: { 'content-type': 'application/x-protobuf' } });
      const answer = Buffer.from(await r.arrayBuffer());
      if (r.status >= 400 && r.status !== 429) console.error(r.status, answer.toString().slice(0, 300));
      if (r.status === 200) { acked += 512; break; }
      if (r.status !== 429 && r.status !== 503) throw new Error(`status ${r.status}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }
}));
const seconds = (performance.now() - started) / 1000;
console.log(`${acked} spans acknowledged in ${seconds.toFixed(2)} s = ${Math.round(acked / seconds)} spans/s (${clients} clients, protobuf, durable, file database); commits ${server.storage?.writer.stats.commits ?? 'n/a'}`);
await server.close();
rmSync(dir, { recursive: true, force: true });
