// The benchmark workload: realistic flow executions, deterministic from a seed, so every
// figure (flowtrace over HTTP, the bulk loader, the SQLite design, the storage figure) sees
// the very same executions. 50 flows of 5–30 nodes nested 1–4 deep over 2–4 services; 5 %
// of executions fail at a node, 1 % are cancelled or time out; payloads of 100 B–4 KiB
// (log-uniform) on inputs and outputs; console lines on ~30 % of nodes; one trace of
// 10,000+ spans per BIG_EVERY spans. Executions are neutral objects; encoders live elsewhere.
import { makeRng } from './rng.mjs';

/** The first execution starts here (fixed, so runs are comparable); later ones follow. */
export const WORKLOAD_START_MS = Date.UTC(2026, 9, 1);
/** Mean gap between execution starts. */
const GAP_NS = 500_000_000n;
const NODE_TYPES = ['code', 'http', 'db', 'llm', 'email', 'queue', 'transform'];
const TRIGGERS = ['http', 'scheduled', 'queue', 'manual', 'mcp'];
const FLOW_WORDS = ['checkout', 'refund', 'signup', 'invoice', 'sync', 'report', 'import', 'notify', 'enrich', 'billing'];

/** The 50 flow templates: nodes in depth-first order with their depth and parent. */
export function makeFlows(seed) {
  const rng = makeRng(seed ^ 0x5eed);
  const flows = [];
  for (let f = 0; f < 50; f++) {
    const maxDepth = rng.int(1, 4);
    const serviceCount = rng.int(2, 4);
    const services = Array.from({ length: serviceCount }, (_, i) => `svc-${(f * 3 + i) % 17}`);
    const nodeCount = rng.int(5, 30);
    const nodes = [];
    const lastAtDepth = [-1];
    for (let i = 0; i < nodeCount; i++) {
      const prevDepth = i === 0 ? 1 : nodes[i - 1].depth;
      const depth = i === 0 ? 1 : rng.int(1, Math.min(prevDepth + 1, maxDepth));
      const parent = lastAtDepth[depth - 1];
      lastAtDepth[depth] = i;
      const type = rng.pick(NODE_TYPES);
      nodes.push({ id: `n${i}`, name: `${type} step ${i}`, type, index: i, depth, parent, service: rng.pick(services), selfMs: rng.logUniform(0.2, 120) });
    }
    const name = `${FLOW_WORDS[f % FLOW_WORDS.length]}-${String(f).padStart(2, '0')}`;
    flows.push({ id: `flow-${f}`, name, version: String(1 + (f % 3)), services, nodes, trigger: TRIGGERS[f % TRIGGERS.length] });
  }
  return flows;
}

/**
 * Yields executions until `totalSpans` spans were produced (the last may overshoot a little).
 * options: { seed, totalSpans, payloads = true, bigEvery = 250_000, bigSize = 10_000 }.
 */
export function* executions(options) {
  const { seed, totalSpans, payloads = true } = options;
  const bigEvery = options.bigEvery ?? 250_000;
  const bigSize = options.bigSize ?? 10_000;
  const flows = makeFlows(seed);
  const rng = makeRng(seed);
  let spans = 0;
  let nextBig = Math.min(bigEvery, Math.floor(totalSpans / 2));
  let startNs = BigInt(WORKLOAD_START_MS) * 1_000_000n;
  for (let index = 0; spans < totalSpans; index++) {
    startNs += BigInt(Math.floor(Number(GAP_NS) * (0.5 + rng.next())));
    const big = spans >= nextBig;
    if (big) nextBig += bigEvery;
    const execution = big ? bigExecution(rng, index, startNs, bigSize, payloads) : flowExecution(rng, flows, index, startNs, payloads);
    spans += execution.spans.length;
    yield execution;
  }
}

function flowExecution(rng, flows, index, startNs, payloads) {
  const flow = flows[rng.int(0, flows.length - 1)];
  const roll = rng.next();
  const status = roll < 0.05 ? 'error' : roll < 0.055 ? 'cancelled' : roll < 0.06 ? 'timed_out' : 'success';
  const stopAt = status === 'success' ? flow.nodes.length : rng.int(0, flow.nodes.length - 1);
  const traceId = rng.hex(16);
  const orderId = `ord-${index}`;
  const userId = `user-${rng.int(1, 2000)}`;
  const root = span(rng, traceId, null, flow.name, flow.services[0], 2, startNs);
  root.flow = { id: flow.id, name: flow.name, version: flow.version, trigger: flow.trigger, userId, orderId, kind: 'flow' };
  root.input = payloads ? payload(rng, orderId) : null;
  const out = [root];
  const logs = [];
  const open = [root];
  let t = startNs + 100_000n;
  let failed = null;
  for (let i = 0; i < stopAt + (status === 'success' ? 0 : 1); i++) {
    const n = flow.nodes[i];
    while (open.length > n.depth) closeSpan(open.pop(), t);
    const parent = open[open.length - 1];
    const s = span(rng, traceId, parent.spanId, n.name, n.service, n.type === 'http' ? 3 : 1, t);
    s.node = n;
    if (payloads) s.input = payload(rng, orderId);
    t += BigInt(Math.round(n.selfMs * rng.logUniform(0.5, 2) * 1e6));
    if (rng.next() < 0.3) logs.push({ traceId, spanId: s.spanId, service: n.service, timeNs: s.startNs + 50_000n, severity: 9, body: `${n.name}: handling ${orderId} for ${userId}` });
    if (i === stopAt && status !== 'success') {
      failed = s;
      s.statusCode = 2;
      s.nodeStatus = status;
      s.exception = status === 'error'
        ? { type: 'Error', message: `${n.type} failed for ${orderId}: upstream returned 503`, stack: `Error: upstream returned 503\n    at ${n.id} (/srv/${flow.name}/nodes.js:${10 + i}:7)\n    at runNode (/srv/node_modules/@flowtrace/instrumentation/dist/node.js:88:19)` }
        : null;
      if (status === 'error') logs.push({ traceId, spanId: s.spanId, service: n.service, timeNs: t, severity: 17, body: `${n.name}: ${s.exception.message}` });
    } else if (payloads) s.output = payload(rng, orderId);
    out.push(s);
    open.push(s);
  }
  while (open.length > 1) {
    const s = open.pop();
    if (failed && s !== failed && status === 'error') s.statusCode = 2;
    closeSpan(s, t);
  }
  closeSpan(root, t + 100_000n);
  root.status = status;
  if (failed) {
    root.statusCode = 2;
    root.errorNodeId = failed.node.id;
    root.errorMessage = failed.exception?.message ?? status;
  } else if (payloads) root.output = payload(rng, orderId);
  return { traceId, flow, status, root, spans: out, logs };
}

/** A batch import: load, then one span per item under "process items", then commit. */
function bigExecution(rng, index, startNs, size, payloads) {
  const traceId = rng.hex(16);
  const root = span(rng, traceId, null, 'bulk-import', 'svc-batch', 2, startNs);
  root.flow = { id: 'bulk-import', name: 'bulk-import', version: '1', trigger: 'scheduled', userId: 'system', orderId: `batch-${index}`, kind: 'flow' };
  const nodeOf = (id, i, type) => ({ id, name: id, type, index: i, service: 'svc-batch' });
  const items = span(rng, traceId, root.spanId, 'process items', 'svc-batch', 1, startNs + 1_000_000n);
  items.node = nodeOf('process-items', 0, 'code');
  const spans = [root, items];
  let t = items.startNs;
  for (let i = 0; i < size; i++) {
    const s = span(rng, traceId, items.spanId, `item ${i}`, 'svc-batch', 1, t);
    s.node = nodeOf('item', i + 1, 'code');
    if (payloads && i % 10 === 0) s.input = payload(rng, `item-${i}`);
    t += 200_000n;
    closeSpan(s, t);
    spans.push(s);
  }
  closeSpan(items, t);
  closeSpan(root, t + 1_000_000n);
  root.status = 'success';
  return { traceId, flow: { id: 'bulk-import', name: 'bulk-import', nodes: [] }, status: 'success', root, spans, logs: [] };
}

function span(rng, traceId, parentSpanId, name, service, kind, startNs) {
  return {
    traceId, spanId: rng.hex(8), parentSpanId, name, service, kind, startNs, endNs: startNs,
    statusCode: 0, nodeStatus: null, node: null, flow: null, input: null, output: null, exception: null,
  };
}

function closeSpan(s, t) {
  s.endNs = t > s.endNs ? t : s.endNs + 1000n;
}

/** Order items, made once: payloads pick from them, so building one costs a few string joins. */
const ITEMS = (() => {
  const rng = makeRng(7);
  return Array.from({ length: 4096 }, () => `{"sku":"sku-${rng.int(1000, 9999)}","qty":${rng.int(1, 9)},"price":${(rng.next() * 200).toFixed(2)}}`);
})();

/** A JSON payload of 100 B–4 KiB (log-uniform) with realistic, varying values. */
function payload(rng, orderId) {
  const target = Math.round(rng.logUniform(100, 4096));
  const parts = [`{"orderId":"${orderId}","customer":{"id":"c-${rng.int(1, 99999)}"},"items":[`];
  let length = parts[0].length;
  let at = rng.int(0, ITEMS.length - 1);
  while (length < target - 60) {
    const item = ITEMS[at++ & 4095];
    parts.push(item);
    length += item.length + 1;
  }
  const text = parts.length > 1 ? `${parts[0]}${parts.slice(1).join(',')}` : parts[0];
  return `${text}],"note":"${'x'.repeat(Math.max(0, target - text.length - 12))}"}`;
}

/** One batch-import trace of `size` item spans (+2), for the viewer figure. */
export function bigTrace(seed, size, startNs = BigInt(Date.now() - 60_000) * 1_000_000n) {
  return bigExecution(makeRng(seed), 0, startNs, size, false);
}
