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
    continuesRemoteTrace: { type: 'boolean' },
    remoteParentSpanId: nullableString,
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

/** The execution of a trace answer: the summary, and whether the trace is complete. */
const executionDetailSchema = {
  allOf: [
    { $ref: 'ExecutionSummary#' },
    { type: 'object', properties: { complete: { type: 'boolean' }, orphanCount: { type: 'integer' } } },
  ],
};

const attributesSchema = { type: 'object', additionalProperties: true } as const;

/** A span as GET /api/executions/:traceId and the span route answer it (api/wire-types.ts Span). */
export const spanSchema = {
  type: 'object',
  properties: {
    traceId: { type: 'string' },
    spanId: { type: 'string' },
    parentSpanId: nullableString,
    name: { type: 'string' },
    serviceName: { type: 'string' },
    kind: { type: 'string', enum: ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] },
    startTime: { type: 'string', format: 'date-time' },
    startTimeUnixNano: { type: 'string' },
    endTime: nullableString,
    endTimeUnixNano: nullableString,
    durationMs: { type: ['number', 'null'] },
    status: { type: 'string', enum: ['running', 'success', 'error', 'cancelled', 'timed_out', 'skipped', 'abandoned'] },
    statusCode: { type: 'string', enum: ['unset', 'ok', 'error'] },
    statusMessage: nullableString,
    attributes: attributesSchema,
    resourceAttributes: attributesSchema,
    scopeName: nullableString,
    scopeVersion: nullableString,
    traceState: nullableString,
    events: {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' }, time: { type: 'string' }, timeUnixNano: { type: 'string' }, attributes: attributesSchema } },
    },
    links: {
      type: 'array',
      items: { type: 'object', properties: { traceId: { type: 'string' }, spanId: { type: 'string' }, traceState: nullableString, attributes: attributesSchema } },
    },
    droppedAttributesCount: { type: 'integer' },
    droppedEventsCount: { type: 'integer' },
    droppedLinksCount: { type: 'integer' },
  },
};

/** A console line (an OTLP log record) of a trace. */
export const logLineSchema = {
  type: 'object',
  properties: {
    traceId: { type: 'string' },
    spanId: nullableString,
    time: { type: 'string', format: 'date-time' },
    timeUnixNano: { type: 'string' },
    severity: { type: 'string' },
    severityNumber: { type: 'integer' },
    body: { type: 'string' },
    attributes: attributesSchema,
  },
};

/** GET /api/executions/:traceId/spans/:spanId. */
export const spanDetailSchema = {
  type: 'object',
  properties: { span: spanSchema, logs: { type: 'array', items: logLineSchema } },
};

/** GET /api/executions/:traceId/outline (api/wire-types.ts TraceOutline). */
export const traceOutlineSchema = {
  type: 'object',
  description:
    'What a waterfall draws: per span one array whose positions `fields` names (spanId, parentSpanId, name, serviceName, '
    + 'kind, status, statusCode, statusMessage, nodeId, nodeName, nodeType, nodeIndex, startUs, durationUs), in start order. '
    + 'kind, status and statusCode are indexes into the lists of `codes`; startUs is whole microseconds after '
    + 'baseTimeUnixNano (both cut to microseconds), durationUs null while the span runs.',
  properties: {
    execution: executionDetailSchema,
    baseTimeUnixNano: { type: 'string' },
    fields: { type: 'array', items: { type: 'string' } },
    codes: {
      type: 'object',
      description: 'For each coded field, the texts its indexes stand for (kind and statusCode in OTel order).',
      additionalProperties: { type: 'array', items: { type: 'string' } },
    },
    spans: { type: 'array', items: { type: 'array', items: { type: ['string', 'number', 'null'] } } },
  },
};
