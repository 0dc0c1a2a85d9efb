import { execFile, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, waitForExecution } from '../fixtures/collector-api.js';
import { PYTHON_SCRIPT, startCollector, type Started } from '../fixtures/processes.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;
let collector: Started;
beforeAll(async () => { if (hasPython) collector = await startCollector(); });
afterAll(async () => { await collector?.stop(); });

function send(...args: string[]): Promise<{ traceId: string; status: string }> {
  return new Promise((resolve, reject) => {
    execFile('python3', [PYTHON_SCRIPT, '--endpoint', collector.url, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim()) as { traceId: string; status: string });
    });
  });
}

describe.skipIf(!hasPython)('the stdlib-only Python script', () => {
  it('sends an execution with nodes and console lines as OTLP JSON that the collector shows like ours', async () => {
    const { traceId } = await send();
    const d = await waitForExecution(collector.url, traceId, finished);
    expect(d.execution).toMatchObject({ flowName: 'nightly-etl', executionKind: 'flow', serviceName: 'python-etl', status: 'success', triggerType: 'scheduled', spanCount: 4 });
    const nodes = d.spans.filter((s) => s.parentSpanId !== null).sort((a, b) => Number(a.attributes['flow.node.index']) - Number(b.attributes['flow.node.index']));
    expect(nodes.map((s) => [s.name, s.status])).toEqual([['extract', 'success'], ['transform', 'success'], ['load', 'success']]);
    expect(d.logs.map((l) => l.body)).toContain('extract: processing 3 rows');
  });

  it('sends a failed execution that names its failing node', async () => {
    const { traceId } = await send('--fail');
    const d = await waitForExecution(collector.url, traceId, finished);
    expect(d.execution.status).toBe('error');
    expect(d.execution.errorNodeId).toBe('load');
    expect(d.spans.find((s) => s.name === 'load')?.events[0].attributes['exception.type']).toBe('RuntimeError');
  });

  it('is shown as running while it holds the execution open', async () => {
    const done = send('--hold', '4');
    const list = async (): Promise<{ traceId: string; status: string }[]> =>
      ((await (await fetch(`${collector.url}/api/executions?limit=50`)).json()) as { executions: { traceId: string; status: string; flowName: string }[] }).executions;
    let running: string | undefined;
    for (let i = 0; i < 30 && !running; i++) {
      running = (await list()).find((x) => x.status === 'running')?.traceId;
      if (!running) await new Promise((r) => setTimeout(r, 100));
    }
    expect(running).toBeDefined();
    const { traceId } = await done;
    expect(traceId).toBe(running);
    expect((await waitForExecution(collector.url, traceId, finished)).execution.status).toBe('success');
  });
});
