/**
 * The status rules are plain expressions in every plan. DuckDB rewrites `x IN (a, b, …)` of five
 * or more constants into a join against the list, and a CASE over a value repeats that value in
 * each WHEN: the outline's status index, written as a CASE over span_status(), planned eight
 * joins, and an outline took 14.4 against 9.7 ms for 27c51d7's (bench/PROFILING.md, "Session
 * 13"). The plans are read here, not timed: what a query plans does not depend on the machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINISHED_SPAN_JSON } from '../../src/storage/span-json-sql.js';
import { TRACE_OUTLINE_SQL } from '../../src/storage/traces/trace-outline-sql.js';
import { openSchemaDatabase, type SchemaDatabase } from '../fixtures/schema-database.js';

let db: SchemaDatabase;

beforeAll(async () => {
  db = await openSchemaDatabase();
});
afterAll(() => db?.close());

/** The join operators in the physical plan of `sql` (parameters bound to placeholders). */
async function joinsIn(sql: string, params: Record<string, string | bigint> = {}): Promise<string[]> {
  const statement = await db.c.prepare(`EXPLAIN ${sql}`);
  statement.bind(params);
  const plan = (await statement.runAndReadAll()).getRows().map((r) => String(r[1])).join('\n');
  return plan.match(/[A-Z_]*JOIN/g) ?? [];
}

describe('status rules in plans', () => {
  it('span_status and execution_status plan no join', async () => {
    expect(await joinsIn('SELECT span_status(flow_status, status_code) FROM span_data')).toEqual([]);
    expect(await joinsIn('SELECT execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, 0) FROM execution_data')).toEqual([]);
    expect(await joinsIn('SELECT status FROM spans')).toEqual([]);
    expect(await joinsIn('SELECT status FROM executions')).toEqual([]);
  });

  it("a trace's outline plans only the join of its orphan count", async () => {
    const joins = await joinsIn(TRACE_OUTLINE_SQL, { trace_id: 'a'.repeat(32), lo: 0n, hi: 1n, root_span_id: 'b'.repeat(16) });
    expect(joins).toHaveLength(1);
  });

  it("a span's JSON plans no join for its status", async () => {
    expect(await joinsIn(FINISHED_SPAN_JSON, { trace_id: 'a'.repeat(32), lo: 0n, hi: 1n })).toEqual([]);
  });
});
