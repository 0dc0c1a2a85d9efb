// Two builds of the collector asked the same read questions in turn, on copies of the same kind of
// database: what figure 2 measures, without the minutes between two runs (bench/PROFILING.md,
// "Session 13"). Each tree's collector starts on a copy of the database that tree's quick run
// wrote (its `queries-100000.duckdb`: the same spans, loaded by that tree), on 127.0.0.1. Each
// question is asked of both, the order swapped every round. Prints medians, p90 and the ratio.
//   node bench/src/reads-side-by-side.mjs --a TREE:DB --b TREE:DB [--dir /tmp/reads-side-by-side] [--rounds 4]
// e.g. --a /work/main:/tmp/qm/queries-100000.duckdb --b /work/base:/tmp/qb/queries-100000.duckdb
// (run `node src/run.mjs --mode quick --only 2 --no-write --dir D` in each tree first).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from './lib/http.mjs';

const { values: args } = parseArgs({ options: {
  a: { type: 'string' }, b: { type: 'string' }, dir: { type: 'string', default: '/tmp/reads-side-by-side' }, rounds: { type: 'string', default: '4' },
} });
if (!args.a || !args.b) {
  console.error('give --a TREE:DB and --b TREE:DB (see the header of this file)');
  process.exit(2);
}
const rounds = Number(args.rounds);
mkdirSync(args.dir, { recursive: true });

/** Starts TREE's collector on a copy of DB at `port`; resolves once it answers. */
async function start(label, spec, port) {
  const [tree, db] = spec.split(':');
  const copy = join(args.dir, `${label}.duckdb`);
  rmSync(`${copy}.wal`, { force: true });
  copyFileSync(db, copy);
  const child = spawn(process.execPath, [join(tree, 'collector/dist/cli.js'), 'start', '--db', copy, '--port', String(port), '--grpc-port', '0'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/api/flows`)).ok) return { label, url, child };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`${label}: the collector of ${tree} did not answer on ${url}`);
}

const sides = [await start('a', args.a, 14451), await start('b', args.b, 14452)];
try {
  const pick = async (statement) => (await sql(sides[0].url, statement)).rows.map((r) => String(r[0]));
  const traces = await pick('SELECT trace_id FROM execution_data WHERE span_count < 100 ORDER BY hash(trace_id) LIMIT 25');
  const [big] = await pick('SELECT trace_id FROM execution_data ORDER BY span_count DESC LIMIT 1');
  const orders = await pick(`SELECT attributes->>'$."order.id"' FROM span_data WHERE parent_span_id IS NULL AND flow_name IS NOT NULL ORDER BY hash(span_id) LIMIT 25`);
  const questions = [
    ['trace by id (~20 spans)', traces, (id) => `/api/executions/${id}`],
    ["a trace's outline (~20 spans)", traces, (id) => `/api/executions/${id}/outline`],
    ['the largest trace by id', [big], (id) => `/api/executions/${id}`],
    ["the largest trace's outline", [big], (id) => `/api/executions/${id}/outline`],
    ['first page of executions', [null], () => '/api/executions?limit=50'],
    ['search by attribute value', orders, (o) => `/api/executions?limit=50&attr=${encodeURIComponent(`order.id=${o}`)}`],
    ['per-flow statistics', [null], () => '/api/flows'],
  ];
  console.log(`a = ${args.a}\nb = ${args.b}\n`);
  for (const [label, values, path] of questions) {
    const times = { a: [], b: [] };
    const n = values.length > 1 ? rounds : rounds * 10;
    for (let r = 0; r < n; r++) {
      for (const v of values) {
        for (const side of r % 2 ? sides : [...sides].reverse()) {
          const t0 = performance.now();
          const res = await fetch(`${side.url}${path(v)}`);
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`${side.label} ${label}: HTTP ${res.status}`);
          times[side.label].push(performance.now() - t0);
        }
      }
    }
    const stat = (v) => {
      v.sort((x, y) => x - y);
      return { median: v[v.length >> 1], p90: v[Math.floor(v.length * 0.9)] };
    };
    const [a, b] = [stat(times.a), stat(times.b)];
    console.log(`${label.padEnd(30)} a ${a.median.toFixed(1).padStart(6)} ms (p90 ${a.p90.toFixed(1)})   b ${b.median.toFixed(1).padStart(6)} ms (p90 ${b.p90.toFixed(1)})   a/b ${(a.median / b.median).toFixed(2)}   ${times.a.length} each`);
  }
} finally {
  for (const side of sides) side.child.kill();
}
