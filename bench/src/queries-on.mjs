// Figure 2 alone, on a database that already holds the data: starts the built collector on it
// (which brings its schema up to date first) and asks the same questions as the full run.
// For re-measuring the queries after a change without loading 10M spans again:
//   node bench/src/queries-on.mjs /path/to/queries-10000000.duckdb [runs]
// Prints the figures; writes nothing.
import { measureQueries } from './fig2-queries.mjs';
import { startCollectorProcess } from './lib/collector-process.mjs';

const [dbPath, runsArg] = process.argv.slice(2);
if (!dbPath) {
  console.error('usage: node bench/src/queries-on.mjs DATABASE [runs]');
  process.exit(2);
}
const started = performance.now();
const collector = await startCollectorProcess(dbPath);
console.log(`collector up on ${dbPath} in ${((performance.now() - started) / 1000).toFixed(1)} s (schema brought up to date first)`);
try {
  const { flow, rows, load } = await measureQueries(collector.url, Number(runsArg ?? 20));
  console.log(`flow ${flow}; load average at start ${load}`);
  console.log('| question | median ms | p95 ms | runs | target ms |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.label} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.runs} | ${r.target ?? '—'} |`);
} finally {
  await collector.stop();
}
