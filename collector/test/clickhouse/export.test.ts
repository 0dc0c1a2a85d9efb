/**
 * GET /api/export/*.parquet on ClickHouse (chDB): each file, read back with a DuckDB of the test's
 * own, holds what the SQL console shows for the same view and range — same columns, same rows,
 * same values. ClickHouse writes its times as UTC instants (Parquet TIMESTAMP isAdjustedToUTC, to
 * the microsecond; DuckDB's engine writes plain TIMESTAMP, test/query/export-api.test.ts), so the
 * times are compared as instants. Types stay ones pandas, pyarrow and Spark read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { makeLogRecord, makeLogsRequest, strAttr } from '../fixtures/otlp.js';
import { makeGauge, makeHistogram, makeMetricsRequest, makePoint, makeSum } from '../fixtures/otlp-metrics.js';
import { readParquet } from '../fixtures/parquet.js';
import { seed } from '../fixtures/seed.js';
import { chdbDir, freshDatabase, removeChdbDir } from './chdb-store.js';

const DAY1 = Date.parse('2024-03-01T10:00:00Z');
const DAY2 = Date.parse('2024-03-02T10:00:00Z');
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n + 123_456n);
const VIEWS = { spans: 'start_ns', executions: 'start_ns', logs: 'time_ns', metrics: 'time_ns' } as const;
type Kind = keyof typeof VIEWS;
const KINDS = Object.keys(VIEWS) as Kind[];

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ft-ch-export-'));
  server = await startTestCollector({ storage: 'clickhouse', clickhouse: { url: `chdb:${chdbDir()}`, database: freshDatabase('export') } });
  const seeded = await seed(server.url, [
    ...Array.from({ length: 3 }, (_, i) => ({ flow: 'checkout', startMs: DAY1 + i * 60_000, fail: i === 1 })),
    ...Array.from({ length: 2 }, (_, i) => ({ flow: 'refund', startMs: DAY2 + i * 60_000, user: 'bob' })),
  ]);
  const logs = seeded.flatMap((e, i) => [
    makeLogRecord({ traceId: e.traceId, spanId: e.rootSpanId, timeUnixNano: ns(e.startMs + 5), body: { stringValue: `line ${i} of ${e.flow}` } }),
    makeLogRecord({ traceId: e.traceId, spanId: e.rootSpanId, timeUnixNano: ns(e.startMs + 7), severityNumber: 17, severityText: 'ERROR', body: { stringValue: `"quoted" ✓ ${i}` } }),
  ]);
  const post = (path: string, body: unknown) => api(server.url, path, { method: 'POST', json: body });
  expect((await post('/v1/logs', makeLogsRequest(logs, { resourceAttributes: [strAttr('service.name', 'orders')] }))).status).toBe(200);
  const point = (ms: number, extra: object) => makePoint({ timeUnixNano: ns(ms), startTimeUnixNano: ns(ms - 60_000), ...extra });
  const metrics = [DAY1, DAY2].flatMap((ms) => [
    makeGauge('queue.depth', [point(ms, { asDouble: 3.5 })]),
    makeSum('requests', [point(ms, { asInt: '9007199254740993' })]),
    makeHistogram('latency', [point(ms, { count: '3', sum: 12.5, min: 1, max: 9, bucketCounts: ['1', '2'], explicitBounds: [5] })]),
  ]);
  expect((await post('/v1/metrics', makeMetricsRequest(metrics))).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  removeChdbDir();
});

/** Microseconds since the epoch of a time as either side writes it ("2024-03-01 10:00:00.05+00", "… 10:00:00.050000"). */
function instant(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(?:\+00)?$/.exec(value);
  if (!m) throw new Error(`not a UTC time: ${value}`);
  return BigInt(Date.parse(`${m[1]}T${m[2]}Z`)) * 1000n + BigInt((m[3] ?? '').padEnd(6, '0'));
}

/** Rows with their time columns as instants, in one order (by their JSON). */
function comparable(rows: unknown[][], timeColumns: number[]): string[] {
  return rows.map((row) => JSON.stringify(row.map((v, i) => (timeColumns.includes(i) ? instant(v) : v)), (_k, v) => (typeof v === 'bigint' ? `${v}µs` : v))).sort();
}

async function download(kind: Kind, query = ''): Promise<{ response: Response; path: string }> {
  const response = await fetch(`${server.url}/api/export/${kind}.parquet${query}`);
  const path = join(dir, `${kind}-${Math.random().toString(36).slice(2)}.parquet`);
  writeFileSync(path, Buffer.from(await response.arrayBuffer()));
  return { response, path };
}

/** Checks the export of `kind` against the console's rows of the same range; answers their count. */
async function expectSameAsConsole(kind: Kind, query: string, fromNs?: bigint, toNs?: bigint): Promise<number> {
  const { response, path } = await download(kind, query);
  expect(response.status).toBe(200);
  const file = await readParquet(path);
  const where = [fromNs !== undefined ? `${VIEWS[kind]} >= ${fromNs}` : '', toNs !== undefined ? `${VIEWS[kind]} <= ${toNs}` : ''].filter(Boolean);
  const shown = await api(server.url, '/api/sql', { method: 'POST', json: { sql: `SELECT * FROM ${kind} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}` } });
  expect(shown.status).toBe(200);
  const columns = shown.body.columns as Array<{ name: string; type: string }>;
  expect(file.columns.map((c) => c.name)).toEqual(columns.map((c) => c.name));
  expect(Number(response.headers.get('x-flowtrace-rows'))).toBe(shown.body.rows.length);
  const times = columns.flatMap((c, i) => (/DateTime64/.test(c.type) ? [i] : []));
  expect(times.length, kind).toBeGreaterThan(0);
  expect(comparable(file.rows, times)).toEqual(comparable(shown.body.rows, times));
  return file.rows.length;
}

describe('GET /api/export/*.parquet on ClickHouse', () => {
  for (const kind of KINDS) {
    it(`exports the ${kind} view as Parquet holding exactly what the SQL console shows`, async () => {
      expect(await expectSameAsConsole(kind, '')).toBeGreaterThan(0);
    });
  }

  it('writes only types that pandas, pyarrow and Spark read, its times as UTC instants to the microsecond', async () => {
    for (const kind of KINDS) {
      const { path } = await download(kind);
      const { columns, schema } = await readParquet(path);
      for (const column of columns) expect(column.type, `${kind}.${column.name}`).not.toMatch(/JSON|TIMESTAMP_NS|HUGEINT|UNION|MAP|INTERVAL/);
      for (const field of schema) expect(field.logical, `${kind}.${field.name}`).not.toMatch(/JSON|NanoSeconds\(|UUID|INTERVAL|MAP|UNKNOWN/i);
      if (kind !== 'executions') expect(columns.find((c) => c.name === 'attributes')?.type, kind).toBe('VARCHAR');
      const time = kind === 'logs' || kind === 'metrics' ? 'time' : 'start_time';
      expect(columns.find((c) => c.name === time)?.type, kind).toBe('TIMESTAMP WITH TIME ZONE');
      expect(schema.find((f) => f.name === time)?.logical, kind).toMatch(/isAdjustedToUTC=1.*MICROS=MicroSeconds/);
    }
  });

  it('keeps only the rows within from and to, given as ISO 8601 or epoch milliseconds', async () => {
    const to = DAY1 + 86_400_000 / 2;
    for (const kind of KINDS) {
      const all = (await api(server.url, '/api/sql', { method: 'POST', json: { sql: `SELECT count() FROM ${kind}` } })).body.rows[0][0];
      const inRange = await expectSameAsConsole(kind, `?from=2024-03-01T00:00:00Z&to=${to}`, BigInt(Date.parse('2024-03-01T00:00:00Z')) * 1_000_000n, BigInt(to) * 1_000_000n);
      expect(inRange, kind).toBeGreaterThan(0);
      expect(inRange, kind).toBeLessThan(Number(all));
    }
    expect(await expectSameAsConsole('spans', `?from=${DAY2}`, BigInt(DAY2) * 1_000_000n)).toBe(8); // two executions of a root and three nodes
  });
});
