/**
 * A list search whose HTTP request is gone stops in the database: the browser cancels a
 * search when the user types on, and a tab left on a search that finds nothing must not keep
 * the collector's cores and read connections busy with answers nobody reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { duckdbOf } from '../../src/storage/duckdb-storage.js';
import { api, eventually, startTestCollector } from '../fixtures/collector.js';
import { makeSpanRow, newTraceId, ns } from '../fixtures/rows.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestCollector();
  // Spans with a few kB of attribute text each, over two days: a text search that finds
  // nothing reads all of it, window after window (a few hundred ms here).
  const now = Date.now();
  const filler = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`note.${i}`, `lorem ipsum dolor sit amet ${i} `.repeat(7)]));
  for (let batch = 0; batch < 6; batch++) {
    const spans = Array.from({ length: 2000 }, (_, i) => makeSpanRow({
      traceId: newTraceId(), name: `step ${i}`, startTimeUnixNano: ns(now - (batch * 2000 + i) * 14_000),
      attributes: JSON.stringify(filler),
    }));
    await server.storage.writer.write({ spans, starts: [], logs: [] });
  }
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('a search whose client went away', () => {
  it('is interrupted in DuckDB and gives its read connection back', async () => {
    const reads = duckdbOf(server.storage).reads;
    const before = reads.stopped;
    const controller = new AbortController();
    const request = fetch(`${server.url}/api/executions?q=${encodeURIComponent('nowhere to be found')}`, { signal: controller.signal })
      .catch((error: Error) => error);
    // Abort once the search is running in the database.
    await eventually(async () => reads.busy > 0, 10_000);
    controller.abort();
    expect(await request).toBeInstanceOf(Error);
    await eventually(async () => reads.stopped > before, 10_000);
    await eventually(async () => reads.busy === 0, 10_000);
    // The collector answers the next request as usual.
    const next = await api(server.url, '/api/executions?limit=1');
    expect(next.status).toBe(200);
    expect(next.body.executions).toHaveLength(1);
  });

  it('still answers a client that waits for it', async () => {
    const before = duckdbOf(server.storage).reads.stopped;
    const res = await api(server.url, `/api/executions?q=${encodeURIComponent('nowhere to be found')}`);
    expect(res.status).toBe(200);
    expect(res.body.executions).toEqual([]);
    expect(duckdbOf(server.storage).reads.stopped).toBe(before);
  });
});
