/**
 * The status rules of the SQL views (what the SQL console shows) and of the API give every span
 * and every execution the same status: flow.*.status counts only when it is one of the
 * conventions' statuses, whatever else a sender put there.
 */
import { randomBytes } from 'node:crypto';
import { EXECUTION_STATUSES, NODE_STATUSES } from '@flowtrace/instrumentation/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestCollector } from '../fixtures/collector.js';
import { encodeJson, makeOtlpSpan, makeTraceRequest, strAttr } from '../fixtures/otlp.js';
import { runSql } from '../fixtures/stored.js';
import { postOtlp } from '../fixtures/traffic.js';
import type { RunningServer } from '../../src/server.js';
import { SCHEMA_PLACEHOLDERS } from '../../src/storage/schema-placeholders.js';
import { spanStatusSql, sqlStatusList, STATED_EXECUTION_STATUSES } from '../../src/storage/span-status-sql.js';

const hex = (n: number) => randomBytes(n).toString('hex');
const JSON_TYPE = { 'content-type': 'application/json' };
const ERROR = 2;

/** One trace: a root stating `executionStatus`, and one child per node status stated (OTel status error on each). */
function traceStating(traceId: string, rootId: string, executionStatus: string, nodeStatuses: readonly string[]) {
  const root = makeOtlpSpan({
    traceId, spanId: rootId, parentSpanId: '', name: 'root',
    attributes: [strAttr('flow.execution.kind', 'flow'), strAttr('flow.name', 'statuses'), strAttr('flow.execution.status', executionStatus)],
    status: { code: ERROR },
  });
  const children = nodeStatuses.map((status, i) => makeOtlpSpan({
    traceId, spanId: hex(8), parentSpanId: rootId, name: `node ${status}`,
    attributes: [strAttr('flow.node.id', `n${i}`), strAttr('flow.node.status', status)],
    status: { code: ERROR },
  }));
  return makeTraceRequest([root, ...children], { resourceAttributes: [strAttr('service.name', 'statuses')] });
}

describe('span and execution statuses, in the SQL console and in the API', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestCollector({ sqlMaxRows: 100_000 });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function statuses(traceId: string) {
    const detail = await api(server.url, `/api/executions/${traceId}`);
    expect(detail.status, JSON.stringify(detail.body).slice(0, 300)).toBe(200);
    const apiSpans = new Map<string, string>(detail.body.spans.map((s: { name: string; status: string }) => [s.name, s.status]));
    const consoleSpans = new Map((await runSql<{ name: string; status: string }>(server.url,
      `SELECT name, status FROM spans WHERE trace_id = '${traceId}'`)).map((r) => [r.name, r.status]));
    const [consoleExecution] = await runSql<{ status: string }>(server.url, `SELECT status FROM executions WHERE trace_id = '${traceId}'`);
    return { apiSpans, consoleSpans, apiExecution: detail.body.execution.status as string, consoleExecution: consoleExecution.status };
  }

  it('gives a span with an unknown flow.node.status the same status in both (its OTel status: error)', async () => {
    const traceId = hex(16);
    const answer = await postOtlp(server.url, encodeJson(traceStating(traceId, hex(8), 'error', ['paused'])), JSON_TYPE);
    expect(answer.status, answer.text).toBe(200);
    const { apiSpans, consoleSpans } = await statuses(traceId);
    expect(apiSpans.get('node paused')).toBe('error');
    expect(consoleSpans.get('node paused')).toBe(apiSpans.get('node paused'));
  });

  it('gives every node status of the conventions, stated on a span, the same status in both', async () => {
    const traceId = hex(16);
    expect((await postOtlp(server.url, encodeJson(traceStating(traceId, hex(8), 'success', NODE_STATUSES)), JSON_TYPE)).status).toBe(200);
    const { apiSpans, consoleSpans } = await statuses(traceId);
    for (const status of NODE_STATUSES) expect(apiSpans.get(`node ${status}`), status).toBe(status);
    expect(Object.fromEntries(consoleSpans)).toEqual(Object.fromEntries(apiSpans));
  });

  it('gives an execution the same status in both for every stated execution status and an unknown one', async () => {
    for (const stated of [...EXECUTION_STATUSES, 'paused']) {
      const traceId = hex(16);
      expect((await postOtlp(server.url, encodeJson(traceStating(traceId, hex(8), stated, [])), JSON_TYPE)).status).toBe(200);
      const { apiExecution, consoleExecution, apiSpans, consoleSpans } = await statuses(traceId);
      expect(consoleExecution, stated).toBe(apiExecution);
      expect(consoleSpans.get('root'), stated).toBe(apiSpans.get('root'));
    }
  });
});

describe('the status lists the schema takes from the conventions', () => {
  it('are the node statuses, and the execution statuses a root can state (not running or abandoned)', () => {
    expect(SCHEMA_PLACEHOLDERS.NODE_STATUSES).toBe(`[${NODE_STATUSES.map((s) => `'${s}'`).join(', ')}]`);
    expect(STATED_EXECUTION_STATUSES).toEqual(['success', 'error', 'cancelled', 'timed_out']);
    expect(SCHEMA_PLACEHOLDERS.STATED_EXECUTION_STATUSES).toBe("['success', 'error', 'cancelled', 'timed_out']");
    expect(spanStatusSql('s.flow_status', 's.status_code')).toBe('span_status(s.flow_status, s.status_code)');
  });

  it('refuse a status that is not a plain word, so nothing but a list reaches the SQL', () => {
    expect(() => sqlStatusList(["x') OR ('1"])).toThrow(/not a status word/);
  });
});
