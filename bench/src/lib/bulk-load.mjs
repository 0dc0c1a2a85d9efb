// Loads a dataset into a database file through the collector's own storage writer (decode and
// row conversion exactly as HTTP ingest does them, then writer.write), for the sizes where
// posting every span over HTTP would take too long. Group commit gets up to `inflight`
// batches at once. Closing checkpoints the file. `engine` (lib/engines.mjs) says which storage
// engine the writer writes: DuckDB's file by default, or chDB's directory (one per process).
import { eachBody } from './body-file.mjs';
import { loadIngest, loadStorage } from './collector-dist.mjs';
import { DUCKDB } from './engines.mjs';

/** Returns { spans, logs, seconds, spansPerSec }. */
export async function bulkLoad(dataset, dbPath, { withLogs = true, inflight = 40, fresh = true, engine = DUCKDB } = {}) {
  if (fresh) engine.remove(dbPath);
  const { ingestTraces, ingestLogs } = await loadIngest();
  const { openStorage } = await loadStorage();
  const storage = await openStorage({ ...engine.storageOptions(dbPath), maxQueueRows: 2_000_000, maxGroupRows: 50_000 });
  const t0 = performance.now();
  let spans = 0;
  let logs = 0;
  try {
    const pending = new Set();
    const push = async (batch) => {
      const p = storage.writer.write(batch).finally(() => pending.delete(p));
      pending.add(p);
      if (pending.size >= inflight) await Promise.race(pending);
    };
    for (const { body } of eachBody(dataset.path, dataset.index)) {
      const batch = ingestTraces(body, dataset.format).batch;
      spans += batch.spans.length;
      await push(batch);
    }
    if (withLogs) {
      for (const { body } of eachBody(dataset.logs.path, dataset.logs.index)) {
        const batch = ingestLogs(body, 'protobuf').batch;
        logs += batch.logs.length;
        await push(batch);
      }
    }
    await Promise.all(pending);
  } finally {
    await storage.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { spans, logs, seconds, spansPerSec: spans / seconds };
}
