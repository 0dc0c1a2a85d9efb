/**
 * What the collector answers is what its contract (src/api/routes) declares, field for field:
 * each answer is checked against its route's schema made strict (no property the schema does
 * not name, every required one present). This covers the answers Fastify never serialises —
 * the trace, the outline and the span that storage renders as JSON text, on both paths of a
 * trace read (converted rows for a small trace, DuckDB's JSON for one past SMALL_TRACE_SPANS) —
 * so the SQL renderers and the contract cannot drift apart unseen.
 */
import { randomBytes } from 'node:crypto';
import Schema from 'typebox/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorComponent } from '../../src/api/api-error.js';
import { FlowStatsComponent } from '../../src/api/flow-types.js';
import * as control from '../../src/api/routes/control.js';
import * as executions from '../../src/api/routes/executions.js';
import * as reads from '../../src/api/routes/reads.js';
import * as service from '../../src/api/routes/service.js';
import * as statistics from '../../src/api/routes/statistics.js';
import { ExecutionSummaryComponent } from '../../src/api/wire-types.js';
import { SMALL_TRACE_SPANS } from '../../src/query/trace-body.js';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { everyFieldLogsRequest, everyFieldTraceRequest, FULL_TRACE_ID, CHILD_ID } from '../fixtures/otlp-every-field.js';
import { encodeJson, makeLogsRequest, makeStartMark } from '../fixtures/otlp.js';
import { seed, type SeededExecution } from '../fixtures/seed.js';

type JsonSchema = Record<string, unknown>;
const SHARED: Record<string, JsonSchema> = Object.fromEntries(
  [ApiErrorComponent, ExecutionSummaryComponent, FlowStatsComponent].map((c) => [`${c.id}#`, { ...c.schema, $id: undefined }]),
);

/**
 * The schema as a strict one: shared schemas inlined, an allOf of objects merged into one object,
 * and every object that names its properties closed to others.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  let s = { ...(schema as JsonSchema) };
  if (typeof s.$ref === 'string') {
    const { $ref, ...rest } = s;
    s = { ...SHARED[$ref as string], ...rest };
  }
  if (Array.isArray(s.allOf)) {
    const parts = (s.allOf as unknown[]).map(strict) as JsonSchema[];
    const { allOf: _parts, ...rest } = s;
    s = {
      ...rest,
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties)),
      required: parts.flatMap((p) => (p.required as string[] | undefined) ?? []),
    };
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(s)) {
    if (value === undefined) continue;
    out[key] = key === 'properties'
      ? Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, strict(v)]))
      : strict(value);
  }
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

interface Contract { response: Record<number, unknown> }

/** The problems of an answer against the schema its route declares for its status ([] when it matches). */
function problems(contract: Contract, status: number, body: unknown): string[] {
  const declared = contract.response[status];
  if (declared === undefined) return [`status ${status} is not declared`];
  const [ok, errors] = Schema.Errors(strict(declared) as never, body);
  return ok ? [] : errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
let server: RunningServer;
let small: SeededExecution;
let failed: SeededExecution;
let big: SeededExecution;
const runningSpanId = hex(8);

beforeAll(async () => {
  server = await startTestCollector();
  const now = Date.now();
  [small, failed] = await seed(server.url, [{ flow: 'orders', startMs: now - 60_000 }, { flow: 'orders', fail: true, startMs: now - 30_000 }]);
  // Past SMALL_TRACE_SPANS, the trace answer is DuckDB's JSON text rather than converted rows.
  [big] = await seed(server.url, [{ flow: 'bulk', startMs: now - 20_000, nodes: SMALL_TRACE_SPANS + 1 }]);
  const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: encodeJson(body) as BodyInit });
  expect((await post('/v1/traces', everyFieldTraceRequest())).status).toBe(200);
  expect((await post('/v1/logs', everyFieldLogsRequest())).status).toBe(200);
  // A span still running (known from its start mark only) in the small execution.
  const mark = makeStartMark('waiting', { traceId: small.traceId, spanId: runningSpanId, timeUnixNano: `${BigInt(now - 59_000) * 1_000_000n}` });
  expect((await post('/v1/logs', makeLogsRequest([mark], { resourceAttributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] }))).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

/** Asks `path` and checks the answer against the route's contract. */
async function check(contract: Contract, path: string, status = 200, init: RequestInit & { json?: unknown } = {}): Promise<void> {
  const answer = await api(server.url, path, init);
  expect(answer.status, `${path}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(status);
  expect(problems(contract, status, answer.body), path).toEqual([]);
}

describe('answers match their contracts', () => {
  it('lists, reads and searches executions as declared', async () => {
    await check(executions.listExecutions, '/api/executions?limit=10');
    await check(executions.listExecutions, '/api/executions?status=error&sort=duration');
    await check(executions.spanMatches, `/api/executions/${small.traceId}/span-matches?q=step`);
    await check(executions.executionAsOtlp, `/api/executions/${small.traceId}/otlp`);
    await check(executions.executionLogsAsOtlp, `/api/executions/${FULL_TRACE_ID}/logs/otlp`);
  });

  it('renders a trace as declared, from rows and from DuckDB alike, running spans and every field included', async () => {
    for (const traceId of [small.traceId, failed.traceId, big.traceId, FULL_TRACE_ID]) {
      await check(executions.getExecution, `/api/executions/${traceId}`);
      await check(executions.traceOutline, `/api/executions/${traceId}/outline`);
    }
    const whole = await api(server.url, `/api/executions/${big.traceId}`);
    expect(whole.body.spans).toHaveLength(SMALL_TRACE_SPANS + 2);
  });

  it('renders single spans as declared: every field, a running one', async () => {
    for (const [traceId, spanId] of [[FULL_TRACE_ID, CHILD_ID], [FULL_TRACE_ID, '00f067aa0ba902b8'], [small.traceId, small.rootSpanId], [small.traceId, runningSpanId]]) {
      await check(executions.spanDetail, `/api/executions/${traceId}/spans/${spanId}`);
    }
    const root = await api(server.url, `/api/executions/${FULL_TRACE_ID}/outline`);
    for (const [spanId] of root.body.spans as Array<[string]>) await check(executions.spanDetail, `/api/executions/${FULL_TRACE_ID}/spans/${spanId}`);
  });

  it('answers statistics and the why views as declared', async () => {
    await check(statistics.listFlows, '/api/flows');
    await check(statistics.flowStats, '/api/flows/orders/stats?from=1970-01-01T00:00:00Z');
    await check(statistics.flowTime, '/api/flows/orders/time');
    await check(statistics.criticalPath, `/api/executions/${failed.traceId}/critical-path`);
    await check(statistics.traceStats, `/api/executions/${FULL_TRACE_ID}/stats`);
    await check(statistics.compareExecutions, `/api/executions/${small.traceId}/compare/${failed.traceId}`);
    await check(statistics.listMetrics, '/api/metrics');
  });

  it('answers the other reads as declared', async () => {
    await check(reads.executionLogs, `/api/executions/${FULL_TRACE_ID}/logs`);
    await check(reads.loneLogs, '/api/logs?from=1970-01-01T00:00:00Z');
    await check(reads.listServices, '/api/services');
    await check(reads.listAttributeKeys, '/api/attributes');
    await check(reads.runSql, '/api/sql', 200, { method: 'POST', json: { sql: "SELECT 1 AS one, 'a' AS letter, NULL AS nothing" } });
    await check(control.controlStatus, '/api/control');
    await check(control.replayInput, `/api/executions/${small.traceId}/replay-input`);
    await check(service.health, '/healthz');
  });

  it('answers errors as the ApiError body its route declares', async () => {
    await check(executions.getExecution, `/api/executions/${hex(16)}`, 404);
    await check(executions.getExecution, '/api/executions/not-a-trace-id', 400);
    await check(executions.spanDetail, `/api/executions/${small.traceId}/spans/${hex(8)}`, 404);
    await check(executions.listExecutions, '/api/executions?status=lost', 400);
    await check(statistics.flowStats, '/api/flows/nobody/stats', 404);
    await check(statistics.metricSeries, '/api/metrics/series?service=orders&name=none', 404);
    await check(reads.runSql, '/api/sql', 400, { method: 'POST', json: { sql: 'DROP TABLE span_data' } });
  });

  it('deletes as declared', async () => {
    await check(executions.deleteExecution, `/api/executions/${failed.traceId}`, 200, { method: 'DELETE' });
    await check(executions.deleteFlowExecutions, '/api/flows/bulk/executions', 200, { method: 'DELETE' });
  });
});
