/**
 * Example: an MCP-style tool server speaking JSON-RPC 2.0 over HTTP (POST /mcp), as MCP's
 * Streamable HTTP transport does, without the SDK. `initialize` hands out a session id in
 * the Mcp-Session-Id header; every `tools/call` is traced as an mcp_tool execution, which can
 * be cancelled from the viewer (the client then gets an error naming who cancelled it).
 */
import { node, runNode, traceTool, type ToolCallOptions } from '@flowtrace/instrumentation';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { main, portFromEnv, sleep, type Running } from './service-main.js';

type ToolResult = { content: Array<{ type: 'text'; text: string }>; isError?: boolean };
type Tool = { description: string; run: (args: Record<string, unknown>, signal: AbortSignal) => Promise<ToolResult> };
const text = (t: string): ToolResult => ({ content: [{ type: 'text', text: t }] });

const TOOLS: Record<string, Tool> = {
  get_weather: {
    description: 'Weather for a city',
    run: async (args) => {
      const place = await runNode({ id: 'geocode', type: 'http' }, args.city, async (city) => {
        await sleep(20 + Math.random() * 80);
        if (city === 'Atlantis') throw new Error(`no such city: ${String(city)}`);
        return { city, lat: 52.5, lon: 13.4 };
      });
      const forecast = await runNode({ id: 'forecast', type: 'http' }, place, async () => {
        await sleep(50 + Math.random() * 200);
        return { tempC: Math.round(5 + Math.random() * 20), sky: Math.random() > 0.5 ? 'sunny' : 'cloudy' };
      });
      return text(`${String(args.city)}: ${forecast.tempC}°C, ${forecast.sky}`);
    },
  },
  search_docs: {
    description: 'Searches three indexes in parallel',
    run: async (args) => {
      const hits = await Promise.all(['guides', 'api', 'blog'].map((index) =>
        runNode({ id: `search-${index}`, name: 'search-index', type: 'search' }, { index, query: args.query }, async () => {
          await sleep(10 + Math.random() * 120);
          return [`${index}: ${String(args.query)} explained`];
        })));
      console.log(`found ${hits.flat().length} hits for ${String(args.query)}`);
      return text(hits.flat().join('\n'));
    },
  },
  calculate: {
    description: 'Evaluates a + b, a / b …',
    run: async (args) => {
      const { a, b, op } = args as { a: number; b: number; op: string };
      if (op === '/' && b === 0) return { isError: true, content: [{ type: 'text', text: 'division by zero' }] };
      const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;
      return text(String(r));
    },
  },
  summarize_corpus: {
    description: 'A long-running tool: reads many chunks, one node each',
    run: async (args, signal) => {
      const chunks = Number(args.chunks ?? 10);
      const ms = Number(args.chunkMs ?? 2_000);
      for (let i = 0; i < chunks; i++) {
        await node({ id: `chunk-${i}`, name: 'summarize-chunk', type: 'llm' }, async (n) => {
          console.log(`summarizing chunk ${i + 1}/${chunks}`);
          await sleep(ms, n.signal);
        });
        if (signal.aborted) break;
      }
      return text(`summary of ${chunks} chunks`);
    },
  },
};

/** The tools, traced: each call an execution, announced as cancellable when the service holds a control connection. */
const TRACED = new Map(Object.entries(TOOLS).map(([name, tool]) =>
  [name, traceTool(name, (args: Record<string, unknown>, ctx) => tool.run(args, ctx.signal), { control: { cancel: true } })]));

interface RpcRequest { jsonrpc: '2.0'; id?: string | number; method: string; params?: Record<string, unknown> }

async function handleRpc(rpc: RpcRequest, sessionId: string | undefined): Promise<unknown> {
  switch (rpc.method) {
    case 'initialize':
      return { protocolVersion: '2025-06-18', serverInfo: { name: 'flowtrace-example-tools', version: '1.0.0' }, capabilities: { tools: {} } };
    case 'tools/list':
      return { tools: Object.entries(TOOLS).map(([name, t]) => ({ name, description: t.description, inputSchema: { type: 'object' } })) };
    case 'tools/call': {
      const name = String(rpc.params?.name);
      const tool = TRACED.get(name);
      if (!tool) throw Object.assign(new Error(`unknown tool ${name}`), { code: -32602 });
      const args = (rpc.params?.arguments ?? {}) as Record<string, unknown>;
      const options: ToolCallOptions = { sessionId, requestId: rpc.id, userId: typeof args.user === 'string' ? args.user : undefined };
      return tool(args, options);
    }
    default:
      throw Object.assign(new Error(`method not found: ${rpc.method}`), { code: -32601 });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST' || req.url !== '/mcp') {
    res.writeHead(404).end();
    return;
  }
  let rpc: RpcRequest;
  try {
    rpc = JSON.parse(await readBody(req)) as RpcRequest;
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } }));
    return;
  }
  let sessionId = req.headers['mcp-session-id'] as string | undefined;
  if (rpc.method === 'initialize') sessionId = randomUUID();
  if (sessionId) res.setHeader('mcp-session-id', sessionId);
  res.setHeader('content-type', 'application/json');
  try {
    const result = await handleRpc(rpc, sessionId);
    res.end(JSON.stringify({ jsonrpc: '2.0', id: rpc.id ?? null, result }));
  } catch (err) {
    const e = err as Error & { code?: number };
    res.end(JSON.stringify({ jsonrpc: '2.0', id: rpc.id ?? null, error: { code: e.code ?? -32603, message: e.message } }));
  }
}

/** Starts the tool server. */
export async function startMcpServer(port = 0, host = '127.0.0.1'): Promise<Running> {
  const server = createServer((req, res) => void onRequest(req, res));
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}/mcp`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  void main('mcp-tools', () => startMcpServer(portFromEnv(3003), process.env.HOST ?? '127.0.0.1'));
}
