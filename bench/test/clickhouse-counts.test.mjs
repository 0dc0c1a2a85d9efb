// The ClickHouse (chDB) side of the benchmark, quick-sized: what the ingest figure sends over HTTP
// to a collector on ClickHouse is what it acknowledges and stores, span for span, and the CPU
// split sees ClickHouse's own threads at work; the storage figure's child stores every span of
// the dataset and reads its parts. Speed is not checked here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseIngest, clickhouseStorage } from '../src/fig-clickhouse.mjs';
import { prepareDataset } from '../src/lib/dataset.mjs';

const dir = mkdtempSync(join(tmpdir(), 'ft-bench-ch-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the ClickHouse rows in quick mode', () => {
  it('counts spans sent = acknowledged = stored over HTTP into a collector on chDB', async () => {
    const dataset = prepareDataset({ dir, seed: 45, spans: 5_000 });
    const { result } = await clickhouseIngest({ dir, name: 'ingest', dataset });
    expect(result.engine).toBe('clickhouse');
    expect(result.sent).toBe(dataset.index.spans);
    expect(result.acked).toBe(result.sent);
    expect(result.stored).toBe(result.acked);
    expect(result.failures).toBe(0);
    // ClickHouse's named threads did part of the work, and the buckets add up to the process's time.
    expect(result.cpu.engine).toBeGreaterThan(0);
    expect(result.cpu.main).toBeGreaterThan(0);
    expect(result.cpu.main + result.cpu.engine + result.cpu.node + result.cpu.ended).toBeCloseTo(result.cpu.total, 1);
  });

  it('stores every span of the dataset through the storage writer and reads the bytes of its parts', async () => {
    const dataset = prepareDataset({ dir, seed: 46, spans: 3_000, payloads: false });
    const s = await clickhouseStorage({ dir, seed: 46, spans: 3_000, payloads: false });
    expect(s.spans).toBe(dataset.index.spans);
    expect(s.storedSpans).toBe(dataset.index.spans);
    expect(s.tables.find((t) => t.table === 'span_data').rows).toBe(dataset.index.spans);
    expect(s.spanDataBytes).toBeGreaterThan(0);
    expect(s.bytes).toBeGreaterThan(s.spanDataBytes);
    expect(s.optimizedBytes).toBeGreaterThan(0);
    expect(s.tablesOptimized.find((t) => t.table === 'span_data').parts).toBe(1);
  });
});
