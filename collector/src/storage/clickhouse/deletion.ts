/**
 * Deletes whole traces: every row of every table keyed by trace id (spans and running marks,
 * console lines, the value index, the rollup), with lightweight DELETE, waiting until the rows
 * are gone for every reader (lightweight_deletes_sync = 2). The key is the trace id alone, never
 * a time window (a trace's lines may be timed far from its spans). '' names no trace: the lines
 * without one are never matched by it. Rows that arrive for a trace after its delete are new data.
 */
import type { ClickHouseConnection } from './connection.js';
import type { Tables } from './tables.js';

/** Tables holding rows of a trace, the rollup last (a reader between two deletes sees the execution go last). */
const traceTables = (t: Tables): string[] => [t.spans, t.logs, t.values, t.rollup];

/** Deletes everything stored under these trace ids; returns how many had an execution or lines. */
export async function deleteTraces(conn: ClickHouseConnection, t: Tables, traceIds: readonly string[]): Promise<number> {
  const ids = [...new Set(traceIds)].filter((id) => id !== '');
  if (ids.length === 0) return 0;
  const [found] = await conn.query(
    `SELECT count() AS n FROM (SELECT trace_id FROM ${t.rollup} WHERE trace_id IN {ids:Array(String)}
       UNION DISTINCT SELECT trace_id FROM ${t.logs} WHERE trace_id IN {ids:Array(String)})`,
    { ids },
  );
  const n = Number(found?.n ?? 0);
  if (n === 0) return 0;
  for (const table of traceTables(t)) {
    await conn.command(`DELETE FROM ${t.mutable(table)} WHERE trace_id IN {ids:Array(String)} SETTINGS lightweight_deletes_sync = 2`, { ids });
  }
  return n;
}
