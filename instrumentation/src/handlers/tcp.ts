/**
 * TCP servers: one execution per connection (kind tcp_handler, trigger tcp, peer address and
 * port), and each run of a 'data' listener a child span, indexed in arrival order, with the
 * chunk as input and what the handler wrote back as output. The connection listener and the
 * data listeners are the user's own: the socket's `on/addListener/prependListener` are
 * patched on that one socket so 'data' listeners run inside a node span, and `write` is
 * patched to capture what is sent. The execution ends when the socket closes.
 *
 * With `control: { cancel: true }` a connection can be cancelled from the collector: the
 * `{ signal }` handed to the connection listener (and `currentSignal()` in data listeners)
 * fires, and the execution ends `cancelled` when the socket closes. Closing it is the
 * handler's call: a handler that ignores the signal keeps the connection, shown as running.
 */
import { context, SpanKind, type Attributes } from '@opentelemetry/api';
import type { Socket } from 'node:net';
import {
  ATTR_FLOW_ID, ATTR_FLOW_NAME, ATTR_NETWORK_PEER_ADDRESS, ATTR_NETWORK_PEER_PORT, ATTR_NODE_ID, ATTR_NODE_INDEX, ATTR_NODE_INPUT,
  ATTR_NODE_NAME, ATTR_NODE_OUTPUT, ATTR_NODE_STATUS, ATTR_NODE_TYPE,
} from '../conventions.js';
import { capText } from '../capture/serialize.js';
import { openExecution } from '../execution.js';
import { frameOf, type Frame } from '../frame.js';
import { rt } from '../runtime.js';
import { NEVER_ABORTED, runTraced, type OwnAbort } from '../run.js';
import { closeFrame, NO_INPUT, openFrame } from '../spans.js';
import { abortOutcome, announceHandler, handlerCanceller, trackHandlerRun, type HandlerContext, type HandlerControl } from './control.js';

/** Options of {@link traceTcpConnections}. */
export interface TcpHandlerOptions {
  /** flow.name of each connection's execution. Default `tcp <local port>`. */
  name?: string;
  /** Let the collector cancel open connections (`setupTracing({ control: true })`); announced as `tcp:<name>`. Off unless set. */
  control?: HandlerControl;
}

type Listener = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Wraps a `net.createServer` connection listener so each connection is a traced execution. */
export function traceTcpConnections<T = unknown>(
  onConnection: (this: T, socket: Socket, ctx: HandlerContext) => void, options: TcpHandlerOptions = {},
): (this: T, socket: Socket) => void {
  if (options.control?.cancel && options.name !== undefined) announceHandler(`tcp:${options.name}`, options.name);
  return function tracedConnection(this: T, socket: Socket): void {
    const name = options.name ?? `tcp ${socket.localPort ?? ''}`.trim();
    const id = `tcp:${name}`;
    // Without a name the id is known at the first connection (it holds the port).
    if (options.control?.cancel && options.name === undefined) announceHandler(id, name);
    const controller = handlerCanceller(options.control, id);
    const { frame, own } = openConnection(socket, name, options.control?.cancel ? id : undefined, controller);
    if (!frame) return onConnection.call(this, socket, { signal: NEVER_ABORTED });
    trackHandlerRun(frame, own, id, controller);
    instrumentSocket(socket, frame);
    context.with(frame.ctx, onConnection, this, socket, { signal: frame.abort?.signal ?? NEVER_ABORTED });
  };
}

function openConnection(
  socket: Socket, name: string, flowId: string | undefined, controller: AbortController | undefined,
): { frame: Frame | undefined; own: OwnAbort | undefined } {
  const attrs: Attributes = { [ATTR_FLOW_NAME]: name };
  if (flowId !== undefined) attrs[ATTR_FLOW_ID] = flowId;
  if (socket.remoteAddress) attrs[ATTR_NETWORK_PEER_ADDRESS] = socket.remoteAddress;
  if (socket.remotePort !== undefined) attrs[ATTR_NETWORK_PEER_PORT] = socket.remotePort;
  return openExecution(
    { kind: 'tcp_handler', spanName: name, spanKind: SpanKind.SERVER, nodeId: name, nodeType: 'tcp', attributes: attrs },
    { trigger: { type: 'tcp', data: { peer: `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`, localPort: socket.localPort } }, signal: controller?.signal },
  );
}

function instrumentSocket(socket: Socket, conn: Frame): void {
  let bytesIn = 0;
  let failure: unknown;
  const wrapData = (listener: Listener): Listener => {
    const wrapped = function tracedData(this: unknown, chunk: Buffer | string): unknown {
      bytesIn += chunk.length;
      const frame = openData(conn, chunk);
      return runTraced(frame, undefined, () => listener.call(this, chunk));
    };
    // EventEmitter.removeListener(original) finds wrappers through `.listener`, as with once().
    (wrapped as unknown as { listener: Listener }).listener = listener;
    return wrapped;
  };
  for (const method of ['on', 'addListener', 'prependListener'] as const) {
    const original = socket[method] as (event: string | symbol, l: Listener) => Socket;
    socket[method] = function (this: Socket, event: string | symbol, listener: Listener): Socket {
      return original.call(this, event, event === 'data' && typeof listener === 'function' ? wrapData(listener) : listener);
    } as Socket['on'];
  }
  if (rt().capture.payloads) {
    const write = socket.write;
    socket.write = function (this: Socket, chunk: unknown, ...rest: unknown[]): boolean {
      const frame = frameOf(context.active());
      if (frame && frame.exec === conn.exec && !frame.ended && frame !== conn) {
        const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '';
        (frame.sent ??= []).push(text);
      }
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Socket['write'];
  }
  socket.once('error', (err) => { failure = err; });
  socket.once('close', () => {
    const out = { bytesRead: bytesIn, bytesWritten: socket.bytesWritten };
    const aborted = abortOutcome(conn);
    if (aborted) closeFrame(conn, aborted, conn.abort?.signal.reason);
    else if (failure !== undefined) closeFrame(conn, 'error', failure);
    else closeFrame(conn, 'success', out);
  });
}

function openData(conn: Frame, chunk: Buffer | string): Frame | undefined {
  if (conn.ended) return undefined;
  const index = conn.exec.nodeCounter++;
  const r = rt();
  const attrs: Attributes = {
    [ATTR_NODE_ID]: `data-${index}`,
    [ATTR_NODE_NAME]: 'data',
    [ATTR_NODE_TYPE]: 'tcp.data',
    [ATTR_NODE_INDEX]: index,
  };
  if (r.capture.payloads) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    attrs[ATTR_NODE_INPUT] = JSON.stringify(capText(text, r.capture.maxPayloadLength, r.redactor));
  }
  return openFrame({
    name: 'data', kind: SpanKind.INTERNAL, role: 'node', attributes: attrs, parentCtx: conn.ctx, exec: conn.exec,
    nodeId: `data-${index}`, abort: conn.abort, input: NO_INPUT,
    inputAttr: ATTR_NODE_INPUT, outputAttr: ATTR_NODE_OUTPUT, statusAttr: ATTR_NODE_STATUS,
  });
}
