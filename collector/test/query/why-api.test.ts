/**
 * The "why" routes against a real collector: the critical path and statistics of one run,
 * two runs compared with their payloads' differing paths, where a flow's time goes over a
 * range (SQL in storage, which must agree with the pure computation on every run), a run's
 * console lines in time order (and only newer ones), lines with no span, and the OpenAPI
 * description that lists them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CriticalPath, ExecutionComparison, FlowTime, LogPage, TraceStats } from '../../src/api/why-wire-types.js';
import type { TraceOutline } from '../../src/api/wire-types.js';
import { criticalPath } from '../../src/query/critical-path.js';
import { selfTimes, spanTreeFromOutline } from '../../src/query/span-tree.js';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { makeLogRecord, makeLogsRequest } from '../fixtures/otlp.js';
import { flowRun, type RunSpan, type SentRun } from '../fixtures/why-runs.js';

let server: RunningServer;
const base = Date.now() - 600_000;
const nsOf = (ms: number) => String(BigInt(Math.round(ms * 1000)) * 1000n);

const good: RunSpan[] = [
  { key: 'root', name: 'checkout', startMs: 0, endMs: 40, input: { cart: 'c1' }, output: { ok: true } },
  { key: 'load', parent: 'root', name: 'Load cart', nodeId: 'load', startMs: 1, endMs: 11, output: { items: 2, total: 30 } },
  { key: 'charge', parent: 'root', name: 'Charge', nodeId: 'charge', startMs: 11, endMs: 31, input: { amount: 30 }, output: { receipt: 'r-1', card: { last4: '4242' } } },
  { key: 'notify', parent: 'root', name: 'Notify', nodeId: 'notify', startMs: 31, endMs: 36 },
];
/** The next version: slower charge that fails, a new node, parallel work under load. */
const bad: RunSpan[] = [
  { key: 'root', name: 'checkout', startMs: 0, endMs: 120, input: { cart: 'c2' }, error: 'card declined' },
  { key: 'load', parent: 'root', name: 'Load cart', nodeId: 'load', startMs: 1, endMs: 21, output: { items: 3, total: 45 } },
  { key: 'p1', parent: 'load', name: 'SELECT items', startMs: 2, endMs: 12 },
  { key: 'p2', parent: 'load', name: 'SELECT prices', startMs: 3, endMs: 19 },
  { key: 'fraud', parent: 'root', name: 'Fraud check', nodeId: 'fraud', startMs: 21, endMs: 50 },
  { key: 'charge', parent: 'root', name: 'Charge', nodeId: 'charge', startMs: 50, endMs: 115, input: { amount: 45 }, output: { receipt: null, card: { last4: '0002' } }, error: 'card declined' },
];
let a: SentRun;
let b: SentRun;

beforeAll(async () => {
  server = await startTestCollector();
  a = flowRun('checkout', base, good);
  b = flowRun('checkout', base + 5000, bad);
  for (const run of [a, b]) expect((await api(server.url, '/v1/traces', { method: 'POST', json: run.request })).status).toBe(200);
  const line = (run: SentRun, spanKey: string | null, atMs: number, body: string, severityNumber = 9, severityText = 'INFO') =>
    makeLogRecord({
      traceId: spanKey === null && run === b ? '' : run.traceId, spanId: spanKey ? run.ids[spanKey] : '',
      timeUnixNano: nsOf(base + (run === b ? 5000 : 0) + atMs), observedTimeUnixNano: nsOf(base + atMs), severityNumber, severityText, body: { stringValue: body },
    });
  const logs = makeLogsRequest([
    line(a, 'charge', 20, 'charging 30'),
    line(a, 'load', 5, 'cart loaded'),
    line(a, null, 38, 'run finished without a span'),
    line(b, 'charge', 100, 'card declined by issuer', 17, 'ERROR'),
    line(b, null, 200, 'cache evicted', 13, 'WARN'),
    line(b, null, 210, 'gc pause', 9, 'INFO'),
  ]);
  expect((await api(server.url, '/v1/logs', { method: 'POST', json: logs })).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

describe('GET /api/executions/:traceId/critical-path', () => {
  it('names the spans that determined the run, root first, with stretches that add up to its duration', async () => {
    const r = await api<CriticalPath>(server.url, `/api/executions/${b.traceId}/critical-path`);
    expect(r.status).toBe(200);
    expect(r.body.spanIds).toEqual([b.ids.root, b.ids.charge, b.ids.fraud, b.ids.load, b.ids.p2]);
    expect(r.body.durationMs).toBe(120);
    expect(r.body.segments.reduce((s, x) => s + x.endMs - x.startMs, 0)).toBeCloseTo(120, 6);
    expect(r.body.segments.map((s) => s.spanId)).toEqual([b.ids.root, b.ids.load, b.ids.p2, b.ids.load, b.ids.fraud, b.ids.charge, b.ids.root]);
    expect(r.body.criticalMs[1]).toBe(65);
  });

  it('answers 404 for an unknown trace and 400 for a malformed id', async () => {
    expect((await api(server.url, `/api/executions/${'ab'.repeat(16)}/critical-path`)).body.code).toBe('FT_TRACE_NOT_FOUND');
    expect((await api(server.url, '/api/executions/nope/critical-path')).status).toBe(400);
  });
});

describe('GET /api/executions/:traceId/stats', () => {
  it('tells time per node, service and name with self time, and a flame graph of self time', async () => {
    const r = await api<TraceStats>(server.url, `/api/executions/${b.traceId}/stats`);
    expect(r.status).toBe(200);
    expect(r.body.spanCount).toBe(6);
    const load = r.body.byNode.find((g) => g.key === 'load')!;
    // Load cart lasts 20 ms; its two queries cover 2–19 ms of it.
    expect(load).toMatchObject({ count: 1, totalMs: 20, selfMs: 3 });
    // Parallel queries each count their own self time: 129 ms of self time in a 120 ms run.
    expect(r.body.byService).toEqual([expect.objectContaining({ key: 'shop', count: 6, selfMs: 129, selfPercent: 107.5 })]);
    expect(r.body.frames[0]).toMatchObject({ name: 'checkout', depth: 0, valueMs: 129 });
    expect(r.body.frames.map((f) => f.name)).toContain('SELECT prices');
  });
});

describe('GET /api/executions/:a/compare/:b', () => {
  it('matches nodes and tells durations, differences and nodes found in one run only', async () => {
    const r = await api<ExecutionComparison>(server.url, `/api/executions/${a.traceId}/compare/${b.traceId}`);
    expect(r.status).toBe(200);
    const rows = r.body.rows.map((x) => [x.match, x.a?.name ?? null, x.b?.name ?? null, x.deltaMs]);
    expect(rows).toEqual([
      ['position', 'checkout', 'checkout', 80],
      ['node', 'Load cart', 'Load cart', 10],
      ['only-b', null, 'SELECT items', null],
      ['only-b', null, 'SELECT prices', null],
      ['only-b', null, 'Fraud check', null],
      ['node', 'Charge', 'Charge', 45],
      ['only-a', 'Notify', null, null],
    ]);
    expect(r.body.counts).toEqual({ matched: 3, onlyA: 1, onlyB: 3, statusChanged: 2 });
    expect(r.body.deltaMs).toBe(80);
    // The roots side by side by default.
    expect(r.body.detail.input).toEqual({ a: { cart: 'c1' }, b: { cart: 'c2' }, differingPaths: ['$.cart'] });
    expect(r.body.detail.error.a).toBeNull();
    expect(r.body.detail.error.b).toMatchObject({ message: 'card declined' });
  });

  it('shows a chosen pair side by side with the JSON paths that differ', async () => {
    const r = await api<ExecutionComparison>(server.url, `/api/executions/${a.traceId}/compare/${b.traceId}?aSpan=${a.ids.charge}&bSpan=${b.ids.charge}`);
    expect(r.status).toBe(200);
    expect(r.body.detail.aSpanId).toBe(a.ids.charge);
    expect(r.body.detail.output.differingPaths).toEqual(['$.receipt', '$.card.last4']);
    expect(r.body.detail.input.differingPaths).toEqual(['$.amount']);
    expect(r.body.detail.error.b).toMatchObject({ status: 'error', exceptions: [{ type: 'Error', message: 'card declined' }] });
  });

  it('answers 404 when a side is unknown or a chosen span is not in its run', async () => {
    expect((await api(server.url, `/api/executions/${a.traceId}/compare/${'cd'.repeat(16)}`)).status).toBe(404);
    const wrong = await api(server.url, `/api/executions/${a.traceId}/compare/${b.traceId}?aSpan=${b.ids.charge}`);
    expect(wrong.body.code).toBe('FT_SPAN_NOT_FOUND');
  });
});

describe('GET /api/flows/:name/time', () => {
  it('sums self time and critical-path time per node in SQL exactly as the pure computation does run by run', async () => {
    const r = await api<FlowTime>(server.url, `/api/flows/checkout/time?from=${base - 1000}&to=${base + 60_000}`);
    expect(r.status).toBe(200);
    expect(r.body.runs).toBe(2);
    expect(r.body.runMs).toBe(160);
    // The same figures from each run's outline through the pure functions.
    const expected = new Map<string, { count: number; selfMs: number; criticalMs: number }>();
    for (const run of [a, b]) {
      const outline = await api<TraceOutline>(server.url, `/api/executions/${run.traceId}/outline`);
      const stored = await api(server.url, `/api/executions/${run.traceId}`);
      const text = JSON.stringify(outline.body.spans).slice(1, -1);
      const root = (stored.body.spans as Array<{ spanId: string; parentSpanId: string | null }>).find((s) => s.parentSpanId === null)!.spanId;
      const tree = spanTreeFromOutline(text, root);
      const self = selfTimes(tree);
      const path = criticalPath(tree);
      for (let i = 0; i < tree.count; i++) {
        const id = tree.nodeIds[i];
        if (id === null) continue;
        const e = expected.get(id) ?? { count: 0, selfMs: 0, criticalMs: 0 };
        e.count++;
        e.selfMs += self[i] / 1000;
        e.criticalMs += path.criticalUs[i] / 1000;
        expected.set(id, e);
      }
    }
    const got = Object.fromEntries(r.body.nodes.map((n) => [n.nodeId, { count: n.count, selfMs: n.selfMs, criticalMs: n.criticalMs }]));
    expect(got).toEqual(Object.fromEntries([...expected].map(([k, v]) => [k, { count: v.count, selfMs: +v.selfMs.toFixed(3), criticalMs: +v.criticalMs.toFixed(3) }])));
    expect(r.body.nodes[0]).toMatchObject({ nodeId: 'charge', criticalMs: 85, criticalPercent: 53.125 });
  });

  it('answers 404 for a flow with no finished runs in the range', async () => {
    expect((await api(server.url, '/api/flows/nothing/time')).body.code).toBe('FT_FLOW_NOT_FOUND');
  });
});

describe('console lines of a run and lines with no span', () => {
  it('lists every line of a run in time order with its span, and only newer ones after a time', async () => {
    const r = await api<LogPage>(server.url, `/api/executions/${a.traceId}/logs`);
    expect(r.status).toBe(200);
    expect(r.body.lines.map((l) => [l.body, l.spanId])).toEqual([
      ['cart loaded', a.ids.load], ['charging 30', a.ids.charge], ['run finished without a span', null],
    ]);
    expect(r.body.lines[0].serviceName).toBe('my.service');
    const after = await api<LogPage>(server.url, `/api/executions/${a.traceId}/logs?after=${r.body.lines[0].timeUnixNano}`);
    expect(after.body.lines.map((l) => l.body)).toEqual(['charging 30', 'run finished without a span']);
  });

  it('lists lines with no span newest first, by minimum severity and text', async () => {
    const range = `from=${base - 1000}&to=${base + 60_000}`;
    const all = await api<LogPage>(server.url, `/api/logs?${range}`);
    expect(all.body.lines.map((l) => l.body)).toEqual(['gc pause', 'cache evicted', 'run finished without a span']);
    const warn = await api<LogPage>(server.url, `/api/logs?${range}&severity=13`);
    expect(warn.body.lines.map((l) => l.body)).toEqual(['cache evicted']);
    const text = await api<LogPage>(server.url, `/api/logs?${range}&q=${encodeURIComponent("GC PAUSE' OR 1=1 --")}`);
    expect(text.body.lines).toEqual([]);
    const limited = await api<LogPage>(server.url, `/api/logs?${range}&limit=1&q=a`);
    expect(limited.body).toMatchObject({ truncated: true, lines: [{ body: 'gc pause' }] });
  });
});

describe('OpenAPI', () => {
  it('describes every why route', async () => {
    const doc = await api(server.url, '/api/openapi.json');
    const paths = Object.keys(doc.body.paths);
    for (const p of ['/api/executions/{a}/compare/{b}', '/api/executions/{traceId}/critical-path', '/api/executions/{traceId}/stats',
      '/api/flows/{name}/time', '/api/executions/{traceId}/logs', '/api/logs']) expect(paths).toContain(p);
  });
});
