/**
 * Deletes whole traces on the writer's connection, in one transaction per call: every row of
 * every table whose trace_id is one of them (spans with their large and moved attributes,
 * running spans, console lines, indexed attribute values, error texts, the execution row). Callers run it
 * through GroupCommitWriter.exclusive so it never interleaves with a group commit.
 *
 * Invariant: the key is the trace id alone, never a time window. A trace's console lines can be
 * timed hours away from its spans (or carry only an observed time), and a span can start long
 * before its root, so any window leaves some of them behind. No index is needed for that: each
 * delete is a hash semi-join over the trace_id column, which DuckDB scans fast (2,000 traces out
 * of 2M console lines in 13 ms, out of 10M spans in 60–80 ms), and an ART index would not serve
 * a semi-join, would cost every append, and would stop DuckDB from vacuuming deleted rows.
 * Rows that arrive for a trace after its delete are new data and are kept.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** Every table that holds rows of a trace, children before the execution row. */
export const TRACE_TABLES = ['span_data', 'span_starts', 'log_data', 'attribute_values', 'error_texts', 'execution_data'] as const;

const IDS = `(SELECT trace_id FROM temp.delete_ids)`;

/**
 * Deletes everything stored under the given trace ids; returns how many of them had anything to
 * delete (an execution or console lines: a trace known only from its console lines counts).
 */
export async function deleteTraces(c: DuckDBConnection, traceIds: string[]): Promise<number> {
  // '' is the trace id of lines that have none: it names no trace and must never match them all.
  const ids = [...new Set(traceIds)].filter((id) => id !== '');
  if (ids.length === 0) return 0;
  await c.run(`CREATE TEMP TABLE IF NOT EXISTS delete_ids (trace_id VARCHAR)`);
  await c.run('BEGIN TRANSACTION');
  try {
    await c.run(`DELETE FROM temp.delete_ids`);
    const appender = await c.createAppender('delete_ids', 'main', 'temp');
    for (const id of ids) {
      appender.appendVarchar(id);
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
    const found = (
      await c.runAndReadAll(
        `SELECT count(*) AS n FROM temp.delete_ids
         WHERE trace_id IN (SELECT trace_id FROM execution_data) OR trace_id IN (SELECT trace_id FROM log_data)`,
      )
    ).getRowObjectsJS()[0];
    for (const table of TRACE_TABLES) await c.run(`DELETE FROM ${table} WHERE trace_id IN ${IDS}`);
    await c.run(`DELETE FROM temp.delete_ids`);
    await c.run('COMMIT');
    return Number(found?.n ?? 0);
  } catch (error) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
