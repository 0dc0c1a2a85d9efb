/**
 * Clients of the example services, used by the demo to produce a varied stream of
 * executions (and usable on their own). None of them throws: a failed call is a result.
 */
import { connect } from 'node:net';
import { sleep } from './service-main.js';

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];
const SKUS = ['book', 'lamp', 'chair', 'mug', 'desk', 'pen', 'plant'];
const CUSTOMERS = ['ann', 'bob', 'chen', 'dara', 'eli', 'fatima', 'gus'];

/** Options of one order request; random when not given. */
export interface OrderRequest {
  items?: Array<{ sku: string; qty: number; price: number }>;
  customerId?: string;
  optOut?: boolean;
  chargeFailRate?: number;
  notifyMs?: number;
  timeoutMs?: number;
  warehouses?: number;
  /** Abort the HTTP request after this many ms (the order is cancelled). */
  abortAfterMs?: number;
}

/** Result of a client call. */
export interface CallResult { status: number; body: unknown }

/** A random order body, with the given fields fixed. */
export function randomOrder(overrides: OrderRequest = {}): OrderRequest {
  const items = Array.from({ length: 1 + Math.floor(Math.random() * 4) }, () => ({ sku: pick(SKUS), qty: 1 + Math.floor(Math.random() * 3), price: 5 + Math.floor(Math.random() * 50) }));
  return { items, customerId: pick(CUSTOMERS), optOut: Math.random() < 0.15, chargeFailRate: 0.25, ...overrides };
}

/** POST /orders. */
export async function placeOrder(baseUrl: string, order: OrderRequest): Promise<CallResult> {
  const { abortAfterMs, ...body } = order;
  try {
    const res = await fetch(`${baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, card: { number: '4111 1111 1111 1111', cvv: '123' } }),
      signal: abortAfterMs !== undefined ? AbortSignal.timeout(abortAfterMs) : undefined,
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch (err) {
    return { status: 0, body: String(err) };
  }
}

/** GET /orders/:id. */
export async function getOrder(baseUrl: string, id: string): Promise<CallResult> {
  try {
    const res = await fetch(`${baseUrl}/orders/${encodeURIComponent(id)}`);
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch (err) {
    return { status: 0, body: String(err) };
  }
}

/** Opens a connection, sends each line (waiting `gapMs` and for a reply), then QUIT. Resolves with the replies. */
export function tcpSession(url: string, lines: string[], gapMs = 0): Promise<string[]> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const replies: string[] = [];
    const socket = connect(Number(port), hostname);
    socket.setEncoding('utf8');
    let pending = '';
    let waiting: (() => void) | undefined;
    socket.on('data', (d: string) => {
      pending += d;
      let i: number;
      while ((i = pending.indexOf('\n')) >= 0) {
        replies.push(pending.slice(0, i));
        pending = pending.slice(i + 1);
        waiting?.();
      }
    });
    socket.on('error', () => resolve(replies));
    socket.on('close', () => resolve(replies));
    socket.on('connect', async () => {
      for (const line of [...lines, 'QUIT']) {
        const got = new Promise<void>((r) => (waiting = r));
        socket.write(`${line}\n`);
        await Promise.race([got, sleep(130_000)]);
        if (gapMs > 0) await sleep(gapMs);
      }
    });
  });
}

/** A random short TCP conversation. */
export function randomTcpLines(): string[] {
  const lines = ['PING', `ECHO hello ${pick(CUSTOMERS)}`, `SUM ${Math.floor(Math.random() * 9)} ${Math.floor(Math.random() * 9)}`];
  if (Math.random() < 0.3) lines.push(`SLOW ${100 + Math.floor(Math.random() * 900)}`);
  if (Math.random() < 0.2) lines.push(pick(['FAIL', 'SUM 1 x', 'NOPE']));
  return lines;
}

/** A JSON-RPC client of the MCP-style server with one session. */
export class McpClient {
  private sessionId: string | undefined;
  private id = 0;
  constructor(private readonly url: string) {}

  /** Sends one request; returns the JSON-RPC response or an error text. */
  async call(method: string, params?: Record<string, unknown>): Promise<CallResult> {
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
      const res = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params }) });
      this.sessionId = res.headers.get('mcp-session-id') ?? this.sessionId;
      return { status: res.status, body: await res.json() };
    } catch (err) {
      return { status: 0, body: String(err) };
    }
  }

  /** initialize, then tools/call. */
  async callTool(name: string, args: Record<string, unknown>): Promise<CallResult> {
    if (!this.sessionId) await this.call('initialize', { protocolVersion: '2025-06-18', clientInfo: { name: 'flowtrace-demo', version: '1' } });
    return this.call('tools/call', { name, arguments: args });
  }
}

/** A random tool call. */
export function randomToolCall(): [string, Record<string, unknown>] {
  const r = Math.random();
  if (r < 0.35) return ['get_weather', { city: Math.random() < 0.1 ? 'Atlantis' : pick(['Berlin', 'Lagos', 'Lima', 'Osaka']), user: pick(CUSTOMERS) }];
  if (r < 0.7) return ['search_docs', { query: pick(['tracing', 'duckdb', 'retries', 'mcp']), user: pick(CUSTOMERS) }];
  return ['calculate', { a: Math.floor(Math.random() * 100), b: Math.random() < 0.2 ? 0 : Math.floor(Math.random() * 9) + 1, op: pick(['+', '-', '*', '/']) }];
}
