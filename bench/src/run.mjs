// `pnpm bench` / `pnpm bench:quick`: runs the figures of issue 5 in order, prints each with its
// same-run baseline, ratio and target, and writes BENCHMARKS.md at the repository root.
// Figures 1–4 also run on ClickHouse (chDB, in-process) right after DuckDB's, on the same data,
// up to 1M spans (fig-clickhouse.mjs); --no-clickhouse leaves them out.
//   node src/run.mjs --mode quick|full [--sizes 1m,10m] [--storage-sizes 1m,10m] [--only 1,2,3] [--dir DIR] [--no-write] [--part NAME] [--no-clickhouse]
// --part names the results file (bench/results/NAME.md, default the mode), so a run of one size
// (e.g. --sizes 10m --only 2,3 --part full-10m) sits beside the full run instead of replacing it.
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appenderLimit, rowInserts } from './fig1-baselines.mjs';
import { measureIngest } from './fig1-ingest.mjs';
import { measureQueries } from './fig2-queries.mjs';
import { loadSqlite, openSqlite, querySqlite } from './fig3-sqlite.mjs';
import { measureStorage } from './fig4-storage.mjs';
import { CLICKHOUSE_MAX, clickhouseIngest, clickhouseIngestAndQueries, clickhouseStorage } from './fig-clickhouse.mjs';
import { measureInstrumentation, measureViewer, measureWhy } from './fig5to8.mjs';
import { measureLive } from './fig6-live.mjs';
import { bulkLoad } from './lib/bulk-load.mjs';
import { startCollectorProcess } from './lib/collector-process.mjs';
import { prepareDataset } from './lib/dataset.mjs';
import { postLogs } from './lib/http.mjs';
import { Report, fmt } from './lib/report.mjs';
import { scalingSection } from './lib/scaling-md.mjs';
import { writeBenchmarksMd } from './lib/write-md.mjs';
import * as rows from './rows.mjs';
import * as chRows from './rows-clickhouse.mjs';

/** Datasets up to this size reach the query database through HTTP; larger ones through the storage writer. */
const HTTP_MAX = 1_000_000;
const SEED = 42;
/**
 * Figure 4's payload workload is stored only up to this size: at 10M spans its dataset, the
 * DuckDB file and the SQLite design's file need ~58 GB together. The no-payload variant runs at
 * every storage size of the plan.
 */
const PAYLOAD_STORAGE_MAX = 1_000_000;
const parseSize = (s) => Math.round(Number.parseFloat(s) * ({ k: 1e3, m: 1e6 }[s.slice(-1).toLowerCase()] ?? 1));

export const PLANS = {
  quick: { sizes: [100_000], storage: [100_000], queryRuns: 10, nodes: 100, flows: 300, liveFlows: 40, viewer: [10_000, 100_000] },
  full: { sizes: [1_000_000, 10_000_000], storage: [1_000_000, 10_000_000], queryRuns: 30, nodes: 100, flows: 2000, liveFlows: 150, viewer: [10_000, 100_000] },
};

/**
 * Figures 1, 2, 3 (and 8) at one size; returns the main ingest result (or undefined above HTTP_MAX).
 * ch: { on, ms, scaling } — the ClickHouse side runs when on, adding its wall time to ms and,
 * at the first size, the ingest results the scale-out estimate reads to scaling.
 */
async function atSize(report, plan, dir, size, first, only, ch) {
  const label = `${fmt.n(size / 1e6, size < 1e6 ? 1 : 0)}M spans`;
  const dataset = prepareDataset({ dir, seed: SEED, spans: size, payloads: true });
  const dbPath = join(dir, `queries-${size}.duckdb`);
  let ingest;
  let collector;
  let np;
  if (size <= HTTP_MAX) {
    const limit = await appenderLimit(dataset, join(dir, 'limit.duckdb'));
    ({ result: ingest, collector } = await measureIngest({ dataset, dbPath, keepRunning: true }));
    rows.ingestRows(report, `protobuf, payload workload, ${label}`, ingest, limit);
    report.note(`Counts, ${label} ingest`, `planned ${ingest.planned}, sent ${ingest.sent}, acknowledged ${ingest.acked}, stored ${ingest.stored}, rejected ${ingest.rejected}; ${ingest.requests} requests, statuses ${JSON.stringify(ingest.statuses)}, ${ingest.retries} retries. Counts add up: ${rows.countsOk(ingest) ? 'yes' : '**NO**'}.`);
    if (first) {
      rows.memoryRow(report, ingest);
      rows.insertRow(report, await rowInserts(dataset, join(dir, 'inserts.duckdb'), 5000, 20_000), limit);
      np = await measureIngest({ dataset: prepareDataset({ dir, seed: SEED, spans: Math.round(size / 2), payloads: false }), dbPath: join(dir, 'ingest-np.duckdb') });
      rows.ingestRows(report, `protobuf, no payloads, ${fmt.n(np.result.acked)} spans`, np.result, limit);
      const js = await measureIngest({ dataset: prepareDataset({ dir, seed: SEED, spans: Math.round(size / 4), payloads: true, format: 'json' }), dbPath: join(dir, 'ingest-json.duckdb') });
      rows.ingestRows(report, `OTLP/JSON, payload workload, ${fmt.n(js.result.acked)} spans`, js.result, limit);
    }
    await postLogs(collector.url, dataset);
  } else {
    const loaded = await bulkLoad(dataset, dbPath);
    // The bodies are regenerated from the seed when needed again; dropping them leaves the
    // disk to the SQLite design's file (10M spans with payloads: ~23 GB of bodies, ~28 GB SQLite).
    for (const path of [dataset.path, dataset.logs.path]) rmSync(path, { force: true });
    report.note(`Bulk load, ${label}`, `${fmt.n(loaded.spans)} spans and ${fmt.n(loaded.logs)} console lines loaded through the collector's storage writer (not HTTP) in ${loaded.seconds.toFixed(0)} s (${fmt.n(loaded.spansPerSec)} spans/s).`);
    collector = await startCollectorProcess(dbPath);
  }
  let duck;
  try {
    duck = await measureQueries(collector.url, plan.queryRuns);
  } finally {
    await collector.stop();
  }
  // The same dataset over HTTP into a collector on ClickHouse, asked DuckDB's questions word for word.
  const onClickHouse = ch.on && ingest && size <= CLICKHOUSE_MAX ? await clickhouseAtSize(report, plan, dir, size, label, { dataset, ingest, np: np?.result, duck }, first, ch) : undefined;
  if (only.has(3)) {
    const litePath = join(dir, `design-${size}.sqlite`);
    const db = openSqlite(litePath);
    const lite = loadSqlite(db, { seed: SEED, spans: size, payloads: true });
    const liteQ = await querySqlite(db, duck.flow, plan.queryRuns);
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${litePath}${suffix}`, { force: true });
    rows.sqliteInsertRow(report, label, lite, ingest);
    if (onClickHouse) chRows.sqliteInsertRow(report, label, lite, onClickHouse.ingest, ingest);
    rows.queryRows(report, label, duck, liteQ);
    if (onClickHouse) chRows.queryRows(report, label, onClickHouse.queries, duck);
    if (onClickHouse) chRows.flowStatsRow(report, label, onClickHouse.queries, duck, liteQ);
  } else {
    rows.queryRows(report, label, duck, { rows: [], load: duck.load });
    if (onClickHouse) chRows.queryRows(report, label, onClickHouse.queries, duck);
  }
  return ingest;
}

/** Figure 1 (and 8) on ClickHouse at one size, then its queries; the figure 2/3 rows are added by atSize. */
async function clickhouseAtSize(report, plan, dir, size, label, d, first, ch) {
  const run = await clickhouseIngestAndQueries({ dir, size, dataset: d.dataset, queryRuns: plan.queryRuns, values: d.duck.values });
  ch.ms += run.ms;
  chRows.ingestRow(report, `protobuf, payload workload, ${label}`, run.ingest, d.ingest);
  chRows.countsNote(report, label, run.ingest, d.ingest);
  if (!first) return run;
  chRows.memoryRow(report, run.ingest, d.ingest);
  const npDataset = prepareDataset({ dir, seed: SEED, spans: Math.round(size / 2), payloads: false });
  const bytesPerSpan = (ds) => ds.index.bytes / ds.index.spans;
  ch.scaling = { cores: cpus().length, ch: { payload: run.ingest }, duck: { payload: d.ingest, noPayload: d.np }, bytesPerSpan: { payload: bytesPerSpan(d.dataset), noPayload: bytesPerSpan(npDataset) } };
  if (d.np) {
    const np = await clickhouseIngest({ dir, name: 'ingest-np', dataset: npDataset });
    ch.ms += np.ms;
    chRows.ingestRow(report, `protobuf, no payloads, ${fmt.n(np.result.acked)} spans`, np.result, d.np);
    chRows.countsNote(report, `no payloads, ${fmt.n(np.result.acked)} spans`, np.result, d.np);
    ch.scaling.ch.noPayload = np.result;
  }
  return run;
}

export async function runBench({ mode = 'quick', sizes, storageSizes, only = new Set([1, 2, 3, 4, 5, 6, 7]), dir, write = true, part, clickhouse = true } = {}) {
  const plan = { ...PLANS[mode], ...(sizes ? { sizes } : {}), ...(storageSizes ? { storage: storageSizes } : {}) };
  dir ??= join(tmpdir(), 'flowtrace-bench');
  mkdirSync(dir, { recursive: true });
  const report = new Report();
  const started = new Date();
  const ingests = [];
  const ch = { on: clickhouse, ms: 0, scaling: undefined };
  if (only.has(1) || only.has(2)) {
    for (const [i, size] of plan.sizes.entries()) ingests.push(await atSize(report, plan, dir, size, i === 0, only, ch));
  }
  if (only.has(4)) {
    for (const spans of plan.storage) {
      for (const payloads of spans <= PAYLOAD_STORAGE_MAX ? [false, true] : [false]) {
        const duck = await measureStorage({ dir, seed: SEED, spans, payloads });
        rows.storageRows(report, duck);
        if (!ch.on || spans > CLICKHOUSE_MAX) continue;
        const stored = await clickhouseStorage({ dir, seed: SEED, spans, payloads });
        ch.ms += stored.ms;
        chRows.storageRow(report, stored, duck);
      }
    }
  }
  if (ch.on && ch.ms > 0) {
    const total = Date.now() - started.getTime();
    report.note('What ClickHouse added to this run', `the ClickHouse (chDB) rows took ${(ch.ms / 60000).toFixed(1)} min of the ${(total / 60000).toFixed(1)} min the figures above took so far (${((ch.ms / total) * 100).toFixed(0)} %); sizes above ${fmt.n(CLICKHOUSE_MAX)} spans are not run on ClickHouse. \`--no-clickhouse\` leaves them out.`);
  }
  if (only.has(5)) rows.instrumentationRows(report, await measureInstrumentation(plan.nodes, plan.flows));
  if (only.has(6)) rows.liveRow(report, await measureLive(dir, plan.liveFlows));
  if (only.has(7)) rows.viewerRows(report, await measureViewer(dir, plan.viewer));
  if (only.has(7)) rows.whyRows(report, await measureWhy(dir, plan.viewer));
  console.log(`\n${report.table()}\n`);
  if (ch.scaling) console.log(`${scalingSection(ch.scaling)}\n`);
  if (write) await writeBenchmarksMd(report, { mode, part, plan, started, command: process.argv.slice(1).join(' '), scaling: ch.on && ch.ms > 0 ? ch.scaling ?? {} : undefined });
  return { report, ingests: ingests.filter(Boolean) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { mode: { type: 'string', default: 'quick' }, sizes: { type: 'string' }, 'storage-sizes': { type: 'string' }, only: { type: 'string' }, dir: { type: 'string' }, part: { type: 'string' }, 'no-write': { type: 'boolean' }, 'no-clickhouse': { type: 'boolean' } } });
  const sizes = values.sizes?.split(',').map(parseSize);
  const storageSizes = values['storage-sizes']?.split(',').map(parseSize);
  const only = values.only ? new Set(values.only.split(',').map(Number)) : undefined;
  await runBench({ mode: values.mode, sizes, storageSizes, only, dir: values.dir, write: !values['no-write'], part: values.part, clickhouse: !values['no-clickhouse'] });
}
