/**
 * Which read of the current state is faster on chDB: FINAL, argMax per column, or LIMIT 1 BY —
 * for one trace (50 spans), a big trace (20,000 spans), and the executions list (the rollup
 * merged by GROUP BY, or read with FINAL and finalizeAggregation). Data made server-side
 * (INSERT … SELECT FROM numbers()) in 40 inserts, so parts are as unmerged as after ingest;
 * 10 % of the spans also have a running row (version 0) that FINAL must drop.
 * Prints the median of alternating runs; asserts only that the variants agree.
 * Env: TRACES (default 4000), RUNS (21), STOP_MERGES=1 (no background merges while measuring).
 */
import { afterAll, expect, it } from 'vitest';
import { openConnection } from '../../../src/storage/clickhouse/connection.js';
import { singleNodeDdl } from '../../../src/storage/clickhouse/schema-render.js';
import { SPAN_DATA } from '../../../src/storage/clickhouse/schema-spans.js';
import { executionRowsSql } from '../../../src/storage/clickhouse/execution-rows-sql.js';
import { tablesOf } from '../../../src/storage/clickhouse/tables.js';
import { chdbDir, removeChdbDir } from '../chdb-store.js';

afterAll(() => removeChdbDir());

const TRACES = Number(process.env.TRACES ?? 4000);
const PER_TRACE = 50;
const BIG = 20_000;
const RUNS = Number(process.env.RUNS ?? 21);

const columns = SPAN_DATA.columns.map((c) => c.split(' ')[0]).filter((c) => c !== 'ingest_ns');

/** Synthetic spans numbered `from`…: trace = number / PER_TRACE (or the big trace), times over the last day. */
function spanSelect(t: string, from: number, count: number, version: 0 | 1, every = 1, big = false): string {
  const trace = big ? "'bigtrace0000000000000000000000000'" : `lower(hex(toFixedString(reinterpretAsString(cityHash64(intDiv(n, ${PER_TRACE}))), 8))) || '0000000000000000'`;
  const start = big ? `toInt64(now64(9)) * 1000000000 - 3600000000000 + n * 1000` : `(toInt64(now()) - intDiv(n, ${PER_TRACE}) % 86400) * 1000000000 + (n % ${PER_TRACE}) * 1000000`;
  return `INSERT INTO ${t} (${columns.join(', ')}) SELECT
    ${trace}, lower(hex(toFixedString(reinterpretAsString(cityHash64(n, 7)), 8))),
    if(n % ${PER_TRACE} = 0 AND NOT ${big}, '', ${big ? "'root'" : `lower(hex(toFixedString(reinterpretAsString(cityHash64(n - n % ${PER_TRACE}, 7)), 8)))`}),
    NULL, concat('step ', toString(n % 7)), 1, concat('svc-', toString(n % 5)), ${start}, ${version === 1 ? `${start} + 500000` : 'NULL'},
    if(n % 97 = 0, 2, 1), NULL, NULL, 'flow', NULL, concat('flow-', toString(intDiv(n, ${PER_TRACE}) % 20)), '1', 'http', concat('user-', toString(n % 100)),
    concat('node-', toString(n % 7)), 'Node', 'task', toInt32(n % 7), 'success', NULL,
    concat('{"order.id":"ord-', toString(n), '","http.route":"/orders/', toString(n % 13), '","retries":', toString(n % 3), '}'),
    if(n % 10 = 0, concat('{"flow.node.input":"', repeat('x', 400), '"}'), NULL),
    '{"service.name":"svc","host.name":"h1"}', 'scope', '1.0', '[]', '[]', 0, 0, 0, 0, NULL, 0, NULL, 0, NULL, NULL, ${version}
  FROM (SELECT number + ${from} AS n FROM numbers(${count}) WHERE (number + ${from}) % ${every} = 0)`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

it('measures FINAL against argMax and LIMIT 1 BY, and the list with GROUP BY against FINAL', async () => {
  const conn = await openConnection({ kind: 'chdb', path: chdbDir() });
  const db = `measure_${process.pid}`;
  const t = tablesOf(db);
  for (const s of singleNodeDdl(db)) await conn.command(s);
  // STOP_MERGES=1: the worst case, every insert still its own part when read.
  if (process.env.STOP_MERGES === '1') for (const table of [t.spans, t.rollup]) await conn.command(`SYSTEM STOP MERGES ${table}`);
  const total = TRACES * PER_TRACE;
  const chunk = Math.ceil(total / 40);
  for (let from = 0; from < total; from += chunk) {
    await conn.command(spanSelect(t.spans, from, chunk, 0, 10)); // running rows first, as start marks come first
    await conn.command(spanSelect(t.spans, from, chunk, 1));
  }
  for (let from = 0; from < BIG; from += 5000) await conn.command(spanSelect(t.spans, from, 5000, 1, 1, true));
  const [parts] = await conn.query(`SELECT count() AS parts, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = {db:String} AND table = 'span_data' AND active`, { db });
  const [rollup] = await conn.query(`SELECT sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = {db:String} AND table = 'execution_rollup' AND active`, { db });
  console.log(`span_data: ${TRACES} traces × ${PER_TRACE} + one of ${BIG}; ${String(parts.rows)} rows in ${String(parts.parts)} active parts, `
    + `${(Number(parts.bytes) / Number(parts.rows)).toFixed(1)} B/row on disk (10 % with a 400-byte payload); rollup ${(Number(rollup.bytes) / (TRACES + 1)).toFixed(0)} B/trace`);

  const [{ trace_id: small }] = await conn.query(`SELECT trace_id FROM ${t.spans} WHERE parent_span_id = '' LIMIT 1 OFFSET 17`);
  const variants = (trace: string): Record<string, string> => ({
    FINAL: `SELECT * FROM ${t.spans} FINAL WHERE trace_id = '${trace}'`,
    'LIMIT 1 BY': `SELECT * FROM ${t.spans} WHERE trace_id = '${trace}' ORDER BY span_id, version DESC LIMIT 1 BY span_id`,
    argMax: `SELECT trace_id, span_id, ${columns.filter((c) => c !== 'span_id' && c !== 'trace_id').map((c) => `argMax(${c}, version) AS ${c}_v`).join(', ')}
             FROM ${t.spans} WHERE trace_id = '${trace}' GROUP BY trace_id, span_id`,
  });
  const list = {
    'GROUP BY (all)': `SELECT * FROM (${executionRowsSql(t)}) ORDER BY start_ns DESC, trace_id DESC LIMIT 51`,
    'GROUP BY without counts (all)': `SELECT * FROM (${executionRowsSql(t, '', { counts: false })}) ORDER BY start_ns DESC, trace_id DESC LIMIT 51`,
    'GROUP BY (1 h window)': `SELECT * FROM (${executionRowsSql(t, `trace_id IN (SELECT trace_id FROM ${t.rollup} WHERE max_start_ns >= toInt64(now()) * 1000000000 - 3600000000000)`)})
      WHERE start_ns >= toInt64(now()) * 1000000000 - 3600000000000 ORDER BY start_ns DESC, trace_id DESC LIMIT 51`,
    'FINAL + finalizeAggregation (all)': `SELECT trace_id, finalizeAggregation(root) AS r, finalizeAggregation(span_ids) AS n, min_start_ns, max_start_ns
      FROM ${t.rollup} FINAL ORDER BY r.start_ns DESC, trace_id DESC LIMIT 51`,
  };
  const groups: Array<[string, Record<string, string>]> = [
    [`one trace of ${PER_TRACE} spans`, variants(String(small))],
    [`one trace of ${BIG} spans`, variants('bigtrace0000000000000000000000000')],
    ['executions list, newest 50', list],
  ];
  for (const [what, queries] of groups) {
    const times = new Map<string, number[]>(Object.keys(queries).map((k) => [k, []]));
    const counts = new Map<string, number>();
    for (let i = 0; i < RUNS; i++) {
      for (const [name, sql] of Object.entries(queries)) {
        const t0 = performance.now();
        const rows = await conn.query(sql, { abandon_after_ns: '600000000000' });
        times.get(name)!.push(performance.now() - t0);
        counts.set(name, rows.length);
      }
    }
    console.log(`${what}: ${[...times].map(([name, xs]) => `${name} ${median(xs).toFixed(1)} ms (${counts.get(name)} rows)`).join('; ')}`);
    if (what.startsWith('one trace')) expect(new Set(counts.values()).size).toBe(1);
  }
  await conn.command(`DROP DATABASE ${db} SYNC`);
  await conn.close();
});
