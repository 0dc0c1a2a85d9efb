// Session 13 (issue 16): what a span without payloads pays for the large attributes' zstd column
// (a 4-byte length per row), and what else could win those bytes back, measured on a figure-4
// file (bench/PROFILING.md, "Session 13 — the bytes of a span without payloads"). Prints; writes
// nothing but scratch files in DIR.
//   node bench/src/no-payload-bytes.mjs --from STORAGE-NP.duckdb [--reads QUERIES.duckdb] [--dir /tmp/no-payload-bytes]
// 1. --from (e.g. the full plan's storage-np.duckdb): every table copied into a fresh file, once
//    per variant and storage format, with execution_data's index; used blocks × 256 KiB ÷ spans.
// 2. --reads (a database with payloads, e.g. the quick plan's queries-100000.duckdb): the large
//    attributes moved to a side table with rows only for spans that have them (span_data without
//    the column), and what reads then cost: a trace's spans, the spans view joined back (DuckDB
//    1.5's join elimination tried with the right side made unique by GROUP BY, and as a scalar
//    subquery), a text search in payloads; then two span tables (with and without the column)
//    read through a UNION ALL view, against one.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values: args } = parseArgs({ options: { from: { type: 'string' }, reads: { type: 'string' }, dir: { type: 'string', default: '/tmp/no-payload-bytes' } } });
mkdirSync(args.dir, { recursive: true });

const EVENTS_IN_LARGE = {
  events: `CASE WHEN events = '[]' THEN '[]' END`,
  large_attributes: `CASE WHEN events = '[]' THEN large_attributes ELSE coalesce(large_attributes, '') || chr(30) || 'events' || chr(31) || events END`,
};
const NODE_NAME_ONCE = { node_name: `CASE WHEN node_name = name THEN NULL ELSE node_name END` };
/** name → [span_data column expressions, execution_data index key, large column kept]. */
const VARIANTS = {
  'as stored': [{}, 'trace_id', true],
  'no large_attributes column': [{}, 'trace_id', false],
  'events in the large column': [EVENTS_IN_LARGE, 'trace_id', true],
  'index on a 64-bit key': [{}, 'k64', true],
  'node_name NULL when the span name': [NODE_NAME_ONCE, 'trace_id', true],
  'all three': [{ ...EVENTS_IN_LARGE, ...NODE_NAME_ONCE }, 'k64', true],
};

async function copies(from) {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(`ATTACH '${from}' AS s (READ_ONLY)`);
  const tables = (await c.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE database_name = 's'`)).getRowObjectsJS().map((r) => r.table_name);
  const columns = (await c.runAndReadAll(`SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 's' AND table_name = 'span_data' ORDER BY column_index`)).getRowObjectsJS();
  const file = join(args.dir, 'copy.duckdb');
  for (const format of ['v1.2.0', 'v1.5.0']) {
    for (const [name, [expressions, key, keepLarge]] of Object.entries(VARIANTS)) {
      rmSync(file, { force: true });
      await c.run(`ATTACH '${file}' AS d (STORAGE_VERSION '${format}')`);
      for (const t of tables) {
        if (t === 'span_data') {
          const kept = columns.filter((x) => keepLarge || x.column_name !== 'large_attributes');
          const zstd = (x) => (x.column_name === 'large_attributes' && x.data_type === 'VARCHAR' ? ' USING COMPRESSION zstd' : '');
          await c.run(`CREATE TABLE d.span_data (${kept.map((x) => `"${x.column_name}" ${x.data_type}${zstd(x)}`).join(', ')})`);
          await c.run(`INSERT INTO d.span_data SELECT ${kept.map((x) => expressions[x.column_name] ?? `"${x.column_name}"`).join(', ')} FROM s.span_data`);
        } else if (t === 'execution_data' && key === 'k64') {
          await c.run(`CREATE TABLE d.execution_data AS SELECT *, ('0x' || left(trace_id, 16))::UBIGINT AS k64 FROM s.execution_data`);
        } else {
          await c.run(`CREATE TABLE d.${t} AS SELECT * FROM s.${t}`);
        }
      }
      await c.run(`CREATE INDEX execution_key ON d.execution_data (${key})`);
      await c.run('CHECKPOINT d');
      const [{ blocks, spans }] = (await c.runAndReadAll(`SELECT (SELECT used_blocks FROM pragma_database_size() WHERE database_name = 'd')::INTEGER AS blocks,
        (SELECT count(*) FROM d.span_data)::INTEGER AS spans`)).getRowObjectsJS();
      await c.run('DETACH d');
      console.log(`${format}  ${name.padEnd(36)} ${String(blocks).padStart(5)} blocks  ${((blocks * 262144) / spans).toFixed(2).padStart(6)} B/span`);
    }
  }
  rmSync(file, { force: true });
  c.closeSync();
  instance.closeSync();
}

/** Median and p90 in ms of `fn` over every sample, `rounds` times. */
async function timed(label, samples, fn, rounds = 3) {
  const ms = [];
  for (let r = 0; r < rounds; r++) {
    for (const s of samples) {
      const t0 = performance.now();
      await fn(s);
      ms.push(performance.now() - t0);
    }
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(62)} median ${ms[ms.length >> 1].toFixed(2).padStart(7)} ms  p90 ${ms[Math.floor(ms.length * 0.9)].toFixed(2).padStart(7)} ms`);
}

/** A scratch copy of the database `from`, opened: { file, instance }. */
async function openCopy(from, name) {
  const file = join(args.dir, name);
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
  copyFileSync(from, file);
  return { file, instance: await DuckDBInstance.create(file) };
}

async function sideTableReads(from) {
  const { file, instance } = await openCopy(from, 'side.duckdb');
  const [c, c2] = [await instance.connect(), await instance.connect()];
  await c.run(`CREATE TABLE span_payloads (trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL, start_ns BIGINT NOT NULL, large_attributes VARCHAR USING COMPRESSION zstd)`);
  await c.run(`INSERT INTO span_payloads SELECT trace_id, span_id, start_ns, large_attributes FROM span_data WHERE large_attributes IS NOT NULL`);
  await c.run(`CREATE TABLE span_rows AS SELECT * EXCLUDE (large_attributes) FROM span_data`);
  await c.run(`CREATE VIEW joined AS SELECT s.*, p.large_attributes FROM span_rows s LEFT JOIN (SELECT trace_id, span_id, any_value(large_attributes) AS large_attributes
    FROM span_payloads GROUP BY trace_id, span_id) p ON p.trace_id = s.trace_id AND p.span_id = s.span_id`);
  await c.run(`CREATE VIEW joined_scalar AS SELECT s.*, (SELECT p.large_attributes FROM span_payloads p
    WHERE p.trace_id = s.trace_id AND p.span_id = s.span_id) AS large_attributes FROM span_rows s`);
  await c.run('CHECKPOINT');
  const traces = (await c.runAndReadAll(`SELECT trace_id, min_start_ns::VARCHAR AS lo, max_start_ns::VARCHAR AS hi FROM execution_data USING SAMPLE 40 ROWS (reservoir, 7)`)).getRowObjectsJS();
  const q = (conn, sql, t) => conn.runAndReadAll(sql, { lo: BigInt(t.lo), hi: BigInt(t.hi), trace_id: t.trace_id });
  const range = 'start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id';
  console.log(`\n${traces.length} traces, each read 3 times`);
  await timed('a trace: span_data with the column (as stored)', traces, (t) => q(c, `SELECT * FROM span_data WHERE ${range} ORDER BY start_ns, span_id`, t));
  await timed('a trace: span rows without the column (what the outline reads)', traces, (t) => q(c, `SELECT * FROM span_rows WHERE ${range} ORDER BY start_ns, span_id`, t));
  await timed('a trace: span rows, then its payloads', traces, async (t) => {
    await q(c, `SELECT * FROM span_rows WHERE ${range} ORDER BY start_ns, span_id`, t);
    await q(c, `SELECT span_id, large_attributes FROM span_payloads WHERE ${range}`, t);
  });
  await timed('a trace: span rows and its payloads on two connections', traces, (t) => Promise.all([
    q(c, `SELECT * FROM span_rows WHERE ${range} ORDER BY start_ns, span_id`, t),
    q(c2, `SELECT span_id, large_attributes FROM span_payloads WHERE ${range}`, t),
  ]));
  await timed('a trace: through the joined view', traces, (t) => q(c, `SELECT * FROM joined WHERE ${range} ORDER BY start_ns, span_id`, t));
  const statements = [
    ['count(*) of span_data (as stored)', 'SELECT count(*) FROM span_data'],
    ['count(*) of the joined view', 'SELECT count(*) FROM joined'],
    ['spans per name, span_data (as stored)', 'SELECT name, count(*) FROM span_data GROUP BY 1'],
    ['spans per name, the joined view', 'SELECT name, count(*) FROM joined GROUP BY 1'],
    ['count(*) of the view joined by a scalar subquery', 'SELECT count(*) FROM joined_scalar'],
    ['one trace by its id alone, span_data (as stored)', `SELECT * FROM span_data WHERE trace_id = '${traces[0].trace_id}'`],
    ['one trace by its id alone, the joined view', `SELECT * FROM joined WHERE trace_id = '${traces[0].trace_id}'`],
    ['one trace by its id alone, the scalar-subquery view', `SELECT * FROM joined_scalar WHERE trace_id = '${traces[0].trace_id}'`],
    ['text search in payloads, span_data (as stored)', `SELECT count(DISTINCT trace_id) FROM span_data WHERE contains(lower(large_attributes), 'zzqq')`],
    ['text search in payloads, the side table', `SELECT count(DISTINCT trace_id) FROM span_payloads WHERE contains(lower(large_attributes), 'zzqq')`],
  ];
  console.log('\nstatements, 7 runs each');
  for (const [label, sql] of statements) await timed(label, [sql], (s) => c.runAndReadAll(s), 7);
  for (const view of ['joined', 'joined_scalar']) {
    const plan = (await c.runAndReadAll(`EXPLAIN SELECT count(*) FROM ${view}`)).getRows().map((r) => String(r[1])).join('\n');
    console.log(`${view}: count(*) ${plan.includes('JOIN') ? 'keeps the join' : 'has no join'}`);
  }
  c.closeSync();
  c2.closeSync();
  instance.closeSync();
  rmSync(file, { force: true });
}

/**
 * The other way to spare the length: two span tables, one without the column for spans that have
 * no payloads, read through a UNION ALL BY NAME view; against a copy of span_data written the
 * same way (CREATE TABLE AS, so both sides are compact).
 */
async function twoTableReads(from) {
  const { file, instance } = await openCopy(from, 'split.duckdb');
  const c = await instance.connect();
  await c.run('CREATE TABLE span_copy AS SELECT * FROM span_data ORDER BY rowid');
  await c.run('CREATE TABLE span_data_large AS SELECT * FROM span_data WHERE large_attributes IS NOT NULL ORDER BY rowid');
  await c.run('CREATE TABLE span_data_plain AS SELECT * EXCLUDE (large_attributes) FROM span_data WHERE large_attributes IS NULL ORDER BY rowid');
  await c.run('CREATE VIEW span_union AS SELECT * FROM span_data_plain UNION ALL BY NAME SELECT * FROM span_data_large');
  await c.run('CHECKPOINT');
  const traces = (await c.runAndReadAll(`SELECT trace_id, min_start_ns::VARCHAR AS lo, max_start_ns::VARCHAR AS hi FROM execution_data USING SAMPLE 40 ROWS (reservoir, 7)`)).getRowObjectsJS();
  const [{ plain, large }] = (await c.runAndReadAll('SELECT (SELECT count(*) FROM span_data_plain)::INTEGER AS plain, (SELECT count(*) FROM span_data_large)::INTEGER AS large')).getRowObjectsJS();
  console.log(`\ntwo span tables (${plain} spans without payloads, ${large} with): each read on one table, then on two`);
  const range = 'start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id';
  const reads = [
    ['a trace, every column', (t) => `SELECT * FROM ${t} WHERE ${range} ORDER BY start_ns, span_id`, traces],
    ['a trace, the outline\'s columns', (t) => `SELECT span_id, parent_span_id, name, start_ns, end_ns, status_code, flow_status FROM ${t} WHERE ${range}`, traces],
    ['count(*)', (t) => `SELECT count(*) FROM ${t}`, [null]],
    ['spans per name', (t) => `SELECT name, count(*) FROM ${t} GROUP BY 1`, [null]],
    ['a text search', (t) => `SELECT count(DISTINCT trace_id) FROM ${t} WHERE contains(lower(name), 'zzqq') OR contains(lower(attributes), 'zzqq') OR contains(lower(coalesce(large_attributes, '')), 'zzqq')`, [null]],
  ];
  for (const [label, sql, samples] of reads) {
    for (const table of ['span_copy', 'span_union']) {
      const run = (x) => (x ? c.runAndReadAll(sql(table), { lo: BigInt(x.lo), hi: BigInt(x.hi), trace_id: x.trace_id }) : c.runAndReadAll(sql(table)));
      await timed(`${label}: ${table === 'span_copy' ? 'one table' : 'two tables'}`, samples, run, samples.length > 1 ? 3 : 7);
    }
  }
  c.closeSync();
  instance.closeSync();
  rmSync(file, { force: true });
}

if (args.from) await copies(args.from);
if (args.reads) await sideTableReads(args.reads);
if (args.reads) await twoTableReads(args.reads);
if (!args.from && !args.reads) console.error('give --from and/or --reads (see the header of this file)');
