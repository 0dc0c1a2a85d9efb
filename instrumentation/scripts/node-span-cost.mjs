// Quick measure of the cost of one node span (not the benchmark suite): runs flows of N
// nodes through the real SDK pipeline (batch processors; exporters that accept and discard)
// next to the bare SDK creating one span per node, and prints µs per node for each capture
// setting, so what each part costs can be read off. The variants run in alternating rounds
// (the machine may be shared) and each figure is the median over the rounds of the process's
// CPU time per node (user + system; GC threads count), with the wall-time median beside it.
//   cd instrumentation && npx tsc -b && node scripts/node-span-cost.mjs [nodesPerFlow=100] [flows=2000] [rounds=10]
import { context, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { configureInstrumentation, node, runFlow, runNode } from '../dist/index.js';

const nodes = Number(process.argv[2] ?? 100);
const flows = Number(process.argv[3] ?? 2000);
const rounds = Number(process.argv[4] ?? 10);
const discard = { export: (items, done) => done({ code: ExportResultCode.SUCCESS }), shutdown: async () => {}, forceFlush: async () => {} };
const tp = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard, { maxQueueSize: 1 << 20, maxExportBatchSize: 512, scheduledDelayMillis: 200 })] });
tp.register();
const lp = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: discard, maxQueueSize: 1 << 20, maxExportBatchSize: 512, scheduledDelayMillis: 200 })] });
const tracer = tp.getTracer('bench');

const input = { orderId: 'ord-1', items: [{ sku: 'book', qty: 2, price: 10 }], customer: { id: 'c1', token: 'x' } };
const withInput = () => runFlow({ id: 'bench' }, input, async () => {
  for (let i = 0; i < nodes; i++) runNode({ id: 'step', type: 'code' }, input, (x) => x.items.length);
});
const empty = () => runFlow({ id: 'bench' }, { orderId: 'o-1' }, async () => {
  for (let i = 0; i < nodes; i++) node({ id: 'step', type: 'code' }, () => i);
});
const variants = [
  ['bare SDK, a span per node', undefined, async () => tracer.startActiveSpan('flow', async (root) => {
    for (let i = 0; i < nodes; i++) {
      const span = tracer.startSpan('node', { attributes: { 'flow.node.id': 'step', 'flow.node.index': i } });
      context.with(trace.setSpan(context.active(), span), () => i);
      span.end();
    }
    root.end();
  })],
  ['capture off, node()', { payloads: false, console: false, startMarks: false }, empty],
  ['capture on (defaults), node()', {}, empty],
  ['payloads off, marks off, input+output', { payloads: false, startMarks: false }, withInput],
  ['payloads on, marks off, input+output', { payloads: true, startMarks: false }, withInput],
  ['capture on (defaults), input+output', {}, withInput],
  ['capture on, marks at start (delay 0), input+output', { startMarkDelayMs: 0 }, withInput],
];

const yieldToTimers = () => new Promise((r) => setImmediate(r)); // let the batch processors export, as in a real service
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

async function measure([, capture, run], count) {
  if (capture) configureInstrumentation({ tracerProvider: tp, loggerProvider: lp, capture });
  let cpu = 0;
  let wall = 0;
  for (let i = 0; i < count; i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await run();
    wall += performance.now() - w0;
    const c = process.cpuUsage(c0);
    cpu += c.user + c.system;
    await yieldToTimers();
  }
  return { cpu: cpu / (count * nodes), wall: (wall * 1000) / (count * nodes) };
}

for (const v of variants) await measure(v, 200); // warm-up
const samples = variants.map(() => ({ cpu: [], wall: [] }));
const perRound = Math.max(1, Math.round(flows / rounds));
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < variants.length; k++) {
    const i = (k + r) % variants.length; // rotate who goes first
    const m = await measure(variants[i], perRound);
    samples[i].cpu.push(m.cpu);
    samples[i].wall.push(m.wall);
  }
}
await tp.forceFlush();
await lp.forceFlush();
const sdk = median(samples[0].cpu);
console.log(`${nodes} nodes per flow, ${perRound * rounds} flows in ${rounds} rounds; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
variants.forEach(([label], i) => {
  const cpu = median(samples[i].cpu);
  console.log(`${label.padEnd(52)} ${cpu.toFixed(2).padStart(6)} µs/node CPU (${(cpu / sdk).toFixed(2)}× SDK), wall ${median(samples[i].wall).toFixed(2)} µs`);
});
await tp.shutdown();
await lp.shutdown();
