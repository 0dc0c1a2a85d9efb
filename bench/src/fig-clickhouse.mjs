// The ClickHouse side of figures 1–4, run in the same run as DuckDB's and right after them, on
// the same datasets: ClickHouse's own engine in-process through chDB (`flowtrace start --storage
// clickhouse --clickhouse-url chdb:PATH`), the only ClickHouse this machine has.
// - Figures 1 and 2: a collector process on a fresh chDB directory takes the dataset over HTTP
//   from the same client processes (fig1-ingest.mjs), then its console lines (untimed), then
//   answers the same questions as DuckDB's collector — the ids and values DuckDB's run picked.
// - Figure 4: a child process loads the dataset through the storage writer and reads
//   system.parts (child/ch-storage.mjs).
// Every function returns `ms`, its own wall time, so the run can say what ClickHouse added.
import { fileURLToPath } from 'node:url';
import { measureIngest } from './fig1-ingest.mjs';
import { measureQueries } from './fig2-queries.mjs';
import { runChildJson } from './lib/child-json.mjs';
import { CLICKHOUSE } from './lib/engines.mjs';
import { postLogs } from './lib/http.mjs';
import { loadAverage } from './lib/stats.mjs';

const STORAGE_CHILD = fileURLToPath(new URL('./child/ch-storage.mjs', import.meta.url));

/**
 * Sizes above this are not run on ClickHouse: the full plan's 10M spans would reach chDB through
 * the storage writer only, for tens of minutes more of a shared 2-core machine.
 */
export const CLICKHOUSE_MAX = 1_000_000;

/** Figure 1 only: ingest of `dataset` into a fresh chDB directory named `name` under `dir`. */
export async function clickhouseIngest({ dir, name, dataset }) {
  const t0 = performance.now();
  const { result } = await measureIngest({ dataset, dbPath: CLICKHOUSE.location(dir, name), engine: CLICKHOUSE });
  return { result, ms: performance.now() - t0 };
}

/**
 * Figures 1 and 2 at one size: ingest over HTTP (kept running), the console lines, then the
 * questions asked with DuckDB's picked `values`. Returns { ingest, queries, ms }.
 */
export async function clickhouseIngestAndQueries({ dir, size, dataset, queryRuns, values }) {
  const t0 = performance.now();
  const { result: ingest, collector } = await measureIngest({ dataset, dbPath: CLICKHOUSE.location(dir, `queries-${size}`), engine: CLICKHOUSE, keepRunning: true });
  let queries;
  try {
    await postLogs(collector.url, dataset);
    queries = await measureQueries(collector.url, queryRuns, values);
  } finally {
    await collector.stop();
  }
  return { ingest, queries, ms: performance.now() - t0 };
}

/** Figure 4: bytes per span in chDB's active parts for one workload variant (a child process). */
export async function clickhouseStorage({ dir, seed, spans, payloads }) {
  const t0 = performance.now();
  const load = loadAverage();
  const r = await runChildJson(STORAGE_CHILD, [dir, seed, spans, payloads ? 1 : 0], 1_800_000);
  return { ...r, load, ms: performance.now() - t0 };
}
