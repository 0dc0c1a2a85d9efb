/**
 * Payloads (large attributes) are kept zstd-compressed in the file: a database is written in
 * DuckDB's storage format v1.2 (the first to compress strings with zstd) and the large attributes'
 * column asks for zstd. A file an older flowtrace wrote in the older format keeps working; the
 * storage says so at start, and `flowtrace compact` rewrites it in the current format.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, expect, it } from 'vitest';
import { compactDatabase, openStorage, type Storage } from '../../src/storage/index.js';
import { createOldDatabase } from '../fixtures/old-schema.js';
import { attributeList, makeExecutionRows, newTraceId } from '../fixtures/rows.js';

const dir = mkdtempSync(join(tmpdir(), 'ft-payload-zstd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A JSON payload of ~1.5 KB that repeats its structure, as captured inputs do. */
const payload = (i: number) => JSON.stringify({ order: `ord-${i}`, lines: Array.from({ length: 12 }, (_, k) => ({ sku: `sku-${(i * 7 + k) % 500}`, qty: k, note: 'gift wrap and a card' })) });

async function writePayloadSpans(storage: Storage, executions: number): Promise<string[]> {
  const traces: string[] = [];
  const spans = [];
  for (let i = 0; i < executions; i++) {
    const traceId = newTraceId();
    traces.push(traceId);
    const rows = makeExecutionRows({ traceId, nodes: 3, startMs: Date.now() - 60_000 + i });
    for (const row of rows) row.attributes.push(...attributeList({ 'flow.node.input': payload(i) }));
    spans.push(...rows);
  }
  await storage.writer.write({ spans, starts: [], logs: [] });
  return traces;
}

/** The file's storage format and how each segment of span_data's large attributes is compressed. */
async function storedForm(path: string): Promise<{ version: string; compression: string[] }> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const c = await instance.connect();
  try {
    const [[tags]] = (await c.runAndReadAll(`SELECT tags FROM duckdb_databases() WHERE path = '${path}'`)).getRowsJS() as [[Array<{ key: string; value: string }>]];
    const compression = (await c.runAndReadAll(`SELECT DISTINCT compression FROM pragma_storage_info('span_data')
      WHERE column_name = 'large_attributes' AND segment_type = 'VARCHAR' ORDER BY 1`)).getRowsJS().map((r) => String(r[0]));
    return { version: tags.find((t) => t.key === 'storage_version')?.value ?? '', compression };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** The flow.node.input of the first span of a trace that has one, read back through the storage. */
async function payloadOf(storage: Storage, traceId: string): Promise<unknown> {
  const trace = await storage.traces.get(traceId);
  const span = trace?.spans.find((s) => s.attributes.includes('flow.node.input'));
  return span === undefined ? undefined : (JSON.parse(span.attributes) as Record<string, unknown>)['flow.node.input'];
}

it('writes a new database in the v1.2 format, payloads compressed with zstd', async () => {
  const path = join(dir, 'new.duckdb');
  const storage = await openStorage({ path });
  let traces: string[];
  try {
    expect(storage.notices).toEqual([]);
    traces = await writePayloadSpans(storage, 400);
  } finally {
    await storage.close();
  }
  expect(await storedForm(path)).toEqual({ version: 'v1.2.0+', compression: ['ZSTD'] });
  const again = await openStorage({ path });
  try {
    expect(await payloadOf(again, traces[7])).toBe(payload(7));
  } finally {
    await again.close();
  }
});

it('opens a file an older flowtrace wrote, says how to bring it to the current format, and compact does', async () => {
  const path = join(dir, 'old.duckdb');
  await createOldDatabase(path, 17); // schema 17: the large attributes in piece columns, DuckDB's v1.0 format
  let storage = await openStorage({ path });
  let traces: string[];
  try {
    expect(storage.notices).toHaveLength(1);
    expect(storage.notices[0]).toMatch(/flowtrace compact/);
    traces = await writePayloadSpans(storage, 100);
    expect(await payloadOf(storage, traces[3])).toBe(payload(3));
  } finally {
    await storage.close();
  }
  expect((await storedForm(path)).version).toBe('v1.0.0+');

  await compactDatabase(path);
  expect(await storedForm(path)).toEqual({ version: 'v1.2.0+', compression: ['ZSTD'] });
  storage = await openStorage({ path });
  try {
    expect(storage.notices).toEqual([]);
    expect(await payloadOf(storage, traces[3])).toBe(payload(3));
    expect((await storage.executions.list({ limit: 500 })).executions).toHaveLength(100);
  } finally {
    await storage.close();
  }
});

it('keeps payloads whose text does not compress', async () => {
  const path = join(dir, 'random.duckdb');
  const storage = await openStorage({ path });
  try {
    const traceId = newTraceId();
    const rows = makeExecutionRows({ traceId, nodes: 2, startMs: Date.now() - 1000 });
    const noise = randomBytes(12_000).toString('base64'); // 16 KB: past any piece or page limit of the old layout
    rows[1].attributes.push(...attributeList({ 'flow.node.output': noise }));
    await storage.writer.write({ spans: rows, starts: [], logs: [] });
    const [[length]] = (await storage.sql.run(`SELECT length(attributes->>'$."flow.node.output"') FROM spans WHERE trace_id = '${traceId}' AND attributes LIKE '%flow.node.output%'`)).rows;
    expect(Number(length)).toBe(noise.length);
  } finally {
    await storage.close();
  }
});
