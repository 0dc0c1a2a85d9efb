// Figure 4 on ClickHouse, in a process of its own (chDB binds one data directory per process):
// loads the workload into a fresh chDB directory through the collector's storage writer (the
// same decode and rows as HTTP ingest; no console lines, like DuckDB's storage figure), then
// reads the database's active parts from system.parts — as the load left them, and again after
// OPTIMIZE TABLE … FINAL on every table (ClickHouse's counterpart of `flowtrace compact`).
// Prints one JSON line.   node child/ch-storage.mjs <dir> <seed> <spans> <payloads 0|1>
import { bulkLoad } from '../lib/bulk-load.mjs';
import { COLLECTOR_DIST } from '../lib/collector-dist.mjs';
import { prepareDataset } from '../lib/dataset.mjs';
import { CLICKHOUSE, CLICKHOUSE_DATABASE } from '../lib/engines.mjs';

const [dir, seed, spans, payloadsArg] = process.argv.slice(2);
const payloads = payloadsArg === '1';
const dataset = prepareDataset({ dir, seed: Number(seed), spans: Number(spans), payloads });
const path = CLICKHOUSE.location(dir, `storage-${payloads ? 'p' : 'np'}`);
const loaded = await bulkLoad(dataset, path, { withLogs: false, engine: CLICKHOUSE });

const { openConnection, parseClickHouseUrl } = await import(`${COLLECTOR_DIST}storage/clickhouse/connection.js`);
const conn = await openConnection(parseClickHouseUrl(`chdb:${path}`));
const parts = async () => {
  const rows = await conn.query(`SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes, count() AS parts
    FROM system.parts WHERE active AND database = {db:String} GROUP BY table ORDER BY table`, { db: CLICKHOUSE_DATABASE });
  return rows.map((r) => ({ table: r.table, rows: Number(r.rows), bytes: Number(r.bytes), parts: Number(r.parts) }));
};
try {
  const before = await parts();
  const spanCount = Number((await conn.query(`SELECT count() AS n FROM ${CLICKHOUSE_DATABASE}.span_data FINAL`))[0].n);
  for (const { table } of before) await conn.command(`OPTIMIZE TABLE ${CLICKHOUSE_DATABASE}.\`${table}\` FINAL`);
  const after = await parts();
  const sum = (list) => list.reduce((n, t) => n + t.bytes, 0);
  const spanData = before.find((t) => t.table === 'span_data');
  const feed = before.find((t) => t.table === 'change_feed');
  console.log(JSON.stringify({
    payloads,
    spans: loaded.spans,
    storedSpans: spanCount,
    bulkSpansPerSec: loaded.spansPerSec,
    bytes: sum(before),
    spanDataBytes: spanData?.bytes ?? 0,
    parts: spanData?.parts ?? 0,
    // live events' feed across collectors, kept one hour (a TTL): not the spans' lasting cost
    changeFeedBytes: feed?.bytes ?? 0,
    optimizedBytes: sum(after),
    tables: before,
    tablesOptimized: after,
  }));
} finally {
  await conn.close();
}
process.exit(0);
