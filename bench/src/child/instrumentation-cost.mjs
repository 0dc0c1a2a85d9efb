// Figure 5, run in a process of its own (it installs OpenTelemetry providers): the cost per
// node span of a flow of N empty nodes with no tracing, the bare OpenTelemetry SDK (a span
// per node), and flowtrace's instrumentation with capture off and on; then a flow of 1 ms
// (busy) nodes untraced and traced. Exporters accept and discard, as a healthy collector would.
// Prints one JSON line.   node child/instrumentation-cost.mjs <nodes> <flows>
import { context, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { configureInstrumentation, node, runFlow } from '@flowtrace/instrumentation';

const nodes = Number(process.argv[2] ?? 100);
const flows = Number(process.argv[3] ?? 1000);
const discard = { export: (_items, done) => done({ code: ExportResultCode.SUCCESS }), shutdown: async () => {}, forceFlush: async () => {} };
const tp = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard, { maxQueueSize: 1 << 16, maxExportBatchSize: 512, scheduledDelayMillis: 200 })] });
tp.register();
const lp = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: discard, maxQueueSize: 1 << 16, maxExportBatchSize: 512, scheduledDelayMillis: 200 })] });
const tracer = tp.getTracer('bench');
const yieldToTimers = () => new Promise((r) => setImmediate(r)); // let batch processors export, as in a service

const work = (i) => i;
const variants = {
  none: async () => {
    for (let i = 0; i < nodes; i++) work(i);
  },
  sdk: async () => tracer.startActiveSpan('flow', async (root) => {
    for (let i = 0; i < nodes; i++) {
      const span = tracer.startSpan('node', { attributes: { 'flow.node.id': 'step', 'flow.node.index': i } });
      context.with(trace.setSpan(context.active(), span), () => work(i));
      span.end();
    }
    root.end();
  }),
  flowtraceOff: async () => runFlow({ id: 'bench' }, { orderId: 'o-1' }, async () => {
    for (let i = 0; i < nodes; i++) node({ id: 'step', type: 'code' }, () => work(i));
  }),
};
variants.flowtraceOn = variants.flowtraceOff;

/** µs per node over `flows` flows (after a warm-up), timers given their turn between flows. */
async function perNode(run) {
  for (let i = 0; i < 100; i++) { await run(); await yieldToTimers(); }
  let inFlows = 0n;
  for (let i = 0; i < flows; i++) {
    const a = process.hrtime.bigint();
    await run();
    inFlows += process.hrtime.bigint() - a;
    await yieldToTimers();
  }
  await tp.forceFlush();
  await lp.forceFlush();
  return Number(inFlows) / 1e3 / (flows * nodes);
}

const capture = {
  flowtraceOff: { payloads: false, console: false, startMarks: false },
  flowtraceOn: { payloads: true, console: true, startMarks: true },
};
const result = { nodes, flows };
for (const [name, run] of Object.entries(variants)) {
  if (capture[name]) configureInstrumentation({ tracerProvider: tp, loggerProvider: lp, capture: capture[name] });
  result[name] = await perNode(run);
}

// A flow of 20 nodes of 1 ms CPU work each: untraced against flowtrace with capture on.
const busy = () => { const end = performance.now() + 1; while (performance.now() < end); return 1; };
configureInstrumentation({ tracerProvider: tp, loggerProvider: lp, capture: capture.flowtraceOn });
const slowFlows = Math.max(20, Math.floor(flows / 20));
const timeFlows = async (run) => {
  const t0 = performance.now();
  for (let i = 0; i < slowFlows; i++) { await run(); await yieldToTimers(); }
  return (performance.now() - t0) / slowFlows;
};
const plainSlow = async () => { for (let i = 0; i < 20; i++) busy(); };
const tracedSlow = () => runFlow({ id: 'slow' }, { orderId: 'o-1' }, async () => { for (let i = 0; i < 20; i++) node({ id: 'busy', type: 'code' }, busy); });
await timeFlows(tracedSlow);
result.slowUntracedMs = await timeFlows(plainSlow);
result.slowTracedMs = await timeFlows(tracedSlow);
await tp.shutdown();
await lp.shutdown();
console.log(JSON.stringify(result));
