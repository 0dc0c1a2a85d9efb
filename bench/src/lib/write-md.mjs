// Writes BENCHMARKS.md at the repository root: the machine, the command, the figure table of
// the latest quick and full runs (each run saves its part under bench/results/<part>.md, the
// part being the mode unless --part names another, and
// the file is composed from what is there), the workload, and the profiling notes. A run that
// measured ClickHouse ingest adds, under its table, the scale-out estimate (lib/scaling-md.mjs).
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chdbVersion } from './engines.mjs';
import { scalingSection } from './scaling-md.mjs';

const BENCH = fileURLToPath(new URL('../../', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function duckdbVersion() {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  const v = (await c.runAndReadAll('SELECT version()')).getRows()[0][0];
  c.closeSync();
  instance.closeSync();
  return String(v);
}

/** scaling: the ingest results lib/scaling-md.mjs reads (present when the run measured ClickHouse). */
export async function writeBenchmarksMd(report, { mode, part: partName = mode, plan, started, command, scaling }) {
  const engines = `DuckDB ${await duckdbVersion()} (@duckdb/node-api)${scaling ? `, ${chdbVersion()}` : ''}`;
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${engines}, ${process.platform}`;
  const estimate = scalingSection(scaling);
  const part = [
    `## ${mode} run — ${started.toISOString()}`,
    '',
    `- machine: ${machine}`,
    `- command: \`${mode === 'full' ? 'pnpm bench' : 'pnpm bench:quick'}\` (\`node ${command}\`), sizes ${plan.sizes.map((s) => s.toLocaleString('en-US')).join(', ')} spans; storage figure at ${plan.storage.map((s) => s.toLocaleString('en-US')).join(', ')} spans`,
    `- load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' / ')} — other work shared this machine; every row carries the load it ran under`,
    `- finished ${new Date().toISOString()} (${((Date.now() - started.getTime()) / 60000).toFixed(1)} min)`,
    '',
    report.table(),
    '',
    ...report.sections.flatMap((s) => [`**${s.title}.** ${s.text}`, '']),
    ...(estimate ? [estimate, ''] : []),
  ].join('\n');
  mkdirSync(`${BENCH}results`, { recursive: true });
  writeFileSync(`${BENCH}results/${partName}.md`, part);
  // full.md, then other full parts (full-10m.md …), then quick.md
  const names = readdirSync(`${BENCH}results`).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3))
    .sort((a, b) => (a === 'quick') - (b === 'quick') || a.localeCompare(b));
  const parts = names.map((m) => readFileSync(`${BENCH}results/${m}.md`, 'utf8'));
  const intro = readFileSync(`${BENCH}INTRO.md`, 'utf8');
  const notes = readFileSync(`${BENCH}PROFILING.md`, 'utf8');
  writeFileSync(`${ROOT}BENCHMARKS.md`, `${intro.trim()}\n\n${parts.join('\n\n')}\n\n${notes.trim()}\n`);
  console.log(`wrote ${ROOT}BENCHMARKS.md`);
}
