/**
 * Jaeger's query API for Grafana's Jaeger data source (URL http://host:4318/jaeger), see
 * GRAFANA-API.md: services, operations, search, trace by id and dependencies in Jaeger's
 * envelope `{data,total,limit,offset,errors}` — errors too, with the HTTP status as their code —
 * and the three api_v3 reads (jaeger-v3-routes.ts). Registered with the prefix /jaeger, so
 * auth.ts gives every route the query token's access class. Hidden from the OpenAPI
 * description: this is Jaeger's protocol, documented by Jaeger.
 *
 * Invariants: a search matches a trace when one span satisfies every condition (jaeger-search.ts);
 * a trace answer never has empty `spans` (a trace with no finished span is "not found").
 */
import type { FastifyInstance } from 'fastify';
import { SPAN_KIND_NAMES } from '@flowtrace/instrumentation/conventions';
import type { Storage } from '../storage/index.js';
import { failureOf, paddedTraceId } from './grafana-errors.js';
import { JAEGER_KINDS, toJaegerTrace, type JaegerTrace } from './jaeger-model.js';
import { jaegerCondition, JaegerInputError, parseGoDuration, parseTags } from './jaeger-search.js';
import { jaegerV3Routes } from './jaeger-v3-routes.js';

/** Jaeger's answer shape. */
export function envelope(data: unknown, total = Array.isArray(data) ? data.length : 0): object {
  return { data, total, limit: 0, offset: 0, errors: null };
}

/** Jaeger's error answer: no data, the HTTP status as the error's code. */
export function errorEnvelope(statusCode: number, msg: string): object {
  return { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: statusCode, msg }] };
}

export const JAEGER_TRACE_ID = { type: 'string', pattern: '^[0-9a-fA-F]{1,32}$' } as const;
const NAME = { type: 'string', minLength: 1, maxLength: 1000 } as const;
const DIGITS = { type: 'string', pattern: '^[0-9]{0,19}$' } as const;
const DURATION = { type: 'string', maxLength: 64 } as const;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1500;
const DEFAULT_LOOKBACK_MS = 86_400_000n;

interface SearchQuery {
  service?: string; operation?: string; tags?: string; tag?: string[]; minDuration?: string; maxDuration?: string;
  limit?: string; start?: string; end?: string;
}

const optionalNs = (micros: string | undefined): bigint | undefined => (micros === undefined || micros === '' ? undefined : BigInt(micros) * 1000n);

/** Whole traces in Jaeger's model, in the order asked, leaving out those with no finished span. */
async function jaegerTraces(storage: Storage, traceIds: string[]): Promise<JaegerTrace[]> {
  const spans = await storage.grafana.spansOfTraces(traceIds);
  return traceIds.map((id) => toJaegerTrace(id, spans.get(id) ?? [])).filter((t): t is JaegerTrace => t !== undefined);
}

export async function jaegerRoutes(app: FastifyInstance, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;
  app.setErrorHandler((error, request, reply) => {
    const { statusCode, message } = failureOf(error, request);
    return reply.code(statusCode).type('application/json').send(errorEnvelope(statusCode, message));
  });
  await app.register(jaegerV3Routes, { storage });

  const serviceNames = async (): Promise<string[]> => (await storage.catalog.services()).map((s) => s.serviceName);

  app.get('/api/services', { schema: { hide: true } }, async () => envelope(await serviceNames()));

  app.get<{ Params: { service: string } }>(
    '/api/services/:service/operations',
    { schema: { hide: true, params: { type: 'object', properties: { service: NAME }, required: ['service'] } } },
    async (request) => {
      const names = [...new Set((await storage.grafana.operations(request.params.service)).map((o) => o.name))];
      return envelope(names);
    },
  );

  app.get<{ Querystring: { service: string; spanKind?: string } }>(
    '/api/operations',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: { service: NAME, spanKind: { type: 'string', enum: ['', ...SPAN_KIND_NAMES] } },
          required: ['service'],
        },
      },
    },
    async (request) => {
      const { service, spanKind } = request.query;
      const kind = spanKind === undefined || spanKind === '' ? undefined : spanKind === 'unspecified' ? 0 : JAEGER_KINDS.indexOf(spanKind as 'server');
      const ops = await storage.grafana.operations(service, kind);
      return envelope(ops.map((o) => ({ name: o.name, spanKind: JAEGER_KINDS[o.kind] ?? '' })));
    },
  );

  app.get<{ Querystring: SearchQuery }>(
    '/api/traces',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: {
            service: { type: 'string', maxLength: 1000 }, operation: { type: 'string', maxLength: 1000 },
            tags: { type: 'string', maxLength: 20_000 }, tag: { type: 'array', items: { type: 'string', maxLength: 2000 }, maxItems: 50 },
            minDuration: DURATION, maxDuration: DURATION,
            limit: { type: 'string', pattern: '^[0-9]{0,6}$' }, start: DIGITS, end: DIGITS,
          },
        },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit === undefined || q.limit === '' ? DEFAULT_LIMIT : Number(q.limit);
      if (limit < 1 || limit > MAX_LIMIT) throw new JaegerInputError(`limit must be from 1 to ${MAX_LIMIT}`);
      const fromNs = optionalNs(q.start);
      const toNs = optionalNs(q.end);
      if (fromNs !== undefined && toNs !== undefined && toNs < fromNs) throw new JaegerInputError('end is before start');
      const condition = jaegerCondition({
        service: q.service || undefined,
        operation: q.operation || undefined,
        tags: parseTags(q.tags, q.tag),
        minDurationNs: q.minDuration ? parseGoDuration(q.minDuration, 'minDuration') : undefined,
        maxDurationNs: q.maxDuration ? parseGoDuration(q.maxDuration, 'maxDuration') : undefined,
      });
      const hits = await storage.grafana.searchSpans({ condition, fromNs, toNs, limit, spansPerTrace: 0 });
      return envelope(await jaegerTraces(storage, hits.map((h) => h.traceId)));
    },
  );

  app.get<{ Params: { traceId: string } }>(
    '/api/traces/:traceId',
    {
      schema: {
        hide: true,
        params: { type: 'object', properties: { traceId: JAEGER_TRACE_ID }, required: ['traceId'] },
        querystring: { type: 'object', properties: { start: DIGITS, end: DIGITS } },
      },
    },
    async (request, reply) => {
      const [trace] = await jaegerTraces(storage, [paddedTraceId(request.params.traceId)]);
      if (trace === undefined) {
        return reply.code(404).send(errorEnvelope(404, 'trace not found'));
      }
      return envelope([trace]);
    },
  );

  app.get<{ Querystring: { endTs?: string; lookback?: string } }>(
    '/api/dependencies',
    { schema: { hide: true, querystring: { type: 'object', properties: { endTs: DIGITS, lookback: DIGITS } } } },
    async (request) => {
      const endMs = request.query.endTs ? BigInt(request.query.endTs) : BigInt(Date.now());
      const lookbackMs = request.query.lookback ? BigInt(request.query.lookback) : DEFAULT_LOOKBACK_MS;
      const toNs = endMs * 1_000_000n;
      const fromNs = toNs - lookbackMs * 1_000_000n;
      if (toNs > 2n ** 63n - 1n) throw new JaegerInputError('endTs is out of range');
      return envelope(await storage.grafana.dependencies(fromNs < 0n ? 0n : fromNs, toNs));
    },
  );

  // Anything else under /jaeger: Jaeger's 404, behind the token like every route here.
  app.get('/*', { schema: { hide: true } }, async (request, reply) =>
    reply.code(404).send(errorEnvelope(404, `no such route: ${request.url.split('?')[0].slice(0, 200)}`)));
}
