#!/usr/bin/env node
// Runs the conformance suite against every mutant (mutants.ts) on DuckDB and prints, per
// mutant, the cases that failed; exits 1 when a mutant survives (no case failed).
// Usage, from collector/: node test/conformance/mutants-check.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'ft-mutants-'));
const out = join(dir, 'report.json');
spawnSync('npx', ['vitest', 'run', 'test/conformance/mutants.test.ts', '--reporter=json', `--outputFile=${out}`], {
  stdio: 'ignore', env: { ...process.env, FT_CONFORMANCE_MUTANTS: '1' },
});
const report = JSON.parse(readFileSync(out, 'utf8'));
rmSync(dir, { recursive: true, force: true });
const failed = new Map();
for (const file of report.testResults) {
  if (file.assertionResults.length === 0) throw new Error(`the mutants did not run: ${file.message}`);
  for (const t of file.assertionResults) {
    const mutant = t.ancestorTitles[0].replace('storage conformance: MUTANT ', '');
    if (!failed.has(mutant)) failed.set(mutant, []);
    if (t.status === 'failed') failed.get(mutant).push(t.title);
  }
}
let survivors = 0;
for (const [mutant, cases] of failed) {
  console.log(`${cases.length === 0 ? 'SURVIVED' : 'killed  '} ${mutant}${cases.length === 0 ? '' : ` (${cases.length})`}`);
  for (const c of cases) console.log(`           - ${c}`);
  if (cases.length === 0) survivors += 1;
}
process.exit(survivors === 0 ? 0 : 1);
