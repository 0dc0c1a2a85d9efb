/**
 * A cap on the connections one client address holds open. Past it, a new connection is
 * answered 503 with Retry-After and closed before any request on it is read, so one client
 * (a slow-body attacker, a leaking exporter) cannot take every socket the process can hold.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export const DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 256;

const REFUSAL = Buffer.from(
  'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\n\r\n'
  + '{"code":"FT_TOO_MANY_CONNECTIONS","message":"Too many connections from this address (see --max-connections-per-client)","statusCode":503}',
);

/** Counts open connections per remote address on `server` and refuses those past `max`. */
export function capConnectionsPerClient(server: Server, max: number, onRefused: () => void): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      onRefused();
      socket.end(REFUSAL);
      socket.destroySoon?.();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
