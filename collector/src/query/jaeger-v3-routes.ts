/**
 * Jaeger's api_v3 reads that Grafana's Jaeger data source uses behind its experimental toggle:
 * services, operations and one trace as OTLP JSON in `{result:{resourceSpans}}` (the OTLP export
 * of otlp-export.ts, the same JSON POST /v1/traces takes). Errors have api_v3's shape
 * `{error:{grpcCode,httpCode,message,httpStatus}}`, from this plugin's own error handler.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Storage } from '../storage/index.js';
import { failureOf, grpcCodeOf, paddedTraceId } from './grafana-errors.js';
import { JAEGER_KINDS } from './jaeger-model.js';
import { traceToOtlpJson } from './otlp-export.js';

const TRACE_ID = { type: 'string', pattern: '^[0-9a-fA-F]{1,32}$' } as const;

/** api_v3's error answer. */
export function v3Error(statusCode: number, message: string): object {
  return { error: { grpcCode: grpcCodeOf(statusCode), httpCode: statusCode, message, httpStatus: STATUS_CODES[statusCode] ?? '' } };
}

export async function jaegerV3Routes(app: FastifyInstance, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;
  app.setErrorHandler((error, request, reply) => {
    const { statusCode, message } = failureOf(error, request);
    return reply.code(statusCode).type('application/json').send(v3Error(statusCode, message));
  });

  app.get('/api/v3/services', { schema: { hide: true } }, async () => ({
    services: (await storage.catalog.services()).map((s) => s.serviceName),
  }));

  app.get<{ Querystring: { service: string; span_kind?: string; spanKind?: string } }>(
    '/api/v3/operations',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: {
            service: { type: 'string', minLength: 1, maxLength: 1000 },
            span_kind: { type: 'string', maxLength: 40 },
            spanKind: { type: 'string', maxLength: 40 },
          },
          required: ['service'],
        },
      },
    },
    async (request) => {
      const wanted = (request.query.span_kind ?? request.query.spanKind ?? '').toLowerCase().replace(/^span_kind_/, '');
      const kind = wanted === '' ? undefined : wanted === 'unspecified' ? 0 : (JAEGER_KINDS as readonly string[]).indexOf(wanted);
      if (kind !== undefined && kind < 0) return { operations: [] };
      const ops = await storage.grafana.operations(request.query.service, kind);
      return { operations: ops.map((o) => ({ name: o.name, spanKind: JAEGER_KINDS[o.kind] ?? '' })) };
    },
  );

  app.get<{ Params: { traceId: string } }>(
    '/api/v3/traces/:traceId',
    {
      schema: {
        hide: true,
        params: { type: 'object', properties: { traceId: TRACE_ID }, required: ['traceId'] },
        querystring: { type: 'object', properties: { start_time: { type: 'string', maxLength: 64 }, end_time: { type: 'string', maxLength: 64 } } },
      },
    },
    async (request, reply) => {
      const trace = await storage.traces.get(paddedTraceId(request.params.traceId));
      const otlp = trace && traceToOtlpJson(trace.spans);
      if (!otlp || otlp.resourceSpans.length === 0) return reply.code(404).send(v3Error(404, 'trace not found'));
      return { result: otlp };
    },
  );
}
