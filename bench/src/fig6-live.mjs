// Figure 6: live latency, span end → event on GET /api/live, p50/p95, against a collector
// process on a file database. Baseline in the same run: the instrumentation's export interval
// (500 ms), the part of the latency that is batching by design.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChildJson } from './lib/child-json.mjs';
import { startCollectorProcess } from './lib/collector-process.mjs';
import { loadAverage, percentile } from './lib/stats.mjs';

const CHILD = fileURLToPath(new URL('./child/live-latency.mjs', import.meta.url));

export async function measureLive(dir, flows) {
  const load = loadAverage();
  const dbPath = join(dir, 'live.duckdb');
  rmSync(dbPath, { force: true });
  const collector = await startCollectorProcess(dbPath);
  try {
    const r = await runChildJson(CHILD, [collector.url, flows], 300_000);
    return { received: r.received, expected: r.expected, p50: percentile(r.latencies, 50), p95: percentile(r.latencies, 95), max: Math.max(...r.latencies), load };
  } finally {
    await collector.stop();
  }
}
