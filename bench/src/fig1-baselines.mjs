// Figure 1's baselines, on the same rows as the HTTP run: the raw DuckDB appender into a
// span_data table in a fresh file (the limit: no HTTP, no decode, no dedup, one commit), and
// a prepared INSERT per row in autocommit (the naive design). Rows come from the collector's
// own decoder; only the database work is timed.
import { DuckDBInstance } from '@duckdb/node-api';
import { rmSync } from 'node:fs';
import { eachBody } from './lib/body-file.mjs';
import { loadIngest, loadRowAppender, schemaSql } from './lib/collector-dist.mjs';
import { loadAverage } from './lib/stats.mjs';

async function freshSpanTable(dbPath) {
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}.wal`, { force: true });
  // The collector's checkpoint threshold (storage/index.ts), so the limit is measured under the same rule.
  const instance = await DuckDBInstance.create(dbPath, { checkpoint_threshold: '256MB' });
  const connection = await instance.connect();
  await connection.run(schemaSql('002_span_data.sql'));
  // The columns later schema files add to span_data (large_attributes, 007; moved_attributes, 008; OTLP fidelity, 014).
  for (const file of ['007_large_attributes.sql', '008_moved_attributes.sql', '014_otlp_fidelity.sql']) {
    for (const [alter] of schemaSql(file).matchAll(/ALTER TABLE span_data [^;]*;/g)) await connection.run(alter);
  }
  return { instance, connection };
}

/** The appender writing every span of the dataset, flushed every 20,000 rows; spans/s. */
export async function appenderLimit(dataset, dbPath) {
  const load = loadAverage();
  const { ingestTraces } = await loadIngest();
  const { appendSpan } = await loadRowAppender();
  const { instance, connection } = await freshSpanTable(dbPath);
  const appender = await connection.createAppender('span_data');
  let rows = 0;
  let pending = 0;
  let ms = 0;
  for (const { body } of eachBody(dataset.path, dataset.index)) {
    const batch = ingestTraces(body, dataset.format).batch.spans;
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
  const { instance, connection } = await freshSpanTable(dbPath);
  const columns = 34;
  // Then large_attributes (a list of text pieces) gets the large attributes as one piece, and moved_attributes its bits.
  // The first columns by position (002, 007, 008); those later schema files add keep their defaults.
  const names = (await connection.runAndReadAll(`SELECT column_name FROM duckdb_columns() WHERE table_name = 'span_data' ORDER BY column_index LIMIT ${columns + 2}`))
    .getRows().map((r) => `"${r[0]}"`).join(', ');
  const statement = await connection.prepare(`INSERT INTO span_data (${names}) VALUES (${Array.from({ length: columns }, (_, i) => `$${i + 1}`).join(', ')}, `
    + `CASE WHEN $${columns + 1}::VARCHAR IS NULL THEN NULL ELSE [$${columns + 1}::VARCHAR] END, $${columns + 2})`);
  let rows = 0;
  let ms = 0;
  outer: for (const { body } of eachBody(dataset.path, dataset.index)) {
    for (const r of ingestTraces(body, dataset.format).batch.spans) {
      if (rows >= maxRows || ms >= maxMs) break outer;
      const values = [r.traceId, r.spanId, r.parentSpanId, r.traceState, r.name, r.kind, r.serviceName, r.startTimeUnixNano, r.endTimeUnixNano,
        r.statusCode, r.statusMessage, r.exceptionMessage, r.executionKind, r.flowId, r.flowName, r.flowVersion, r.triggerType, r.userId,
        r.nodeId, r.nodeName, r.nodeType, r.nodeIndex, r.flowStatus, r.errorNodeId, r.attributes, r.resourceAttributes, r.scopeName,
        r.scopeVersion, r.events, r.links, r.flags, r.droppedAttributesCount, r.droppedEventsCount, r.droppedLinksCount, r.largeAttributes, r.movedAttributes];
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
