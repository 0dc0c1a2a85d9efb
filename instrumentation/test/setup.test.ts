import { diag, DiagLogLevel } from '@opentelemetry/api';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { node, runFlow, setupTracing, type TracingHandle } from '../src/index.js';
import { close, eventually, listen } from './fixtures/net.js';
import { startReceiver, type Receiver } from './fixtures/otlp-receiver.js';

let receiver: Receiver;
let tracing: TracingHandle;
const warnings: string[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  diag.setLogger({
    error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info: () => undefined, debug: () => undefined, verbose: () => undefined,
  }, DiagLogLevel.WARN);
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
  process.env.OTEL_RESOURCE_ATTRIBUTES = 'team=payments';
  tracing = setupTracing({ serviceName: 'setup-test-service', diagLogLevel: 'none' });
});
afterAll(async () => {
  await tracing.shutdown();
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete process.env.OTEL_RESOURCE_ATTRIBUTES;
  await close(receiver.server);
});

describe('setupTracing', () => {
  it('sends spans and start marks as OTLP protobuf to OTEL_EXPORTER_OTLP_ENDPOINT within about a second', async () => {
    const started = Date.now();
    let marksAt = 0;
    await runFlow({ id: 'delivered-flow' }, null, () => node({ id: 'delivered-node' }, async () => {
      marksAt = (await eventually(() => receiver.requests.find((r) => r.path === '/v1/logs'), 1_500, 'start marks')).at;
      console.log('a console line from the node');
    }));
    const traces = await eventually(() => receiver.requests.find((r) => r.path === '/v1/traces'), 1_500, 'spans');
    expect(traces.at - started).toBeLessThan(1_500);
    expect(marksAt - started).toBeLessThan(1_500);
    expect(traces.contentType).toBe('application/x-protobuf');
    const body = receiver.text('/v1/traces');
    for (const s of ['delivered-flow', 'delivered-node', 'setup-test-service', 'team', 'payments']) expect(body).toContain(s);
    await eventually(() => (receiver.text('/v1/logs').includes('a console line from the node') ? true : undefined), 1_500, 'console line');
    expect(receiver.text('/v1/logs')).toContain('span.start');
  });

  it('flushes what is queued on forceFlush', async () => {
    const before = receiver.requests.length;
    runFlow({ id: 'flushed-flow' }, null, () => 1);
    await tracing.forceFlush();
    expect(receiver.requests.length).toBeGreaterThan(before);
    expect(receiver.text('/v1/traces')).toContain('flushed-flow');
  });

  it('never throws into the service when the collector answers errors, and counts the failures', async () => {
    receiver.status = 500;
    try {
      for (let i = 0; i < 20; i++) expect(runFlow({ id: 'rejected-by-collector' }, i, (x) => x + 1)).toBe(i + 1);
      await tracing.forceFlush();
      expect(tracing.stats().spans.failed).toBeGreaterThanOrEqual(20);
    } finally {
      receiver.status = 200;
    }
  });
});

describe('setupTracing with the collector down', () => {
  it('keeps answering, keeps its queue bounded, counts drops and reports them through diag', async () => {
    // A second setup in this process: global registration is refused, the instrumentation uses these providers.
    // Start marks at once (no delay), so each span also puts a log record in the log queue.
    const down = setupTracing({ serviceName: 'down', endpoint: 'http://127.0.0.1:9', maxQueueSize: 100, exportIntervalMs: 50, diagLogLevel: 'none', capture: { startMarkDelayMs: 0 } });
    try {
      const started = performance.now();
      for (let i = 0; i < 5_000; i++) runFlow({ id: 'while-down' }, null, () => node({ id: 'n' }, () => i));
      const perExecution = (performance.now() - started) / 5_000;
      const stats = down.stats();
      expect(stats.spans.pending).toBeLessThanOrEqual(100);
      expect(stats.spans.dropped).toBeGreaterThan(9_000);
      expect(stats.logs.dropped).toBeGreaterThan(9_000);
      expect(perExecution).toBeLessThan(1);
      expect(warnings.some((w) => /dropped/.test(w))).toBe(true);
    } finally {
      const s0 = performance.now();
      await down.shutdown(300);
      expect(performance.now() - s0).toBeLessThan(1_000);
    }
  });
});

describe('setupTracing with a collector that never answers', () => {
  it('does not slow the service down and keeps its queue bounded while exports hang', async () => {
    const hanging = createServer(() => undefined); // accepts requests, never responds
    const port = await listen(hanging);
    const slow = setupTracing({ serviceName: 'slow', endpoint: `http://127.0.0.1:${port}`, maxQueueSize: 200, exportIntervalMs: 20, exportTimeoutMs: 10_000, diagLogLevel: 'none' });
    try {
      const started = performance.now();
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < 100; i++) await runFlow({ id: 'while-slow' }, i, async (x) => node({ id: 'n' }, () => x));
        await new Promise((r) => setTimeout(r, 5)); // let the batch processors try to export
      }
      const elapsed = performance.now() - started;
      const stats = slow.stats();
      expect(elapsed).toBeLessThan(5_000);
      expect(stats.spans.pending).toBeLessThanOrEqual(200);
      expect(stats.spans.dropped).toBeGreaterThan(2_000);
      expect(stats.spans.exported).toBe(0);
    } finally {
      await slow.shutdown(200);
      await close(hanging);
    }
  });
});
