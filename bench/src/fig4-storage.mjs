// Figure 4: bytes per span on disk after a checkpoint, for spans without payloads and for the
// payload workload (also as a ratio to the raw OTLP/JSON size of the same spans), flowtrace
// (DuckDB, loaded through the storage writer; also after `flowtrace compact`) against the
// SQLite design.
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, loadSqlite, sqliteBytes } from './fig3-sqlite.mjs';
import { bulkLoad } from './lib/bulk-load.mjs';
import { loadStorage } from './lib/collector-dist.mjs';
import { prepareDataset } from './lib/dataset.mjs';
import { encodeTracesJson, requestChunks } from './lib/otlp.mjs';
import { loadAverage } from './lib/stats.mjs';
import { executions } from './lib/workload.mjs';

/** Size in bytes of the workload as OTLP/JSON request bodies (512 spans each). */
export function otlpJsonBytes({ seed, spans, payloads }) {
  let bytes = 0;
  for (const chunk of requestChunks(executions({ seed, totalSpans: spans, payloads }))) bytes += encodeTracesJson(chunk.spans).length;
  return bytes;
}

/** One storage row: flowtrace and SQLite bytes per span for one workload variant. */
export async function measureStorage({ dir, seed, spans, payloads }) {
  const load = loadAverage();
  const dataset = prepareDataset({ dir, seed, spans, payloads });
  const duckPath = join(dir, `storage-${payloads ? 'p' : 'np'}.duckdb`);
  const loaded = await bulkLoad(dataset, duckPath, { withLogs: false });
  const duckBytes = statSync(duckPath).size;
  // the same file after `flowtrace compact` (storage/compact.ts), on a copy
  const { compactDatabase } = await loadStorage();
  const compactPath = join(dir, `storage-${payloads ? 'p' : 'np'}-compacted.duckdb`);
  copyFileSync(duckPath, compactPath);
  const compactedBytes = (await compactDatabase(compactPath)).bytesAfter;
  rmSync(compactPath, { force: true });
  const sqlitePath = join(dir, `storage-${payloads ? 'p' : 'np'}.sqlite`);
  const db = openSqlite(sqlitePath);
  const sqliteLoad = loadSqlite(db, { seed, spans, payloads });
  const liteBytes = sqliteBytes(db, sqlitePath);
  db.close();
  const jsonBytes = otlpJsonBytes({ seed, spans, payloads });
  return {
    payloads,
    spans: loaded.spans,
    duckBytes,
    duckPerSpan: duckBytes / loaded.spans,
    compactedPerSpan: compactedBytes / loaded.spans,
    sqliteBytes: liteBytes,
    sqlitePerSpan: liteBytes / sqliteLoad.spans,
    jsonBytes,
    jsonPerSpan: jsonBytes / loaded.spans,
    protobufPerSpan: dataset.index.bytes / dataset.index.spans,
    bulkSpansPerSec: loaded.spansPerSec,
    load,
  };
}
