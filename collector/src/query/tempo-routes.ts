/**
 * Tempo's HTTP API for Grafana's Tempo data source (URL http://host:4318/tempo), see
 * GRAFANA-API.md: echo, trace by id (protobuf TraceByIDResponse when asked for
 * application/protobuf, else JSON), the v1 fallback trace route, TraceQL search
 * (traceql.ts → traceql-condition.ts → storage's span search, run in the database) and the tag
 * name and value suggestions (tempo-tags.ts). Errors are plain text with the HTTP status, as
 * Tempo answers them. Registered with the prefix /tempo (query token), hidden from OpenAPI.
 *
 * Invariants: a trace with no finished span is not found (404); a search shows per trace the
 * first `spss` spans that satisfy the selector, with the attributes the selector names.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SearchHit, SearchSpan, Storage } from '../storage/index.js';
import { failureOf, GrafanaInputError, paddedTraceId } from './grafana-errors.js';
import { parseJsonInt64, type JsonValue } from './json-int64.js';
import { jsonToAnyValue, traceToOtlpJson, type OtlpJsonKeyValue, type OtlpJsonTraceRequest } from './otlp-export.js';
import { encodeTraceByIdResponse, encodeTracesData } from './otlp-protobuf.js';
import { COUNT, countOf, SECONDS, windowOf } from './tempo-params.js';
import { tempoTagRoutes } from './tempo-tags.js';
import { parseTraceQL } from './traceql.js';
import { attributeKeysOf, patternsOf, toSpanCondition } from './traceql-condition.js';

const TRACE_PARAMS = { type: 'object', properties: { traceId: { type: 'string', pattern: '^[0-9A-Fa-f]{1,32}$' } }, required: ['traceId'] } as const;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;
const DEFAULT_SPSS = 3;
const NO_ROOT = '<root span not yet received>';

const wantsProtobuf = (request: FastifyRequest): boolean => /application\/(x-)?protobuf/i.test(String(request.headers.accept ?? ''));

function parseObject(text: string): Record<string, JsonValue> {
  try {
    const v = parseJsonInt64(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/** The attributes a search shows of a span: service.name, then those the selector names. */
function shownAttributes(span: SearchSpan, keys: Array<{ scope: 'span' | 'resource' | 'any'; key: string }>): OtlpJsonKeyValue[] {
  const own = parseObject(span.attributes);
  const resource = parseObject(span.resourceAttributes);
  const out: OtlpJsonKeyValue[] = [];
  const seen = new Set<string>();
  const add = (key: string, value: JsonValue | undefined): void => {
    if (value === undefined || seen.has(key)) return;
    seen.add(key);
    out.push({ key, value: jsonToAnyValue(value) });
  };
  add('service.name', resource['service.name']);
  for (const { scope, key } of keys) {
    const has = (o: Record<string, JsonValue>): boolean => Object.prototype.hasOwnProperty.call(o, key);
    if (scope !== 'resource' && has(own)) add(key, own[key]);
    else if (scope !== 'span' && has(resource)) add(key, resource[key]);
  }
  return out;
}

function traceOfHit(hit: SearchHit, keys: Array<{ scope: 'span' | 'resource' | 'any'; key: string }>): object {
  const start = hit.startNs ?? hit.spans[0]?.startNs ?? 0n;
  const end = hit.endNs ?? start;
  return {
    traceID: hit.traceId,
    rootServiceName: hit.rootName === null ? NO_ROOT : (hit.rootService ?? NO_ROOT),
    ...(hit.rootName === null ? {} : { rootTraceName: hit.rootName }),
    startTimeUnixNano: start.toString(),
    durationMs: end > start ? Number((end - start) / 1_000_000n) : 0,
    spanSets: [{
      spans: hit.spans.map((s) => ({
        spanID: s.spanId,
        name: s.name,
        startTimeUnixNano: s.startNs.toString(),
        durationNanos: (s.endNs - s.startNs).toString(),
        attributes: shownAttributes(s, keys),
      })),
      matched: hit.matched,
    }],
  };
}

export async function tempoRoutes(app: FastifyInstance, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;
  app.setErrorHandler((error, request, reply) => {
    const { statusCode, message } = failureOf(error, request);
    return reply.code(statusCode).type('text/plain; charset=utf-8').send(message);
  });
  await app.register(tempoTagRoutes, { storage });

  app.get('/api/echo', { schema: { hide: true } }, async (_request, reply) => reply.type('text/plain').send('echo'));

  /** The OTLP export of a trace's finished spans, or a 404 already sent. */
  const traceOr404 = async (traceId: string, reply: FastifyReply): Promise<OtlpJsonTraceRequest | undefined> => {
    const trace = await storage.traces.get(paddedTraceId(traceId));
    const otlp = trace && traceToOtlpJson(trace.spans);
    if (!otlp || otlp.resourceSpans.length === 0) {
      await reply.code(404).type('text/plain; charset=utf-8').send('trace not found');
      return undefined;
    }
    return otlp;
  };
  const traceQuery = { type: 'object', properties: { start: SECONDS, end: SECONDS } } as const;

  app.get<{ Params: { traceId: string } }>(
    '/api/v2/traces/:traceId',
    { schema: { hide: true, params: TRACE_PARAMS, querystring: traceQuery } },
    async (request, reply) => {
      const otlp = await traceOr404(request.params.traceId, reply);
      if (otlp === undefined) return reply;
      if (wantsProtobuf(request)) return reply.type('application/protobuf').send(Buffer.from(encodeTraceByIdResponse(otlp)));
      return { trace: otlp };
    },
  );

  app.get<{ Params: { traceId: string } }>(
    '/api/traces/:traceId',
    { schema: { hide: true, params: TRACE_PARAMS, querystring: traceQuery } },
    async (request, reply) => {
      const otlp = await traceOr404(request.params.traceId, reply);
      if (otlp === undefined) return reply;
      if (wantsProtobuf(request)) return reply.type('application/protobuf').send(Buffer.from(encodeTracesData(otlp)));
      return otlp;
    },
  );

  app.get<{ Querystring: { q?: string; limit?: string; spss?: string; start?: string; end?: string } }>(
    '/api/search',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: { q: { type: 'string', maxLength: 10_000 }, limit: COUNT, spss: COUNT, start: SECONDS, end: SECONDS },
        },
      },
    },
    async (request) => {
      const q = request.query;
      const expr = parseTraceQL(q.q === undefined || q.q.trim() === '' ? '{}' : q.q);
      const condition = toSpanCondition(expr);
      for (const pattern of patternsOf(condition)) {
        const problem = await storage.grafana.patternError(pattern);
        if (problem !== undefined) throw new GrafanaInputError(`invalid regular expression ${JSON.stringify(pattern.slice(0, 100))}: ${problem}`);
      }
      const hits = await storage.grafana.searchSpans({
        condition,
        ...windowOf(q.start, q.end),
        limit: countOf(q.limit, DEFAULT_LIMIT, MAX_LIMIT, 'limit'),
        spansPerTrace: countOf(q.spss, DEFAULT_SPSS, MAX_LIMIT, 'spss'),
      });
      const keys = attributeKeysOf(expr);
      return { traces: hits.map((h) => traceOfHit(h, keys)), metrics: { inspectedTraces: hits.length, completedJobs: 1, totalJobs: 1 } };
    },
  );

  // Anything else under /tempo: a plain 404, behind the token like every route here.
  app.get('/*', { schema: { hide: true } }, async (request, reply) =>
    reply.code(404).type('text/plain; charset=utf-8').send(`no such route: ${request.url.split('?')[0].slice(0, 200)}`));
}
