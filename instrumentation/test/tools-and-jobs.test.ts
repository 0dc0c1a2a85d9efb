import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { beforeEach, describe, expect, it } from 'vitest';
import * as C from '../src/conventions.js';
import { node, runJob, runToolCall, scheduleJob, traceTool } from '../src/index.js';
import { eventually } from './fixtures/net.js';
import { parentOf, sleep, useTestTelemetry } from './fixtures/telemetry.js';

const t = useTestTelemetry();
beforeEach(() => t.reset());

describe('an MCP tool call', () => {
  it('is an mcp_tool execution with the MCP and GenAI attribute names, arguments as input and result as output', async () => {
    const search = traceTool('search_docs', async (args: { query: string }) => {
      const hits = await node({ id: 'index-lookup', type: 'db' }, async () => [`doc about ${args.query}`]);
      return { content: [{ type: 'text', text: hits.join('\n') }] };
    });
    const result = await search({ query: 'otel' }, { sessionId: 'sess-1', requestId: 7, userId: 'agent-9' });
    expect(result.content[0].text).toBe('doc about otel');
    const root = t.span('tools/call search_docs');
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(root.attributes).toMatchObject({
      [C.ATTR_EXECUTION_KIND]: 'mcp_tool',
      [C.ATTR_TRIGGER_TYPE]: 'mcp',
      [C.ATTR_MCP_METHOD_NAME]: 'tools/call',
      [C.ATTR_GEN_AI_TOOL_NAME]: 'search_docs',
      [C.ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
      [C.ATTR_MCP_SESSION_ID]: 'sess-1',
      [C.ATTR_JSONRPC_REQUEST_ID]: '7',
      [C.ATTR_ENDUSER_ID]: 'agent-9',
      [C.ATTR_FLOW_INPUT]: '{"query":"otel"}',
      [C.ATTR_EXECUTION_STATUS]: 'success',
    });
    expect(String(root.attributes[C.ATTR_FLOW_OUTPUT])).toContain('doc about otel');
    expect(parentOf(t.span('index-lookup'))).toBe(root.spanContext().spanId);
  });

  it('that returns isError: true is recorded as an error with the tool text, and the result is still returned', () => {
    const result = runToolCall('divide', { a: 1, b: 0 }, () => ({ isError: true, content: [{ type: 'text', text: 'division by zero' }] }));
    expect(result.isError).toBe(true);
    const root = t.span('tools/call divide');
    expect(root.status).toEqual({ code: SpanStatusCode.ERROR, message: 'division by zero' });
    expect(root.attributes[C.ATTR_EXECUTION_STATUS]).toBe('error');
  });
});

describe('a job', () => {
  it('run is a job execution triggered by its schedule', async () => {
    await runJob({ id: 'cleanup', name: 'Nightly cleanup', schedule: '0 3 * * *' }, async (ctx) => {
      expect(ctx.scheduledAt).toBeInstanceOf(Date);
      return node({ id: 'delete-old' }, () => ({ deleted: 3 }));
    });
    const root = t.span('Nightly cleanup');
    expect(root.attributes).toMatchObject({
      [C.ATTR_EXECUTION_KIND]: 'job',
      [C.ATTR_FLOW_ID]: 'cleanup',
      [C.ATTR_TRIGGER_TYPE]: 'scheduled',
      [C.ATTR_JOB_SCHEDULE]: '0 3 * * *',
      [C.ATTR_FLOW_OUTPUT]: '{"deleted":3}',
    });
    expect(String(root.attributes[C.ATTR_TRIGGER_DATA])).toContain('"schedule":"0 3 * * *"');
  });

  it('scheduled every few ms runs repeatedly without overlap, counts failures and stops cleanly', async () => {
    let active = 0;
    let maxActive = 0;
    let n = 0;
    const errors: unknown[] = [];
    const job = scheduleJob({ id: 'tick' }, 5, async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(10);
      active--;
      if (++n % 2 === 0) throw new Error(`run ${n} failed`);
    }, { onError: (e) => errors.push(e) });
    await eventually(() => (job.runs >= 4 ? true : undefined), 3_000, 'four runs');
    await job.stop();
    const runs = job.runs;
    await sleep(30);
    expect(job.runs).toBe(runs);
    expect(maxActive).toBe(1);
    expect(job.failures).toBe(errors.length);
    expect(job.failures).toBeGreaterThanOrEqual(1);
    const statuses = t.spans().filter((s) => s.name === 'tick').map((s) => s.attributes[C.ATTR_EXECUTION_STATUS]);
    expect(statuses.slice(0, 4)).toEqual(['success', 'error', 'success', 'error']);
  });
});
