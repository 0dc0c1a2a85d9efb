// Quick measure of the cost of one node span (not the benchmark suite): runs flows with N
// nodes through the real SDK pipeline (batch processors; exporters that accept and discard)
// and prints microseconds per node for capture on/off and start marks on/off.
//   cd instrumentation && npx tsc -b && node scripts/node-span-cost.mjs [nodesPerFlow=100] [flows=2000]
import { ExportResultCode } from '@opentelemetry/core';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { configureInstrumentation, node, runFlow, runNode } from '../dist/index.js';

const nodes = Number(process.argv[2] ?? 100);
const flows = Number(process.argv[3] ?? 2000);
const discard = { export: (items, done) => done({ code: ExportResultCode.SUCCESS }), shutdown: async () => {}, forceFlush: async () => {} };
const tp = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard, { maxQueueSize: 1 << 20, maxExportBatchSize: 512, scheduledDelayMillis: 200 })] });
tp.register();
const lp = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: discard, maxQueueSize: 1 << 20, maxExportBatchSize: 512, scheduledDelayMillis: 200 })] });

async function measure(label, capture, withInput) {
  configureInstrumentation({ tracerProvider: tp, loggerProvider: lp, capture });
  const input = { orderId: 'ord-1', items: [{ sku: 'book', qty: 2, price: 10 }], customer: { id: 'c1', token: 'x' } };
  const run = () => runFlow({ id: 'bench' }, input, async () => {
    for (let i = 0; i < nodes; i++) {
      if (withInput) runNode({ id: 'step', type: 'code' }, input, (x) => x.items.length);
      else node({ id: 'step', type: 'code' }, () => i);
    }
  });
  const yieldToTimers = () => new Promise((r) => setImmediate(r)); // let the batch processors export, as in a real service
  for (let i = 0; i < 200; i++) { await run(); await yieldToTimers(); } // warm-up
  await tp.forceFlush(); await lp.forceFlush();
  const t0 = process.hrtime.bigint();
  let inFlows = 0n;
  for (let i = 0; i < flows; i++) {
    const a = process.hrtime.bigint();
    await run();
    inFlows += process.hrtime.bigint() - a;
    await yieldToTimers();
  }
  const t1 = process.hrtime.bigint();
  await tp.forceFlush(); await lp.forceFlush();
  const t2 = process.hrtime.bigint();
  const perNode = Number(inFlows) / 1e3 / (flows * nodes);
  const perNodeWithExport = Number(t2 - t0) / 1e3 / (flows * nodes);
  console.log(`${label.padEnd(44)} ${perNode.toFixed(2)} µs/node inside the flow, ${perNodeWithExport.toFixed(2)} µs/node incl. batching and export`);
}

await measure('payloads on, marks on, input+output', { payloads: true, startMarks: true }, true);
await measure('payloads off, marks on', { payloads: false, startMarks: true }, true);
await measure('payloads off, marks off', { payloads: false, startMarks: false }, true);
await measure('payloads on, marks on, no input (node())', { payloads: true, startMarks: true }, false);
await tp.shutdown(); await lp.shutdown();
