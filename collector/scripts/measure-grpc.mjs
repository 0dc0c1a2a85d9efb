// Durable ingest over OTLP/gRPC against OTLP/HTTP, the same pre-encoded protobuf requests (512
// spans each, flows of 16 spans with small attributes) from C concurrent clients on 127.0.0.1,
// each transport against a fresh collector on a file database in this process; counts only
// acknowledged spans (a refusal is retried after 50 ms).
//   node collector/scripts/measure-grpc.mjs [requests] [clients]        (after pnpm build)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../dist/index.js';
import { opentelemetry } from '../dist/ingest/generated/otlp.js';

const { Client, credentials, Metadata, status } = createRequire(import.meta.url)('@grpc/grpc-js');
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
        attributes: i === 0 ? [kv('flow.name', `flow-${t % 10}`), kv('flow.execution.kind', 'flow')] : [kv('flow.node.id', `n${i}`)],
        status: { code: 1 },
      });
    }
  }
  return Buffer.from(Req.encode({ resourceSpans: [{ resource: { attributes: [kv('service.name', 'bench')] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] }] }).finish());
}

const identity = (b) => b;
const sendHttp = (server) => async (b) => {
  const r = await fetch(`${server.url}/v1/traces`, { method: 'POST', body: b, headers: { 'content-type': 'application/x-protobuf' } });
  await r.arrayBuffer();
  return r.status === 200 ? 'ok' : r.status === 429 || r.status === 503 ? 'retry' : `status ${r.status}`;
};
const sendGrpc = (client) => (b) => new Promise((resolve) => {
  client.makeUnaryRequest('/opentelemetry.proto.collector.trace.v1.TraceService/Export', identity, identity, b, new Metadata(), {}, (error) => {
    resolve(!error ? 'ok' : error.code === status.UNAVAILABLE ? 'retry' : `code ${error.code}`);
  });
});

async function run(transport) {
  const bodies = Array.from({ length: requests }, (_, i) => body(i));
  const dir = mkdtempSync(join(tmpdir(), 'ft-grpc-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dbPath: join(dir, 'db.duckdb'), viewerDir: '/nonexistent', grpc: { port: 0 } });
  const channels = [];
  let next = 0;
  let acked = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    let send;
    if (transport === 'grpc') {
      const client = new Client(`127.0.0.1:${server.grpcPort}`, credentials.createInsecure());
      channels.push(client);
      send = sendGrpc(client);
    } else send = sendHttp(server);
    while (next < bodies.length) {
      const b = bodies[next++];
      for (;;) {
        const outcome = await send(b);
        if (outcome === 'ok') { acked += 512; break; }
        if (outcome !== 'retry') throw new Error(outcome);
        await new Promise((res) => setTimeout(res, 50));
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  for (const c of channels) c.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`${transport.padEnd(4)}: ${acked} spans acknowledged in ${seconds.toFixed(2)} s = ${Math.round(acked / seconds)} spans/s (${clients} clients, ${requests} requests of 512 spans)`);
}

await run('http');
await run('grpc');
