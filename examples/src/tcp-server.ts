/**
 * Example: a TCP line server. Every connection is one execution; every data event runs the
 * handler, which splits the chunk into lines and answers each command in a node:
 *   PING · ECHO <text> · SUM <n> <n> … · SLOW <ms> · FAIL · QUIT
 * Errors are answered with `ERR <message>` (a throwing 'data' listener would crash the process).
 * A connection can be cancelled from the viewer: the server then answers `CANCELLED <reason>`
 * and closes it, and a SLOW command in progress stops.
 */
import { node, traceTcpConnections, type HandlerContext } from '@flowtrace/instrumentation';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { main, portFromEnv, sleep, type Running } from './service-main.js';

async function answer(line: string, signal: AbortSignal): Promise<string> {
  const [cmd = '', ...args] = line.trim().split(/\s+/);
  switch (cmd.toUpperCase()) {
    case 'PING': return 'PONG';
    case 'ECHO': return args.join(' ');
    case 'SUM': {
      const nums = args.map(Number);
      if (nums.some((n) => Number.isNaN(n))) throw new TypeError(`not a number in ${args.join(' ')}`);
      return String(nums.reduce((a, b) => a + b, 0));
    }
    case 'SLOW': {
      const ms = Math.min(Number(args[0] ?? 1000), 120_000);
      console.log(`working for ${ms} ms`);
      await sleep(ms, signal);
      return `DONE ${ms}`;
    }
    case 'FAIL': throw new Error('command FAIL always fails');
    default: throw new Error(`unknown command ${cmd}`);
  }
}

/** Handles one connection: each data event is traced by the instrumentation. */
function onConnection(socket: Socket, ctx: HandlerContext): void {
  socket.setEncoding('utf8');
  socket.on('error', () => undefined);
  ctx.signal.addEventListener('abort', () => socket.end(`CANCELLED ${(ctx.signal.reason as Error).message}\n`), { once: true });
  socket.on('data', async (chunk: string) => {
    for (const line of chunk.split('\n').filter((l) => l.trim() !== '')) {
      if (line.trim().toUpperCase() === 'QUIT') {
        socket.end('BYE\n');
        return;
      }
      try {
        const reply = await node({ id: 'command', name: line.trim().split(/\s+/)[0]?.toUpperCase() ?? 'command', type: 'tcp.command' }, (n) => answer(line, n.signal));
        socket.write(`${reply}\n`);
      } catch (err) {
        if (socket.writableEnded) return; // cancelled: the connection is closing
        console.error(`command failed: ${(err as Error).message}`);
        socket.write(`ERR ${(err as Error).message}\n`);
      }
    }
  });
}

/** Starts the line server. */
export async function startTcpServer(port = 0, host = '127.0.0.1'): Promise<Running> {
  const server = createServer(traceTcpConnections(onConnection, { name: 'line-server', control: { cancel: true } }));
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `tcp://${host}:${address.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Connections that stay open would keep close() waiting; the demo's long ones end within a minute.
      setTimeout(resolve, 2_000).unref();
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  void main('line-server', () => startTcpServer(portFromEnv(3002), process.env.HOST ?? '127.0.0.1'));
}
