// Session 11 (issue 16): the large attributes' column with zstd forced (what flowtrace declares,
// storage/schema/tables/span_data.sql) against DuckDB choosing per segment with
// zstd_min_string_length lowered to 128 (bench/PROFILING.md, "Session 11 — forced or chosen zstd").
// A forced zstd segment keeps a 4-byte length for every row, NULL or not; a chosen one may pick
// FSST, whose estimate beats zstd's (DuckDB guesses zstd at half the text) on payloads under ~4 KB.
// Prints bytes per row of the column alone in a v1.2 file; writes nothing but a scratch file.
//   node bench/src/payload-compression-choice.mjs [--rows 200000] [--from FLOWTRACE.duckdb …]
// Without --from: a table whose share of rows (0, 5, 30, 100 %) carry a ~1.5 KB JSON payload that
// repeats its structure, as captured inputs do. With --from: the large attributes of each file's
// span_data, as that flowtrace run stored them (e.g. the quick plan's storage-p and storage-np).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, from: { type: 'string', multiple: true } } });
const rows = Number(args.rows);
const scratch = join(tmpdir(), 'ft-payload-compression-choice.duckdb');

/** Bytes per row and the compressions of the column `large` of a table filled by `fill`, forced or chosen. */
async function measure(forced, fill) {
  rmSync(scratch, { force: true });
  const instance = await DuckDBInstance.create(':memory:', { zstd_min_string_length: '128' });
  const c = await instance.connect();
  try {
    await c.run(`ATTACH '${scratch}' AS d (STORAGE_VERSION 'v1.2.0')`);
    await c.run(`CREATE TABLE d.t (large VARCHAR${forced ? ' USING COMPRESSION zstd' : ''})`);
    const n = await fill(c);
    await c.run('CHECKPOINT d');
    const [{ blocks, size }] = (await c.runAndReadAll(`SELECT used_blocks::INTEGER AS blocks, block_size::INTEGER AS size FROM pragma_database_size() WHERE database_name = 'd'`)).getRowObjectsJS();
    const [{ empty }] = (await c.runAndReadAll(`SELECT count(*)::INTEGER AS empty FROM d.t WHERE large IS NULL`)).getRowObjectsJS();
    const compressions = (await c.runAndReadAll(`SELECT string_agg(DISTINCT compression, ',' ORDER BY compression) AS c FROM pragma_storage_info('d.t') WHERE segment_type = 'VARCHAR'`)).getRowObjectsJS()[0].c;
    return { bytesPerRow: (blocks * size) / n, compressions, n, empty };
  } finally {
    c.closeSync();
    instance.closeSync();
    rmSync(scratch, { force: true });
  }
}

/** One line per way of storing: bytes per row (256 KiB blocks, so ±262144/rows) and what DuckDB chose. */
async function compare(label, fill) {
  for (const forced of [true, false]) {
    const m = await measure(forced, fill);
    console.log(`${label.padEnd(46)} ${(forced ? 'forced zstd' : 'chosen').padEnd(12)} ${m.bytesPerRow.toFixed(1).padStart(7)} B/row  (${m.n} rows, ${m.empty} NULL)  ${m.compressions}`);
  }
}

if (args.from === undefined) {
  for (const share of [0, 5, 30, 100]) {
    await compare(`${share}% of rows with a 1.5 KB JSON payload`, async (c) => {
      await c.run(`INSERT INTO d.t SELECT CASE WHEN i % 100 < ${share} THEN to_json({"order": 'ord-' || i,
        lines: [{sku: 'sku-' || ((i * 7 + k) % 500), qty: k, note: 'gift wrap and a card'} FOR k IN range(12)]})::VARCHAR END
        FROM range(${rows}) r(i)`);
      return rows;
    });
  }
} else {
  for (const file of args.from) {
    await compare(file, async (c) => {
      await c.run(`ATTACH '${file.replace(/'/g, "''")}' AS src (READ_ONLY)`);
      await c.run('INSERT INTO d.t SELECT large_attributes FROM src.span_data');
      const [{ n }] = (await c.runAndReadAll('SELECT count(*)::INTEGER AS n FROM d.t')).getRowObjectsJS();
      await c.run('DETACH src');
      return n;
    });
  }
}
