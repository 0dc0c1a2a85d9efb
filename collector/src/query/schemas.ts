/**
 * JSON schemas of the query API's bodies, shared by its routes (Fastify validates and
 * serialises with them, @fastify/swagger publishes them as OpenAPI).
 */

export const errorSchema = {
  $id: 'ApiError',
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' }, statusCode: { type: 'integer' } },
  required: ['code', 'message', 'statusCode'],
};

const nullableString = { type: ['string', 'null'] } as const;

export const executionSchema = {
  $id: 'ExecutionSummary',
  type: 'object',
  properties: {
    traceId: { type: 'string' },
    flowName: { type: 'string' },
    flowId: nullableString,
    flowVersion: nullableString,
    executionKind: nullableString,
    serviceName: { type: 'string' },
    status: { type: 'string', enum: ['running', 'success', 'error', 'cancelled', 'timed_out', 'abandoned'] },
    startTime: { type: 'string', format: 'date-time' },
    startTimeUnixNano: { type: 'string' },
    endTime: nullableString,
    durationMs: { type: 'number' },
    spanCount: { type: 'integer' },
    errorCount: { type: 'integer' },
    triggerType: nullableString,
    userId: nullableString,
    errorNodeId: nullableString,
    errorMessage: nullableString,
    hasRoot: { type: 'boolean' },
    lastSeenAt: { type: 'string' },
  },
};

export const statsSchema = {
  $id: 'FlowStats',
  type: 'object',
  properties: {
    flowName: { type: 'string' },
    count: { type: 'integer' },
    successCount: { type: 'integer' },
    errorCount: { type: 'integer' },
    successRate: { type: 'number' },
    errorRate: { type: 'number' },
    avgMs: { type: ['number', 'null'] },
    p50Ms: { type: ['number', 'null'] },
    p95Ms: { type: ['number', 'null'] },
    p99Ms: { type: ['number', 'null'] },
    lastRunAt: nullableString,
  },
};

export const errorResponses = {
  400: { $ref: 'ApiError#' },
  401: { $ref: 'ApiError#' },
  404: { $ref: 'ApiError#' },
};
