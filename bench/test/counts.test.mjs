// The benchmark's CI check, quick-sized: the workload is deterministic, and what the ingest
// figure sends over HTTP is what the collector acknowledges and stores, span for span; the
// bulk loader and the SQLite design store the same spans too. Speed is not checked here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureIngest } from '../src/fig1-ingest.mjs';
import { loadSqlite, openSqlite } from '../src/fig3-sqlite.mjs';
import { bulkLoad } from '../src/lib/bulk-load.mjs';
import { prepareDataset } from '../src/lib/dataset.mjs';
import { executions, makeFlows } from '../src/lib/workload.mjs';

const dir = mkdtempSync(join(tmpdir(), 'ft-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the benchmark workload', () => {
  it('gives the same executions for the same seed and different ones for another seed', () => {
    const ids = (seed) => [...executions({ seed, totalSpans: 5000 })].map((e) => e.traceId + e.spans.length).join();
    expect(ids(7)).toBe(ids(7));
    expect(ids(7)).not.toBe(ids(8));
  });

  it('has 50 flows of 5–30 nodes nested at most 4 deep, about 5 % failures and a 10,000-span trace', () => {
    const flows = makeFlows(42);
    expect(flows).toHaveLength(50);
    for (const f of flows) {
      expect(f.nodes.length).toBeGreaterThanOrEqual(5);
      expect(f.nodes.length).toBeLessThanOrEqual(30);
      expect(Math.max(...f.nodes.map((n) => n.depth))).toBeLessThanOrEqual(4);
    }
    const all = [...executions({ seed: 42, totalSpans: 100_000, bigEvery: 50_000 })];
    const errors = all.filter((e) => e.status === 'error').length / all.length;
    expect(errors).toBeGreaterThan(0.03);
    expect(errors).toBeLessThan(0.07);
    expect(all.some((e) => e.spans.length >= 10_000)).toBe(true);
    expect(new Set(all.flatMap((e) => e.spans.map((s) => s.service))).size).toBeGreaterThan(10);
  });
});

describe('the ingest figure in quick mode', () => {
  it('counts spans sent = acknowledged = stored, over HTTP from client processes, protobuf', async () => {
    const dataset = prepareDataset({ dir, seed: 42, spans: 30_000 });
    const { result } = await measureIngest({ dataset, dbPath: join(dir, 'ingest.duckdb'), clients: 2 });
    expect(result.sent).toBe(dataset.index.spans);
    expect(result.acked).toBe(result.sent);
    expect(result.stored).toBe(result.acked);
    expect(result.failures).toBe(0);
    expect(result.spansPerSec).toBeGreaterThan(0);
    expect(result.peakRss).toBeGreaterThan(0);
  });

  it('counts spans sent = acknowledged = stored for OTLP/JSON too', async () => {
    const dataset = prepareDataset({ dir, seed: 43, spans: 5_000, format: 'json' });
    const { result } = await measureIngest({ dataset, dbPath: join(dir, 'ingest-json.duckdb'), clients: 2 });
    expect(result.acked).toBe(dataset.index.spans);
    expect(result.stored).toBe(result.acked);
  });

  it('bulk-loads and stores in SQLite exactly the spans of the dataset', async () => {
    const dataset = prepareDataset({ dir, seed: 44, spans: 10_000 });
    const loaded = await bulkLoad(dataset, join(dir, 'bulk.duckdb'));
    expect(loaded.spans).toBe(dataset.index.spans);
    expect(loaded.logs).toBe(dataset.logs.index.spans);
    const db = openSqlite(join(dir, 'design.sqlite'));
    const lite = loadSqlite(db, { seed: 44, spans: 10_000 });
    const rows = db.prepare('SELECT (SELECT count(*) FROM executions) + (SELECT count(*) FROM node_executions)').pluck().get();
    db.close();
    expect(lite.spans).toBe(dataset.index.spans);
    expect(rows).toBe(dataset.index.spans);
  });
});
