/**
 * Fastify plugin: every request is an execution (kind http_handler, trigger http) named by
 * its route pattern (`POST /orders/:id`), with params, query and parsed body as its input and
 * the status code and reply payload as its output. Route handlers run inside the execution's
 * context (they are wrapped at registration, so register this plugin before the routes),
 * which is what ties nodes and console lines inside them to the request. Typed structurally
 * so the package does not depend on fastify.
 *
 * With `control: { cancel: true }` every traced route is announced as `http:<METHOD> <route>`
 * and its running requests can be cancelled from the collector: `currentSignal()` inside the
 * handler (and every node's signal) fires, and the execution ends `cancelled` when the reply
 * ends, with the status code sent.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, type Attributes } from '@opentelemetry/api';
import {
  ATTR_FLOW_ID, ATTR_FLOW_NAME, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH, ATTR_USER_AGENT,
} from '../conventions.js';
import { openExecution } from '../execution.js';
import type { Frame } from '../frame.js';
import { rt } from '../runtime.js';
import { closeFrame } from '../spans.js';
import { serializePayload } from '../capture/serialize.js';
import type { OwnAbort } from '../run.js';
import { abortOutcome, announceHandler, handlerCanceller, trackHandlerRun, type HandlerControl } from './control.js';
import { splitUrl } from './http.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
interface RequestLike {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  routeOptions?: { url?: string };
  params?: unknown;
  query?: unknown;
  body?: unknown;
}
interface ReplyLike {
  statusCode: number;
}
type Done = (err?: Error | null, value?: unknown) => void;
/** The part of a Fastify instance the plugin uses. */
export interface FastifyLike {
  addHook(name: string, hook: (...args: any[]) => unknown): unknown;
}

/** Options of {@link flowtraceFastify}. */
export interface FastifyTracingOptions {
  /** flow.name of an execution; default `METHOD /route/:pattern`. */
  name?: (request: RequestLike) => string;
  /** enduser.id of an execution. */
  userId?: (request: RequestLike) => string | undefined;
  /** Continue a trace from an incoming `traceparent` header. Default false. */
  continueTrace?: boolean;
  /** Routes not traced (matched on the route pattern, e.g. `/healthz`). */
  ignoreRoutes?: readonly string[];
  /** Let the collector cancel running requests of the traced routes (`setupTracing({ control: true })`). Off unless set. */
  control?: HandlerControl;
}

const FRAME = Symbol('flowtrace.frame');
interface TracedRequest extends RequestLike {
  [FRAME]?: Frame & { replyError?: unknown };
}

/** The plugin: `await app.register(flowtraceFastify, options)` before declaring routes. */
export function flowtraceFastify(fastify: FastifyLike, options: FastifyTracingOptions, done: (err?: Error) => void): void {
  const ignored = new Set(options.ignoreRoutes ?? []);

  fastify.addHook('onRoute', (route: { handler?: (...a: any[]) => unknown; method?: string | string[]; url?: string }) => {
    if (options.control?.cancel && route.url !== undefined && !ignored.has(route.url)) {
      // HEAD routes are the ones Fastify adds beside each GET: the GET is the route users know.
      for (const method of [route.method ?? []].flat()) if (method !== 'HEAD') announceHandler(routeId(method, route.url), `${method} ${route.url}`);
    }
    const handler = route.handler;
    if (typeof handler !== 'function') return;
    route.handler = function tracedRoute(this: unknown, request: TracedRequest, reply: unknown): unknown {
      const frame = request[FRAME];
      return frame ? context.with(frame.ctx, handler, this, request, reply) : handler.call(this, request, reply);
    };
  });

  fastify.addHook('onRequest', (request: TracedRequest, _reply: ReplyLike, next: Done) => {
    const route = request.routeOptions?.url;
    if (route !== undefined && ignored.has(route)) return next();
    const id = route === undefined ? undefined : routeId(request.method, route);
    const controller = id === undefined ? undefined : handlerCanceller(options.control, id);
    const { frame, own } = openRequest(request, route, options, options.control?.cancel ? id : undefined, controller);
    if (!frame) return next();
    if (id !== undefined) trackHandlerRun(frame, own, id, controller);
    request[FRAME] = frame;
    context.with(frame.ctx, next);
  });

  fastify.addHook('preHandler', (request: TracedRequest, _reply: ReplyLike, next: Done) => {
    const frame = request[FRAME];
    const r = rt();
    if (frame && r.capture.payloads) {
      const text = serializePayload(
        { params: request.params, query: request.query, body: request.body },
        { maxLength: r.capture.maxPayloadLength, redactor: r.redactor },
      );
      if (text !== undefined) frame.span.setAttribute(frame.inputAttr, text);
    }
    next();
  });

  fastify.addHook('onSend', (request: TracedRequest, reply: ReplyLike, payload: unknown, next: Done) => {
    const frame = request[FRAME];
    if (frame && rt().capture.payloads && !frame.explicitOutput) {
      frame.explicitOutput = { value: { statusCode: reply.statusCode, body: parseBody(payload) } };
    }
    next(null, payload);
  });

  fastify.addHook('onError', (request: TracedRequest, _reply: ReplyLike, error: unknown, next: Done) => {
    const frame = request[FRAME];
    if (frame) frame.replyError = error;
    next();
  });

  fastify.addHook('onResponse', (request: TracedRequest, reply: ReplyLike, next: Done) => {
    const frame = request[FRAME];
    if (frame) {
      frame.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      const aborted = abortOutcome(frame);
      if (aborted) closeFrame(frame, aborted, frame.abort?.signal.reason);
      else if (reply.statusCode >= 500) closeFrame(frame, 'error', frame.replyError, frame.replyError ? undefined : `HTTP ${reply.statusCode}`);
      else closeFrame(frame, 'success', undefined);
    }
    next();
  });

  fastify.addHook('onRequestAbort', (request: TracedRequest, next: Done) => {
    const frame = request[FRAME];
    if (frame) closeFrame(frame, 'cancelled', new Error('client aborted the request'));
    next();
  });

  fastify.addHook('onTimeout', (request: TracedRequest, _reply: ReplyLike, next: Done) => {
    const frame = request[FRAME];
    if (frame) closeFrame(frame, 'timed_out', new Error('request timed out'));
    next();
  });

  done();
}
// Like fastify-plugin: hooks apply to the whole app, not an encapsulated child context.
(flowtraceFastify as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
(flowtraceFastify as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] = '@flowtrace/instrumentation';

/** The id a route is announced under, and its executions' flow.id. */
function routeId(method: string, route: string): string {
  return `http:${method} ${route}`;
}

function openRequest(
  request: RequestLike, route: string | undefined, options: FastifyTracingOptions, flowId: string | undefined, controller: AbortController | undefined,
): { frame: Frame | undefined; own: OwnAbort | undefined } {
  const path = rt().redactor.redactText(splitUrl(request.url)[0]); // a token or card number in the path never leaves
  const name = options.name?.(request) ?? `${request.method} ${route ?? path}`;
  const attrs: Attributes = { [ATTR_FLOW_NAME]: name, [ATTR_HTTP_REQUEST_METHOD]: request.method, [ATTR_URL_PATH]: path };
  if (route !== undefined) attrs[ATTR_HTTP_ROUTE] = route;
  if (flowId !== undefined) attrs[ATTR_FLOW_ID] = flowId;
  const ua = request.headers['user-agent'];
  if (typeof ua === 'string') attrs[ATTR_USER_AGENT] = ua;
  const parentCtx = options.continueTrace ? propagation.extract(ROOT_CONTEXT, request.headers) : undefined;
  return openExecution(
    { kind: 'http_handler', spanName: name, spanKind: SpanKind.SERVER, nodeId: name, nodeType: 'http', attributes: attrs, parentCtx },
    { trigger: { type: 'http', data: { method: request.method, path, route } }, userId: options.userId?.(request), signal: controller?.signal },
  );
}

function parseBody(payload: unknown): unknown {
  if (typeof payload !== 'string') return Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
  // Past the cap the text would be cut anyway: keep it as text instead of parsing it whole.
  if (payload.length > rt().capture.maxPayloadLength) return payload;
  if (payload.length > 0 && (payload[0] === '{' || payload[0] === '[')) {
    try { return JSON.parse(payload); } catch { return payload; }
  }
  return payload;
}
