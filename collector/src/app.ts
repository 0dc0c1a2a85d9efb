/**
 * buildApp(options): the Fastify app with every route, on an opened storage. Nothing
 * listens here (server.ts does), so tests can use inject() or listen on 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { accessOfRequest, type Access, presentedToken, redactUrl, requestPath, stampAccess, tokenMatches } from './auth.js';
import { refusedHost, type HostPolicy } from './host-check.js';
import { errors, FlowtraceError } from './errors.js';
import { otlpRoutes } from './ingest/otlp-routes.js';
import { zipkinRoutes } from './ingest/zipkin-routes.js';
import { controlRoutes } from './control/control-routes.js';
import { ControlHub } from './control/hub.js';
import { Metrics } from './metrics.js';
import { catalogRoutes } from './query/catalog-routes.js';
import { executionsRoutes } from './query/executions-routes.js';
import { exportRoutes } from './query/export-routes.js';
import { flowsRoutes } from './query/flows-routes.js';
import { jaegerRoutes } from './query/jaeger-routes.js';
import { LiveFeed } from './query/live-feed.js';
import { liveRoutes } from './query/live-routes.js';
import { metricsRoutes } from './query/metrics-routes.js';
import { OPENAPI_OPTIONS, SHARED_SCHEMAS } from './api/openapi.js';
import { health, openapiDocument, prometheusMetrics } from './api/routes/service.js';
import { sqlRoutes } from './query/sql-routes.js';
import { tempoRoutes } from './query/tempo-routes.js';
import { consoleRoutes } from './query/console-routes.js';
import { whyRoutes } from './query/why-routes.js';
import type { Storage } from './storage/index.js';
import type { IngestDecoder } from './ingest/workers/decoder.js';

export interface AppOptions {
  storage: Storage;
  feed: LiveFeed;
  metrics: Metrics;
  /** Directory of the built viewer; default ../../viewer/dist next to this package. */
  viewerDir?: string;
  ingestToken?: string;
  queryToken?: string;
  /** Token of the control routes (cancel, replay); control is off without it. */
  controlToken?: string;
  /** How long a control request waits for the service's answer; default 10 s. */
  controlAnswerTimeoutMs?: number;
  /** Origins allowed by CORS; none by default. */
  corsOrigins?: string[];
  maxBodyBytes?: number;
  /** Where ingest bodies are decoded (worker threads or inline); default inline on the main thread. */
  ingestDecoder?: IngestDecoder;
  /** Which Host headers are answered (DNS rebinding); none checked when absent. */
  hostPolicy?: HostPolicy;
  /** Time to receive a whole request (headers and body) before 408; default 30 s. */
  requestTimeoutMs?: number;
  logger?: boolean;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Headers must arrive within this, or within the request timeout when that is shorter. */
const HEADERS_TIMEOUT_MS = 10_000;

export const DEFAULT_VIEWER_DIR = fileURLToPath(new URL('../../viewer/dist/', import.meta.url));

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger
      ? {
        level: 'info',
        redact: ['req.headers.authorization'],
        // The default request serializer logs the URL as sent, access_token included.
        serializers: {
          req: (request: { method: string; url: string; hostname?: string; ip?: string }) => ({
            method: request.method,
            url: redactUrl(request.url, [options.ingestToken, options.queryToken, options.controlToken]),
            hostname: request.hostname,
            remoteAddress: request.ip,
          }),
        },
      }
      : false,
    bodyLimit: 1024 * 1024,
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    // Node checks the timeouts every connectionsCheckingInterval (30 s by its default).
    http: {
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(1_000, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
    forceCloseConnections: 'idle',
  });
  const { storage, feed, metrics } = options;

  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, OPENAPI_OPTIONS);
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    await app.register(cors, { origin: options.corsOrigins, methods: ['GET', 'POST', 'DELETE'] });
  }

  /** Throws 401 unless the request presents the token that `access` needs (if one is set). */
  const requireToken = (request: FastifyRequest, reply: FastifyReply, access: Access | undefined): void => {
    const expected = access === 'ingest' ? options.ingestToken : access === 'query' ? options.queryToken
      : access === 'control' ? options.controlToken : undefined;
    if (expected !== undefined && !tokenMatches(expected, presentedToken(request))) {
      reply.header('www-authenticate', 'Bearer');
      throw errors.FT_UNAUTHORIZED();
    }
  };
  // Every route gets its access class when it is registered (auth.ts); requests are judged by
  // the route they matched, so no spelling of a path reaches a route past its token.
  // The viewer's own files (fastify-static marks each route with its rootPath) are public: the
  // viewer asks for the query token itself.
  app.addHook('onRoute', (route) => stampAccess(route, (route.config as { rootPath?: unknown } | undefined)?.rootPath !== undefined ? 'public' : undefined));
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (options.hostPolicy) {
      const refused = refusedHost(options.hostPolicy, request.headers.host, request.raw.url ?? '');
      if (refused !== undefined) {
        throw errors.FT_HOST_NOT_ALLOWED(`"${refused.slice(0, 100)}" is not answered: this collector answers localhost, 127.0.0.1 and [::1]${options.hostPolicy.allowed.length ? ` and ${options.hostPolicy.allowed.join(', ')}` : ''}. To answer another name, start it with --allowed-hosts NAME`);
      }
    }
    const access = accessOfRequest(request);
    // With control off, its routes answer so before anything else (validation included).
    if (access === 'control' && (options.controlToken ?? '') === '') throw errors.FT_CONTROL_OFF();
    requireToken(request, reply, access);
  });

  app.setErrorHandler((error, request, reply) => {
    const coded = toApiError(error);
    if (coded.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    if (coded.retryAfterSeconds !== undefined) reply.header('retry-after', String(coded.retryAfterSeconds));
    return reply.code(coded.statusCode).type('application/json').send(coded.toJSON());
  });

  await app.register(otlpRoutes, {
    storage,
    maxBodyBytes: options.maxBodyBytes,
    decoder: options.ingestDecoder,
    onResult: (outcome) => metrics.recordIngest(outcome),
  });
  await app.register(zipkinRoutes, {
    storage,
    maxBodyBytes: options.maxBodyBytes,
    decoder: options.ingestDecoder,
    onResult: (outcome) => metrics.recordIngest(outcome),
  });
  await app.register(executionsRoutes, { storage });
  await app.register(flowsRoutes, { storage });
  await app.register(whyRoutes, { storage });
  await app.register(consoleRoutes, { storage });
  await app.register(catalogRoutes, { storage });
  await app.register(metricsRoutes, { storage });
  await app.register(sqlRoutes, { storage });
  await app.register(exportRoutes, { storage });
  await app.register(liveRoutes, { feed });
  await app.register(controlRoutes, {
    storage, hub: new ControlHub({ answerTimeoutMs: options.controlAnswerTimeoutMs }), enabled: (options.controlToken ?? '') !== '',
  });
  await app.register(jaegerRoutes, { storage, prefix: '/jaeger' });
  await app.register(tempoRoutes, { storage, prefix: '/tempo' });

  app.get('/api/openapi.json', { schema: openapiDocument }, async () => app.swagger());
  app.get('/healthz', { schema: health }, async () => ({ status: 'ok', queuedRows: storage.writer.stats.queuedRows }));
  app.get('/metrics', { schema: prometheusMetrics }, async (_request, reply) =>
    reply.type('text/plain; version=0.0.4').send(metrics.render(storage.writer.stats, feed.stats)),
  );

  await registerViewer(app, options.viewerDir ?? DEFAULT_VIEWER_DIR, requireToken);
  return app;
}

async function registerViewer(
  app: FastifyInstance,
  viewerDir: string,
  requireToken: (request: FastifyRequest, reply: FastifyReply, access: Access) => void,
): Promise<void> {
  const hasViewer = existsSync(`${viewerDir}/index.html`);
  if (hasViewer) {
    await app.register(fastifyStatic, { root: viewerDir, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = requestPath(request.url);
    const isPage = request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/v1/');
    if (!isPage) {
      // Without its area's token, a missing route answers as a guarded one does: routes cannot
      // be told apart, or listed, without the token.
      requireToken(request, reply, path.startsWith('/v1/') ? 'ingest' : 'query');
      const error = errors.FT_ROUTE_NOT_FOUND(`${request.method} ${path}`);
      return reply.code(404).send(error.toJSON());
    }
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    if (!hasViewer) {
      return reply.code(200).type('text/html').send('<!doctype html><title>flowtrace</title><p>The viewer is not built. Run <code>pnpm build</code>.</p>');
    }
    return reply.type('text/html').sendFile('index.html');
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    }
    return payload;
  });
}

function toApiError(error: unknown): FlowtraceError {
  if (error instanceof FlowtraceError) return error;
  const e = error as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  if (e?.validation) return errors.FT_BAD_REQUEST(e.message);
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return errors.FT_BODY_TOO_LARGE();
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return errors.FT_UNSUPPORTED_MEDIA_TYPE();
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new FlowtraceError(typeof e.code === 'string' && e.code.startsWith('FT_') ? e.code : 'FT_BAD_REQUEST', e.statusCode, e.message ?? 'Bad request');
  }
  return errors.FT_INTERNAL();
}
