// Figure 1's baselines, on the same rows as the HTTP run: the raw DuckDB appender into a
// span_data table in a fresh file (the limit: no HTTP, no decode, no dedup, one commit), and
// a prepared INSERT per row in autocommit (the naive design). Rows come from the collector's
// own decoder; only the database work is timed.
import { DuckDBInstance } from '@duckdb/node-api';
import { rmSync } from 'node:fs';
import { eachBody } from './lib/body-file.mjs';
import { loadIngest, loadRowAppender, loadSpanEncoder, loadTableColumns, schemaSql } from './lib/collector-dist.mjs';
import { loadAverage } from './lib/stats.mjs';

async function freshSpanTable(dbPath) {
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}.wal`, { force: true });
  // The collector's checkpoint threshold (storage/index.ts), so the limit is measured under the same rule.
  const instance = await DuckDBInstance.create(dbPath, { checkpoint_threshold: '256MB' });
  const connection = await instance.connect();
  // span_data as the schema's current state builds it.
  await connection.run(schemaSql('tables/span_data.sql'));
  return { instance, connection };
}

/** The appender writing every span of the dataset, flushed every 20,000 rows; spans/s. */
export async function appenderLimit(dataset, dbPath) {
  const load = loadAverage();
  const { ingestTraces } = await loadIngest();
  const { appendSpan } = await loadRowAppender();
  const { encodeSpans } = await loadSpanEncoder();
  const { instance, connection } = await freshSpanTable(dbPath);
  const appender = await connection.createAppender('span_data');
  let rows = 0;
  let pending = 0;
  let ms = 0;
  for (const { body } of eachBody(dataset.path, dataset.index)) {
    // The logical spans as span_data rows (the span model's encode), before the timed part.
    const batch = encodeSpans(ingestTraces(body, dataset.format).batch.spans).rows;
    const t0 = performance.now();
    for (const row of batch) appendSpan(appender, row);
    pending += batch.length;
    if (pending >= 20_000) {
      appender.flushSync();
      pending = 0;
    }
    ms += performance.now() - t0;
    rows += batch.length;
  }
  const t0 = performance.now();
  appender.flushSync();
  appender.closeSync();
  await connection.run('CHECKPOINT');
  ms += performance.now() - t0;
  connection.closeSync();
  instance.closeSync();
  return { rows, seconds: ms / 1000, spansPerSec: rows / (ms / 1000), load };
}

/** One prepared INSERT per row, autocommit, for at most `maxRows` rows or `maxMs`; spans/s. */
export async function rowInserts(dataset, dbPath, maxRows = 20_000, maxMs = 30_000) {
  const load = loadAverage();
  const { ingestTraces } = await loadIngest();
  const { encodeSpans } = await loadSpanEncoder();
  const { SPAN_DATA_COLUMNS } = await loadTableColumns();
  const { instance, connection } = await freshSpanTable(dbPath);
  // Every column of span_data, from the same column list the appender writes by.
  const names = SPAN_DATA_COLUMNS.map((c) => `"${c.name}"`).join(', ');
  const statement = await connection.prepare(`INSERT INTO span_data (${names}) VALUES (${SPAN_DATA_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`);
  let rows = 0;
  let ms = 0;
  outer: for (const { body } of eachBody(dataset.path, dataset.index)) {
    for (const r of encodeSpans(ingestTraces(body, dataset.format).batch.spans).rows) {
      if (rows >= maxRows || ms >= maxMs) break outer;
      const values = SPAN_DATA_COLUMNS.map((c) => c.value(r));
      const t0 = performance.now();
      values.forEach((v, i) => {
        const at = i + 1;
        if (v === null) statement.bindNull(at);
        else if (typeof v === 'bigint') statement.bindBigInt(at, v);
        else if (typeof v === 'number') statement.bindInteger(at, v);
        else statement.bindVarchar(at, v);
      });
      await statement.run();
      ms += performance.now() - t0;
      rows += 1;
    }
  }
  connection.closeSync();
  instance.closeSync();
  return { rows, seconds: ms / 1000, spansPerSec: rows / (ms / 1000), load };
}
