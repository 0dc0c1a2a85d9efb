/**
 * The collector's API on the ClickHouse storage, through chDB in this process: real collectors
 * listening on 127.0.0.1, fed by the official OpenTelemetry exporter. One collector answers every
 * route a user opens (list, detail, outline, span, SQL, export, statistics, deletion) from what
 * ClickHouse stored; two stateless collectors on one database, each given half of a trace's spans,
 * both answer with the whole trace, and each one's live stream shows what the other stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { context, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { RunningServer } from '../../src/server.js';
import { api, eventually, startTestCollector } from '../fixtures/collector.js';
import { connectLive } from '../fixtures/live-clients.js';
import { startCli } from '../fixtures/cli-process.js';
import { chdbDir, freshDatabase, removeChdbDir } from './chdb-store.js';

afterAll(() => removeChdbDir());

/** A collector on the ClickHouse storage (chDB, this process), on `database`. */
function clickHouseCollector(database: string): Promise<RunningServer> {
  return startTestCollector({ storage: 'clickhouse', clickhouse: { url: `chdb:${chdbDir()}`, database } });
}

function tracerFor(url: string, service: string): { tracer: Tracer; provider: BasicTracerProvider } {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${url}/v1/traces` }))],
  });
  return { provider, tracer: provider.getTracer('api-test', '1.0.0') };
}

describe('the collector on ClickHouse (chDB)', () => {
  it('answers the list, detail, outline, span, SQL, Parquet and OTLP export, statistics and deletion routes for what the official exporter sent', async () => {
    const server = await clickHouseCollector(freshDatabase('api'));
    const { provider, tracer } = tracerFor(server.url, 'shop');
    try {
      const traceId = tracer.startActiveSpan('checkout', { attributes: { 'flow.name': 'checkout', 'flow.execution.kind': 'flow', 'enduser.id': 'bob', 'order.id': 'ord-7' } }, (root) => {
        for (const step of ['validate', 'charge']) {
          const child = tracer.startSpan(step, { attributes: { 'flow.node.id': step, 'flow.node.name': step } }, trace.setSpan(context.active(), root));
          if (step === 'charge') {
            child.recordException(new Error('card declined'));
            child.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
          }
          child.end();
        }
        root.setStatus({ code: SpanStatusCode.ERROR });
        root.end();
        return root.spanContext().traceId;
      });
      await provider.forceFlush();

      const detail = await eventually(async () => {
        const r = await api(server.url, `/api/executions/${traceId}`);
        return r.status === 200 && r.body.spans.length === 3 ? r.body : undefined;
      });
      expect(detail.execution).toMatchObject({ traceId, flowName: 'checkout', serviceName: 'shop', status: 'error', userId: 'bob', complete: true, spanCount: 3 });
      const charge = detail.spans.find((s: { name: string }) => s.name === 'charge');
      expect(charge).toMatchObject({ status: 'error', statusCode: 'error', statusMessage: 'card declined', scopeName: 'api-test' });
      expect(charge.events[0]).toMatchObject({ name: 'exception', attributes: { 'exception.message': 'card declined' } });

      const list = await api(server.url, '/api/executions?attr=order.id%3Dord-7&status=error');
      expect(list.body.executions.map((e: { traceId: string }) => e.traceId)).toEqual([traceId]);
      expect((await api(server.url, '/api/executions?q=DECLINED')).body.executions).toHaveLength(1);

      const outline = await api(server.url, `/api/executions/${traceId}/outline`);
      expect(outline.status).toBe(200);
      expect(outline.body.spans).toHaveLength(3);
      const span = await api(server.url, `/api/executions/${traceId}/spans/${charge.spanId}`);
      expect(span.body.span ?? span.body).toMatchObject({ spanId: charge.spanId, name: 'charge' });

      const sql = await api(server.url, '/api/sql', { method: 'POST', json: { sql: `SELECT count() AS n FROM spans WHERE trace_id = '${traceId}'` } });
      expect(sql.status).toBe(200);
      expect(Number(sql.body.rows[0][0])).toBe(3);

      const exported = await fetch(`${server.url}/api/export/spans.parquet`);
      expect(exported.status).toBe(200);
      expect(Buffer.from(await exported.arrayBuffer()).subarray(0, 4).toString()).toBe('PAR1');

      const otlp = await api(server.url, `/api/executions/${traceId}/otlp`);
      expect(otlp.body.resourceSpans[0].scopeSpans[0].spans).toHaveLength(3);

      const flows = await api(server.url, '/api/flows');
      expect(flows.body.flows ?? flows.body).toEqual([expect.objectContaining({ flowName: 'checkout', count: 1, errorCount: 1 })]);

      expect((await api(server.url, `/api/executions/${traceId}`, { method: 'DELETE' })).status).toBeLessThan(300);
      expect((await api(server.url, `/api/executions/${traceId}`)).status).toBe(404);
    } finally {
      await provider.shutdown();
      await server.close();
    }
  });

  it('lets two collectors on one database each answer the whole of a trace whose spans were split between them, and stream what the other stored', async () => {
    const database = freshDatabase('pair');
    const a = await clickHouseCollector(database);
    const b = await clickHouseCollector(database);
    const toA = tracerFor(a.url, 'edge');
    const toB = tracerFor(b.url, 'backend');
    const live = await connectLive(b.url);
    try {
      // The root and one child go to A; the other child (another service, as behind a gateway) to B.
      const root = toA.tracer.startSpan('order', { attributes: { 'flow.name': 'order', 'flow.execution.kind': 'flow' } });
      const parent = trace.setSpan(context.active(), root);
      toA.tracer.startSpan('route', {}, parent).end();
      toB.tracer.startSpan('store', {}, parent).end();
      root.end();
      const traceId = root.spanContext().traceId;
      await Promise.all([toA.provider.forceFlush(), toB.provider.forceFlush()]);

      for (const server of [a, b]) {
        const detail = await eventually(async () => {
          const r = await api(server.url, `/api/executions/${traceId}`);
          return r.status === 200 && r.body.spans.length === 3 ? r.body : undefined;
        });
        expect(detail.execution).toMatchObject({ flowName: 'order', status: 'success', complete: true, spanCount: 3 });
        expect(detail.spans.map((s: { serviceName: string }) => s.serviceName).sort()).toEqual(['backend', 'edge', 'edge']);
      }
      // B's stream shows the root span A stored (polled from the change feed), not only its own span.
      const rootSpanId = root.spanContext().spanId;
      await eventually(async () => live.frames.some((f) => f.type === 'span.completed' && f.data.includes(`"spanId":"${rootSpanId}"`)));
    } finally {
      live.close();
      await Promise.all([toA.provider.shutdown(), toB.provider.shutdown()]);
      await a.close();
      await b.close();
    }
  });

  it('starts as `flowtrace start --storage clickhouse --clickhouse-url chdb:PATH`, and keeps what it stored across a restart', async () => {
    // Its own directory: the command is another process, with a chDB engine of its own.
    const dir = mkdtempSync(join(tmpdir(), 'ft-chdb-cli-'));
    const args = ['--storage', 'clickhouse', '--clickhouse-url', `chdb:${dir}`, '--clickhouse-database', 'cli_test', '--port', '0', '--host', '127.0.0.1'];
    try {
      let cli = await startCli(args);
      // It says where the data goes: the ClickHouse store, not the DuckDB file it does not open.
      expect(cli.output()).toMatch(new RegExp(`listening on \\S+ \\(clickhouse chdb:${dir}, database cli_test\\)`));
      expect(cli.output()).not.toContain('.duckdb');
      const { provider, tracer } = tracerFor(cli.url, 'cli-service');
      const span = tracer.startSpan('from-the-cli');
      span.end();
      const traceId = span.spanContext().traceId;
      await provider.forceFlush();
      await provider.shutdown();
      const stored = await api(cli.url, `/api/executions/${traceId}`);
      expect(stored.status).toBe(200);
      expect(stored.body.execution).toMatchObject({ serviceName: 'cli-service', status: 'success', spanCount: 1 });
      expect(await cli.stop()).toBe(0);
      cli = await startCli(args);
      try {
        expect((await api(cli.url, `/api/executions/${traceId}`)).body.spans).toHaveLength(1);
      } finally {
        await cli.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
