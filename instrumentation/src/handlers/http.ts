/**
 * Plain Node HTTP handlers: `traceHttpHandler(handler)` turns each request into an execution
 * (kind http_handler, trigger http) with OTel's HTTP attribute names. The span ends when the
 * response finishes (5xx → error) or the client goes away first (cancelled). The handler's
 * `this`, return value and thrown error are unchanged; request bodies are the handler's to
 * read, so record a parsed body with setInput(). The response body written through
 * res.write/res.end is captured as the output when payload capture is on.
 *
 * With `control: { cancel: true }` its runs can be cancelled from the collector: the handler's
 * third argument `{ signal }` fires, and the execution ends `cancelled` when the response
 * ends — not before: a handler that ignores the signal shows as running until it answers, with
 * the status code it sent and the time the cancel arrived (an event).
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, type Attributes } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ATTR_FLOW_ID, ATTR_FLOW_NAME, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_URL_PATH, ATTR_URL_QUERY, ATTR_USER_AGENT,
} from '../conventions.js';
import { openExecution } from '../execution.js';
import type { Frame } from '../frame.js';
import { rt } from '../runtime.js';
import { classify, NEVER_ABORTED, type OwnAbort } from '../run.js';
import { closeFrame } from '../spans.js';
import { capText } from '../capture/serialize.js';
import { abortOutcome, announceHandler, handlerCanceller, trackHandlerRun, type HandlerContext, type HandlerControl } from './control.js';

/** Options of {@link traceHttpHandler}. */
export interface HttpHandlerOptions {
  /** flow.name of each execution; default `METHOD /path`. A function gets the request. */
  name?: string | ((req: IncomingMessage) => string);
  /** Continue a trace from an incoming `traceparent` header instead of starting one. Default false. */
  continueTrace?: boolean;
  /** enduser.id from the request (e.g. a verified header). */
  userId?: (req: IncomingMessage) => string | undefined;
  /** Let the collector cancel running requests (`setupTracing({ control: true })`). Off unless set. */
  control?: HandlerControl;
  /**
   * flow.id of its executions when control is set, the id it is announced under: default
   * `http:<name>` (`http:handler` when `name` is a function). Give one per handler when a
   * service wraps several with a function name.
   */
  id?: string;
}

/** A `(req, res)` handler; a traced one also gets `{ signal }`. */
export type HttpHandler<T> = (this: T, req: IncomingMessage, res: ServerResponse, ctx: HandlerContext) => unknown;
type Handler<T> = (this: T, req: IncomingMessage, res: ServerResponse) => unknown;

/** Splits a request URL into path and query without allocating a URL object. */
export function splitUrl(url: string | undefined): [string, string | undefined] {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? [raw, undefined] : [raw.slice(0, q), raw.slice(q + 1)];
}

/** Wraps a `(req, res)` handler so that every request is a traced execution. */
export function traceHttpHandler<T = unknown>(handler: HttpHandler<T>, options: HttpHandlerOptions = {}): Handler<T> {
  const id = options.id ?? `http:${typeof options.name === 'string' ? options.name : 'handler'}`;
  if (options.control?.cancel) announceHandler(id, typeof options.name === 'string' ? options.name : id);
  return function tracedHttpHandler(this: T, req: IncomingMessage, res: ServerResponse): unknown {
    const controller = handlerCanceller(options.control, id);
    const { frame, own } = openRequest(req, options, options.control?.cancel ? id : undefined, controller);
    if (!frame) return handler.call(this, req, res, { signal: NEVER_ABORTED });
    trackHandlerRun(frame, own, id, controller);
    watchResponse(frame, res);
    const ctx: HandlerContext = { signal: frame.abort?.signal ?? NEVER_ABORTED };
    let result: unknown;
    try {
      result = context.with(frame.ctx, handler, this, req, res, ctx);
    } catch (err) {
      closeFrame(frame, classify(err, frame.abort), err);
      throw err;
    }
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      // Derived promise rethrowing the same error: an unhandled rejection stays unhandled.
      return (result as PromiseLike<unknown>).then(undefined, (err: unknown) => {
        closeFrame(frame, classify(err, frame.abort), err);
        throw err;
      });
    }
    return result;
  };
}

function openRequest(
  req: IncomingMessage, options: HttpHandlerOptions, flowId: string | undefined, controller: AbortController | undefined,
): { frame: Frame | undefined; own: OwnAbort | undefined } {
  const method = req.method ?? 'GET';
  const r = rt();
  const [rawPath, query] = splitUrl(req.url);
  const path = r.redactor.redactText(rawPath); // a token or card number in the path never leaves
  const name = typeof options.name === 'function' ? options.name(req) : options.name ?? `${method} ${path}`;
  const attrs: Attributes = {
    [ATTR_FLOW_NAME]: name,
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_PATH]: path,
  };
  if (flowId !== undefined) attrs[ATTR_FLOW_ID] = flowId;
  if (query !== undefined) attrs[ATTR_URL_QUERY] = capText(r.redactor.redactQuery(query), 2048, r.redactor);
  const ua = req.headers['user-agent'];
  if (ua) attrs[ATTR_USER_AGENT] = ua;
  const parentCtx = options.continueTrace ? propagation.extract(ROOT_CONTEXT, req.headers) : undefined;
  return openExecution(
    { kind: 'http_handler', spanName: name, spanKind: SpanKind.SERVER, nodeId: name, nodeType: 'http', attributes: attrs, parentCtx },
    { trigger: { type: 'http', data: { method, path } }, userId: options.userId?.(req), signal: controller?.signal },
  );
}

/**
 * Ends the frame with the response: finish → status by code; close before finish → cancelled.
 * Once its signal fired (a cancel), however the response ends the execution ends cancelled.
 */
export function watchResponse(frame: Frame, res: ServerResponse): void {
  if (rt().capture.payloads) captureBody(frame, res);
  res.once('finish', () => {
    frame.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    const aborted = abortOutcome(frame);
    if (aborted) closeFrame(frame, aborted, frame.abort?.signal.reason);
    else if (res.statusCode >= 500) closeFrame(frame, 'error', undefined, `HTTP ${res.statusCode}`);
    else closeFrame(frame, 'success', { statusCode: res.statusCode, body: bodyOf(frame) });
  });
  res.once('close', () => {
    if (frame.ended || res.writableFinished) return;
    const aborted = abortOutcome(frame);
    if (aborted) closeFrame(frame, aborted, frame.abort?.signal.reason);
    else closeFrame(frame, 'cancelled', new Error('client closed the connection before the response was sent'));
  });
}

function bodyOf(frame: Frame): unknown {
  if (!frame.sent || frame.sent.length === 0) return undefined;
  const text = frame.sent.join('');
  if (text.length > 0 && (text[0] === '{' || text[0] === '[')) {
    try { return JSON.parse(text); } catch { return text; }
  }
  return text;
}

function captureBody(frame: Frame, res: ServerResponse): void {
  const max = rt().capture.maxPayloadLength;
  let size = 0;
  const keep = (chunk: unknown): void => {
    if (size > max || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '';
    size += text.length;
    (frame.sent ??= []).push(text);
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]): boolean {
    keep(chunk);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]): ServerResponse {
    keep(chunk);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}
