/**
 * The built `flowtrace` command with OTLP/gRPC, as a user runs it: it prints where gRPC listens,
 * takes --grpc-port and --grpc-max-message, refuses a gRPC port it cannot have, hints at the
 * gRPC port when a gRPC client dials the HTTP one, and on SIGTERM while exporters send, every
 * call it acknowledged is in the database afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../fixtures/cli-process.js';
import { eventually, startTestCollector } from '../fixtures/collector.js';
import { freePort, rawExport, Status } from '../fixtures/grpc-client.js';
import { encodeTraceProtobuf, makeOtlpSpan, makeTraceRequest } from '../fixtures/otlp.js';

const dir = mkdtempSync(join(tmpdir(), 'ft-grpc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function traceBody(n: number): { body: Uint8Array; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  const spans = Array.from({ length: n }, () => makeOtlpSpan({ traceId, spanId: randomBytes(8).toString('hex'), parentSpanId: undefined }));
  return { body: encodeTraceProtobuf(makeTraceRequest(spans)), traceId };
}

describe('flowtrace start with OTLP/gRPC', () => {
  it('stores every span it acknowledged when stopped while exporters send', async () => {
    const db = join(dir, 'stop.duckdb');
    const port = await freePort();
    const cli = await startCli(['--port', '0', '--db', db, '--grpc-port', String(port)]);
    await eventually(async () => cli.output().includes(`OTLP/gRPC 127.0.0.1:${port}`));
    const acked: string[] = [];
    const refused: number[] = [];
    let stopped = false;
    const sender = async () => {
      for (;;) {
        const { body, traceId } = traceBody(50);
        const result = await rawExport(`127.0.0.1:${port}`, 'traces', body, { timeoutMs: 5_000 });
        if (result.code === Status.OK) acked.push(traceId);
        else {
          refused.push(result.code);
          if (stopped) return;
        }
      }
    };
    const senders = Promise.all([sender(), sender(), sender(), sender()]);
    await eventually(async () => acked.length >= 20, 15_000);
    stopped = true;
    const code = await cli.stop('SIGTERM');
    await senders;
    expect(code).toBe(0);
    expect(refused.every((c) => c === Status.UNAVAILABLE)).toBe(true);
    const reopened = await startTestCollector({ dbPath: db });
    try {
      const counts = await reopened.storage.sql.run(
        `SELECT trace_id, count(*) FROM spans WHERE trace_id IN (${acked.map((t) => `'${t}'`).join(',')}) GROUP BY trace_id`);
      expect(counts.rows.length).toBe(acked.length);
      expect(counts.rows.every((r) => Number(r[1]) === 50)).toBe(true);
    } finally {
      await reopened.close();
    }
  });

  it('answers past --grpc-max-message with RESOURCE_EXHAUSTED and hints at the gRPC port to a gRPC client on the HTTP port', async () => {
    const port = await freePort();
    const cli = await startCli(['--port', '0', '--db', ':memory:', '--grpc-port', String(port), '--grpc-max-message', '1KiB']);
    try {
      expect((await rawExport(`127.0.0.1:${port}`, 'traces', Buffer.alloc(2048, 1))).code).toBe(Status.RESOURCE_EXHAUSTED);
      expect((await rawExport(`127.0.0.1:${port}`, 'traces', traceBody(1).body)).code).toBe(Status.OK);
      const httpPort = new URL(cli.url).port;
      expect((await rawExport(`127.0.0.1:${httpPort}`, 'traces', traceBody(1).body, { timeoutMs: 5_000 })).code).not.toBe(Status.OK);
      await eventually(async () => cli.output().includes(`send OTLP/gRPC to port ${port}`));
    } finally {
      await cli.stop();
    }
  });

  it('runs without gRPC when --grpc-port is 0', async () => {
    const cli = await startCli(['--port', '0', '--db', ':memory:', '--grpc-port', '0']);
    try {
      await eventually(async () => cli.output().includes('API '));
      expect(cli.output()).not.toContain('OTLP/gRPC');
    } finally {
      await cli.stop();
    }
  });

  it('refuses to start when the --grpc-port asked for is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      await expect(startCli(['--port', '0', '--db', ':memory:', '--grpc-port', String(port)])).rejects.toThrow(/exited with 1.*OTLP\/gRPC receiver could not listen/s);
    } finally {
      taken.close();
    }
  });
});
