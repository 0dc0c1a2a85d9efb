/**
 * `pnpm demo`: starts every example service against the collector at
 * OTEL_EXPORTER_OTLP_ENDPOINT (default http://127.0.0.1:4318) and, until stopped (Ctrl-C),
 * produces a steady, varied stream of executions of every kind: orders over HTTP (successes,
 * validation errors, failed charges after retries, skipped notifications, timeouts,
 * cancellations, 50-node fan-outs), TCP conversations, MCP tool calls (including tool errors),
 * the scheduled job, the Python OTLP/JSON script, and long-running executions that stay open
 * for tens of seconds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './children.js';
import { getOrder, McpClient, placeOrder, randomOrder, randomTcpLines, randomToolCall, tcpSession } from './clients.js';
import { sleep } from './service-main.js';

const endpoint = (process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318').replace(/\/+$/, '');
const env = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };
const counts: Record<string, number> = {};
const count = (what: string): void => { counts[what] = (counts[what] ?? 0) + 1; };
let running = true;
const loops: Array<Promise<void>> = [];

/** Runs `body` again and again, `everyMs` apart (± 50 %), until the demo stops. */
function every(everyMs: number, body: () => Promise<unknown>): void {
  loops.push((async () => {
    while (running) {
      await body().catch(() => undefined);
      await sleep(everyMs * (0.5 + Math.random()));
    }
  })());
}

async function main(): Promise<void> {
  const reachable = await fetch(`${endpoint}/healthz`).then((r) => r.ok, () => false);
  console.log(reachable
    ? `demo: sending to ${endpoint}`
    : `demo: nothing answers at ${endpoint} yet; the services keep running and drop what they cannot send`);

  const children: Child[] = await Promise.all([
    startChild('order-service', env),
    startChild('tcp-server', env),
    startChild('mcp-server', env),
    startChild('job', { ...env, JOB_EVERY_MS: '8000' }),
  ]);
  const [orders, tcp, mcp] = children;
  for (const c of children) console.log(`demo: ${c.name} at ${c.url}`);

  const orderIds: string[] = [];
  every(700, async () => {
    const r = Math.random();
    const order = r < 0.08 ? randomOrder({ items: [{ sku: 'ghost', qty: 0, price: 1 }] })
      : r < 0.13 ? randomOrder({ timeoutMs: 250 })
      : r < 0.17 ? randomOrder({ abortAfterMs: 150 })
      : randomOrder();
    const res = await placeOrder(orders.url, order);
    count(`order ${res.status}`);
    const id = (res.body as { orderId?: string } | null)?.orderId;
    if (id) orderIds.push(id);
    if (orderIds.length > 100) orderIds.shift();
  });
  every(2_500, async () => {
    const id = Math.random() < 0.8 && orderIds.length > 0 ? orderIds[Math.floor(Math.random() * orderIds.length)] : 'ord-missing';
    count(`lookup ${(await getOrder(orders.url, id)).status}`);
  });
  every(3_000, async () => { await tcpSession(tcp.url, randomTcpLines()); count('tcp conversation'); });
  const client = new McpClient(mcp.url);
  every(1_500, async () => { const [name, args] = randomToolCall(); await client.callTool(name, args); count(`tool ${name}`); });

  // Long-running executions, open for tens of seconds.
  every(45_000, async () => { count('long order'); await placeOrder(orders.url, randomOrder({ chargeFailRate: 0, optOut: false, notifyMs: 30_000 })); });
  every(40_000, async () => { count('long tcp'); await tcpSession(tcp.url, Array.from({ length: 10 }, (_, i) => `ECHO tick ${i}`), 3_000); });
  every(50_000, async () => { count('long tool'); await new McpClient(mcp.url).callTool('summarize_corpus', { chunks: 12, chunkMs: 2_500 }); });

  const python = spawnSync('python3', ['--version']).status === 0;
  const script = fileURLToPath(new URL('../python/send_execution.py', import.meta.url));
  if (python) {
    every(15_000, () => new Promise<void>((resolve) => {
      const args = [script, '--endpoint', endpoint];
      if (Math.random() < 0.25) args.push('--fail');
      if (Math.random() < 0.2) args.push('--hold', '20');
      const p = spawn('python3', args, { stdio: 'ignore' });
      p.on('exit', () => { count('python execution'); resolve(); });
      p.on('error', () => resolve());
    }));
  } else console.log('demo: python3 not found; skipping the Python OTLP/JSON example');

  const report = setInterval(() => console.log(`demo: ${JSON.stringify(counts)}`), 30_000);
  const stop = async (): Promise<void> => {
    if (!running) return;
    running = false;
    clearInterval(report);
    console.log('demo: stopping');
    await Promise.all(children.map((c) => c.stop()));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const durationS = Number(process.env.DEMO_DURATION_S ?? 0);
  if (durationS > 0) setTimeout(() => void stop(), durationS * 1_000);
}

void main().catch((err: unknown) => {
  console.error(`demo: ${String(err)}`);
  process.exit(1);
});
