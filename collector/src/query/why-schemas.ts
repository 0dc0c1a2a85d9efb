/**
 * JSON schemas of the "why" routes' answers (api/why-wire-types.ts): Fastify serialises with
 * them and @fastify/swagger publishes them in the OpenAPI description.
 */
import { logLineSchema } from './schemas.js';

const num = { type: 'number' } as const;
const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;
const nullableString = { type: ['string', 'null'] } as const;
const anyJson = { description: 'Any JSON value (a payload as captured, parsed when it is JSON)' } as const;

export const TRACE_ID = { type: 'string', pattern: '^[0-9a-fA-F]{32}$' } as const;
export const SPAN_ID = { type: 'string', pattern: '^[0-9a-fA-F]{16}$' } as const;

export const criticalPathSchema = {
  type: 'object',
  properties: {
    traceId: str,
    durationMs: num,
    spanIds: { type: 'array', items: str, description: 'The spans on the path, each once, the root first' },
    segments: {
      type: 'array',
      description: 'The path in time order: which span held the run up, from and to (ms after the first span start)',
      items: { type: 'object', properties: { spanId: str, startMs: num, endMs: num } },
    },
    criticalMs: { type: 'array', items: num, description: 'Per span of spanIds, its time on the path' },
  },
};

const timeGroup = {
  type: 'object',
  properties: {
    key: str, label: str, serviceName: str, count: int, totalMs: num, selfMs: num, selfPercent: num, avgMs: num, minMs: num, maxMs: num, criticalMs: num,
  },
};

export const traceStatsSchema = {
  type: 'object',
  properties: {
    traceId: str,
    durationMs: num,
    spanCount: int,
    byService: { type: 'array', items: timeGroup },
    byNode: { type: 'array', items: timeGroup },
    bySpanName: { type: 'array', items: timeGroup },
    frames: {
      type: 'array',
      description: 'Self-time flame graph: spans merged by their (service, name) stack, depth-first; valueMs = selfMs + children',
      items: {
        type: 'object',
        properties: { parent: int, depth: int, name: str, serviceName: str, count: int, selfMs: num, valueMs: num, spanId: str },
      },
    },
    framesTruncated: { type: 'boolean' },
  },
};

const side = {
  type: ['object', 'null'],
  properties: {
    spanId: str, name: str, serviceName: str, nodeId: nullableString, nodeName: nullableString, status: str,
    durationMs: { type: ['number', 'null'] }, depth: int,
  },
};

const comparedValue = {
  type: 'object',
  properties: { a: anyJson, b: anyJson, differingPaths: { type: 'array', items: str } },
};

export const comparisonSchema = {
  type: 'object',
  properties: {
    a: { $ref: 'ExecutionSummary#' },
    b: { $ref: 'ExecutionSummary#' },
    deltaMs: num,
    rows: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          match: { type: 'string', enum: ['node', 'name', 'position', 'only-a', 'only-b'] },
          a: side,
          b: side,
          deltaMs: { type: ['number', 'null'] },
          statusChanged: { type: 'boolean' },
        },
      },
    },
    counts: { type: 'object', properties: { matched: int, onlyA: int, onlyB: int, statusChanged: int } },
    truncated: { type: 'boolean' },
    detail: {
      type: 'object',
      properties: { aSpanId: nullableString, bSpanId: nullableString, input: comparedValue, output: comparedValue, error: comparedValue },
    },
  },
};

export const flowTimeSchema = {
  type: 'object',
  properties: {
    flowName: str,
    from: str,
    to: str,
    runs: int,
    runMs: num,
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          nodeId: str, nodeName: str, count: int, totalMs: num, selfMs: num, avgSelfMs: num, criticalMs: num, criticalPercent: num,
        },
      },
    },
  },
};

export const logPageSchema = {
  type: 'object',
  properties: {
    lines: {
      type: 'array',
      items: { ...logLineSchema, properties: { ...logLineSchema.properties, serviceName: str } },
    },
    truncated: { type: 'boolean' },
  },
};
