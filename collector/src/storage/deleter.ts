/**
 * Deletes whole executions (spans, running spans, console lines, indexed attribute values, the
 * execution row) on the writer's connection, in one transaction per call. Callers run it
 * through SpanWriter.exclusive so it never interleaves with a group commit.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** Deletes the given executions; returns how many execution rows were removed. */
export async function deleteExecutions(c: DuckDBConnection, traceIds: string[]): Promise<number> {
  if (traceIds.length === 0) return 0;
  await c.run(`CREATE TEMP TABLE IF NOT EXISTS delete_ids (trace_id VARCHAR)`);
  await c.run('BEGIN TRANSACTION');
  try {
    await c.run(`DELETE FROM temp.delete_ids`);
    const appender = await c.createAppender('delete_ids', 'main', 'temp');
    for (const id of traceIds) {
      appender.appendVarchar(id);
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
    const bounds = (
      await c.runAndReadAll(
        `SELECT min(min_start_ns) AS lo, max(max_start_ns) AS hi, count(*) AS n
         FROM execution_data WHERE trace_id IN (SELECT trace_id FROM temp.delete_ids)`,
      )
    ).getRowObjectsJS()[0];
    const count = Number(bounds?.n ?? 0);
    if (count > 0) {
      const lo = bounds.lo as bigint;
      const hi = bounds.hi as bigint;
      await c.run(
        `DELETE FROM span_data WHERE start_ns BETWEEN $lo AND $hi AND trace_id IN (SELECT trace_id FROM temp.delete_ids)`,
        { lo, hi },
      );
      await c.run(
        `DELETE FROM log_data WHERE time_ns >= $lo AND trace_id IN (SELECT trace_id FROM temp.delete_ids)`,
        { lo: lo - 60_000_000_000n },
      );
    }
    await c.run(`DELETE FROM attribute_values WHERE trace_id IN (SELECT trace_id FROM temp.delete_ids)`);
    await c.run(`DELETE FROM span_starts WHERE trace_id IN (SELECT trace_id FROM temp.delete_ids)`);
    await c.run(`DELETE FROM execution_data WHERE trace_id IN (SELECT trace_id FROM temp.delete_ids)`);
    await c.run(`DELETE FROM temp.delete_ids`);
    await c.run('COMMIT');
    return count;
  } catch (error) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
