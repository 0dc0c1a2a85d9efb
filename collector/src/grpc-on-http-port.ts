/**
 * A gRPC exporter pointed at the OTLP/HTTP port (4318 instead of 4317) opens with the HTTP/2
 * connection preface `PRI * HTTP/2.0`, which Node's HTTP/1 parser refuses as a client error
 * before any route runs. Left alone, the exporter only sees its connection drop. This watches
 * the server's 'clientError' event for that preface: it counts it, warns (at most once a minute)
 * with a hint to use the gRPC port, and answers in HTTP/2 — an empty SETTINGS frame and a
 * GOAWAY with HTTP_1_1_REQUIRED carrying the hint as debug data — so the client fails fast
 * with that reason. Every other client error goes to the listeners that were there before.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

const PREFACE = 'PRI * HTTP/2.0';
/** HTTP/2 error code HTTP_1_1_REQUIRED (RFC 9113 §7). */
const HTTP_1_1_REQUIRED = 0xd;
const WARN_EVERY_MS = 60_000;

export interface GrpcOnHttpPortOptions {
  /** The OTLP/gRPC port to suggest, or undefined when gRPC is off (asked when a client comes). */
  grpcPort: () => number | undefined;
  /** Called for each such connection (metrics). */
  onDetected: () => void;
  /** Writes the warning (the server's log, or stderr). */
  warn: (message: string) => void;
}

/** An HTTP/2 frame: 9-byte header (length, type, flags, stream 0) and payload. */
function frame(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header.writeUInt8(type, 3);
  return Buffer.concat([header, payload]);
}

/** The bytes that answer an HTTP/2 client: SETTINGS (empty), then GOAWAY with the hint. */
export function goAwayBytes(hint: string): Buffer {
  const goAway = Buffer.alloc(8);
  goAway.writeUInt32BE(0, 0); // last stream id: none was processed
  goAway.writeUInt32BE(HTTP_1_1_REQUIRED, 4);
  return Buffer.concat([frame(0x4, Buffer.alloc(0)), frame(0x7, Buffer.concat([goAway, Buffer.from(hint, 'utf8')]))]);
}

function isHttp2Preface(error: Error & { code?: string; rawPacket?: Buffer }): boolean {
  if (error.code === 'HPE_PAUSED_H2_UPGRADE') return true;
  return Buffer.isBuffer(error.rawPacket) && error.rawPacket.subarray(0, PREFACE.length).toString('latin1') === PREFACE;
}

/** Installs the watch on an HTTP/1 server (before or after it listens). */
export function watchGrpcOnHttpPort(server: Server, options: GrpcOnHttpPortOptions): void {
  const previous = server.listeners('clientError') as Array<(error: Error, socket: Duplex) => void>;
  server.removeAllListeners('clientError');
  let lastWarning = -Infinity;
  const hintOf = (grpcPort: number | undefined) => grpcPort === undefined
    ? 'this is the OTLP/HTTP port of flowtrace and its OTLP/gRPC receiver is off (--grpc-port); export with OTLP/HTTP (http/protobuf or http/json)'
    : `this is the OTLP/HTTP port of flowtrace; send OTLP/gRPC to port ${grpcPort}, or export with OTLP/HTTP here`;
  server.on('clientError', (error: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex) => {
    if (!isHttp2Preface(error)) {
      for (const listener of previous) listener.call(server, error, socket);
      if (previous.length === 0) socket.destroy();
      return;
    }
    options.onDetected();
    const hint = hintOf(options.grpcPort());
    const now = Date.now();
    if (now - lastWarning >= WARN_EVERY_MS) {
      lastWarning = now;
      options.warn(`flowtrace: a gRPC (HTTP/2) client connected to the OTLP/HTTP port: ${hint}`);
    }
    if (socket.writable) socket.end(goAwayBytes(hint));
    else socket.destroy();
  });
}
