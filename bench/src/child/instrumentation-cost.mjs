// Figure 5, run in a process of its own (it installs OpenTelemetry providers): the cost per
// node span of a flow of N empty nodes with no tracing, the bare OpenTelemetry SDK (a span
// per node), and flowtrace's instrumentation with capture off and on; then a flow of 1 ms
// (busy) nodes untraced and traced. Exporters accept and discard, as a healthy collector would.
// Prints one JSON line.   node child/instrumentation-cost.mjs <nodes> <flows>
//
// Fairness: every variant writes to the same tracer provider and batch processor; the
// variants run in alternating rounds (the machine is shared: load drifts during a run), each
// after its own warm-up, and each figure is the median over the rounds. Time per node is the
// process's CPU time (user + system, all threads, so GC work counts), which other processes
// on the machine do not inflate the way they inflate wall time; the wall-time medians are
// printed too (`wall`). The 1 ms nodes do a fixed amount of CPU work (a loop calibrated to
// 1 ms at start) rather than spinning until a wall-clock deadline: a deadline absorbs any
// preemption inside the node but not inside the instrumentation, which biased the old
// figure against tracing. Untraced, flowtrace and bare-SDK flows alternate, and their medians
// are compared (`slowSdkMs`, not in the figure's rows, says what the SDK's spans alone cost).
// Value redaction (card numbers, tokens, keys found by their shape) is measured as a pair: a
// node with a text-bearing input and output (an order with a note, dates, a phone number, no
// secret: the usual case) with the default value patterns on, and the same with them off.
import { context, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { configureInstrumentation, node, runFlow, runNode } from '@flowtrace/instrumentation';

const nodes = Number(process.argv[2] ?? 100);
const flows = Number(process.argv[3] ?? 1000);
const rounds = 10;
const discard = { export: (_items, done) => done({ code: ExportResultCode.SUCCESS }), shutdown: async () => {}, forceFlush: async () => {} };
const tp = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard, { maxQueueSize: 1 << 16, maxExportBatchSize: 512, scheduledDelayMillis: 200 })] });
tp.register();
const lp = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: discard, maxQueueSize: 1 << 16, maxExportBatchSize: 512, scheduledDelayMillis: 200 })] });
const tracer = tp.getTracer('bench');
const yieldToTimers = () => new Promise((r) => setImmediate(r)); // let batch processors export, as in a service

const capture = {
  off: { payloads: false, console: false, startMarks: false },
  on: { payloads: true, console: true, startMarks: true },
};
const work = (i) => i;
const smallInput = { orderId: 'o-1', items: [{ sku: 'book', qty: 2, price: 10 }] };
const textInput = {
  orderId: 'ORD-20240612-000123', customer: { name: 'Ann Smith', email: 'ann@example.com', phone: '+1 415-555-0132' },
  note: 'Leave the parcel at the back door and ring twice; call ahead if nobody answers after 6 pm.',
  items: [{ sku: 'book-978-3-16-148410-0', qty: 2, price: 10 }, { sku: 'pen', qty: 1, price: 2.5 }],
  placedAt: '2026-01-02T10:00:00.000Z', total: 22.5,
};
const textOutput = { status: 'accepted', message: 'Order ORD-20240612-000123 accepted for Ann Smith, delivery on 2026-01-04 between 09:00 and 12:00.' };
const textFlow = async () => runFlow({ id: 'bench' }, textInput, async () => {
  for (let i = 0; i < nodes; i++) runNode({ id: 'step', type: 'code' }, textInput, () => textOutput);
});
const flowtraceFlow = async () => runFlow({ id: 'bench' }, { orderId: 'o-1' }, async () => {
  for (let i = 0; i < nodes; i++) node({ id: 'step', type: 'code' }, () => work(i));
});
const variants = {
  none: { run: async () => { for (let i = 0; i < nodes; i++) work(i); } },
  sdk: {
    run: async () => tracer.startActiveSpan('flow', async (root) => {
      for (let i = 0; i < nodes; i++) {
        const span = tracer.startSpan('node', { attributes: { 'flow.node.id': 'step', 'flow.node.index': i } });
        context.with(trace.setSpan(context.active(), span), () => work(i));
        span.end();
      }
      root.end();
    }),
  },
  flowtraceOff: { run: flowtraceFlow, capture: capture.off },
  flowtraceOn: { run: flowtraceFlow, capture: capture.on },
  // Not in the figure's rows: capture on with a small input object per node (payload work).
  flowtraceOnInput: {
    run: async () => runFlow({ id: 'bench' }, smallInput, async () => {
      for (let i = 0; i < nodes; i++) runNode({ id: 'step', type: 'code' }, smallInput, (x) => x.items.length);
    }),
    capture: capture.on,
  },
  // Not in the figure's main rows: the value-redaction pair (see the header).
  valuesOn: { run: textFlow, capture: capture.on },
  valuesOff: { run: textFlow, capture: capture.on, redaction: { disableValuePatterns: 'all' } },
};

const configure = (c, redaction) => { if (c) configureInstrumentation({ tracerProvider: tp, loggerProvider: lp, capture: c, redaction }); };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** CPU and wall µs per node over `count` flows, timers given their turn between flows. */
async function measure(v, count) {
  configure(v.capture, v.redaction);
  let cpu = 0;
  let wall = 0;
  for (let i = 0; i < count; i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await v.run();
    wall += performance.now() - w0;
    const c = process.cpuUsage(c0);
    cpu += c.user + c.system;
    await yieldToTimers();
  }
  return { cpu: cpu / (count * nodes), wall: (wall * 1000) / (count * nodes) };
}

const names = Object.keys(variants);
for (const name of names) await measure(variants[name], 100); // warm-up
const samples = Object.fromEntries(names.map((n) => [n, { cpu: [], wall: [] }]));
const perRound = Math.max(1, Math.round(flows / rounds));
for (let r = 0; r < rounds; r++) {
  const order = names.map((_, i) => names[(i + r) % names.length]); // rotate who goes first
  for (const name of order) {
    const m = await measure(variants[name], perRound);
    samples[name].cpu.push(m.cpu);
    samples[name].wall.push(m.wall);
  }
}
await tp.forceFlush();
await lp.forceFlush();
const result = { nodes, flows: perRound * rounds, rounds, metric: 'median over rounds of process CPU µs per node' };
for (const name of names) result[name] = median(samples[name].cpu);
result.wall = Object.fromEntries(names.map((n) => [n, median(samples[n].wall)]));

// A flow of 20 nodes of 1 ms CPU work each: untraced against flowtrace with capture on.
let sink = 0;
const spin = (n) => { let x = 0; for (let i = 0; i < n; i++) x = (x + i * 7) % 1000003; sink += x; };
const calibrate = () => {
  let n = 1 << 14;
  for (;;) { const t = performance.now(); spin(n); if (performance.now() - t >= 20) break; n *= 2; }
  const per = [];
  for (let k = 0; k < 7; k++) { const t = performance.now(); spin(n); per.push((performance.now() - t) / n); }
  return Math.round(1 / median(per)); // iterations per ms
};
const perMs = calibrate();
const busy = () => { spin(perMs); return 1; };
configure(capture.on);
const plainSlow = async () => { for (let i = 0; i < 20; i++) busy(); };
const tracedSlow = () => runFlow({ id: 'slow' }, { orderId: 'o-1' }, async () => { for (let i = 0; i < 20; i++) node({ id: 'busy', type: 'code' }, busy); });
// Context for the figure, not in its rows: the same flow with bare SDK spans.
const sdkSlow = async () => tracer.startActiveSpan('slow', async (root) => {
  for (let i = 0; i < 20; i++) {
    const span = tracer.startSpan('busy', { attributes: { 'flow.node.id': 'busy', 'flow.node.index': i } });
    context.with(trace.setSpan(context.active(), span), busy);
    span.end();
  }
  root.end();
});
const slowVariants = [['plain', plainSlow], ['traced', tracedSlow], ['sdk', sdkSlow]];
const rotations = Math.max(30, Math.floor(flows / 10));
const slow = { plain: [], traced: [], sdk: [] };
const timeFlow = async (run) => { const t0 = performance.now(); await run(); const ms = performance.now() - t0; await yieldToTimers(); return ms; };
for (let i = 0; i < 5; i++) for (const [, run] of slowVariants) await timeFlow(run); // warm-up
for (let i = 0; i < rotations; i++) {
  for (let k = 0; k < slowVariants.length; k++) {
    const [name, run] = slowVariants[(k + i) % slowVariants.length]; // rotate who goes first
    slow[name].push(await timeFlow(run));
  }
}
result.slowUntracedMs = median(slow.plain);
result.slowTracedMs = median(slow.traced);
result.slowSdkMs = median(slow.sdk);
result.slowFlows = rotations;
if (sink === 0.5) console.error(sink); // keep the work observable
await tp.shutdown();
await lp.shutdown();
console.log(JSON.stringify(result));
