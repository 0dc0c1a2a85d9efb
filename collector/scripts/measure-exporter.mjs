// One exporter run: the official OTLP protobuf exporter sends N spans (flows of 20 nodes)
// through a BatchSpanProcessor to a collector started here on a file database; prints
// spans/s from the first span to the last acknowledged one, and checks the count stored.
//   node collector/scripts/measure-exporter.mjs [spans]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { startServer } from '../dist/index.js';

const total = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'ft-measure-'));
const server = await startServer({ port: 0, dbPath: join(dir, 'db.duckdb'), viewerDir: '/nonexistent' });
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'measure' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces`, concurrencyLimit: 32 }), {
    maxQueueSize: total + 1000, maxExportBatchSize: 512, scheduledDelayMillis: 50,
  })],
});
const tracer = provider.getTracer('measure');
const started = performance.now();
for (let sent = 0; sent < total; sent += 20) {
  const root = tracer.startSpan('flow', { attributes: { 'flow.name': `flow-${sent % 50}`, 'flow.execution.kind': 'flow' } });
  const ctx = trace.setSpan(context.active(), root);
  for (let i = 0; i < 19; i++) tracer.startSpan(`node-${i}`, { attributes: { 'flow.node.id': `n${i}`, 'flow.node.index': i } }, ctx).end();
  root.end();
  // The exporter sends at most 32 batches at once; flush every 10 batches' worth.
  if ((sent + 20) % 5120 === 0) await provider.forceFlush();
}
await provider.forceFlush();
const seconds = (performance.now() - started) / 1000;
const stored = await (await fetch(`${server.url}/api/sql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'SELECT count(*) FROM span_data' }) })).json();
console.log(`${total} spans in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} spans/s (one exporter, protobuf, file database); stored ${stored.rows[0][0]}`);
await provider.shutdown();
await server.close();
rmSync(dir, { recursive: true, force: true });
