/**
 * The mutation check of the conformance suite (mutants.ts), on DuckDB. Opt-in: it runs the
 * suite once per mutant, and each run is meant to FAIL. Run it with mutants-check.mjs, which
 * says which cases caught each mutant and fails when one survives.
 */
import { afterAll, it } from 'vitest';
import { duckdbFactory } from './duckdb-factory.js';
import { mutantFactories } from './mutants.js';
import { describeStorageConformance } from './suite.js';

if (process.env.FT_CONFORMANCE_MUTANTS === '1') {
  const duckdb = duckdbFactory();
  afterAll(() => duckdb.remove());
  for (const [name, open] of Object.entries(mutantFactories(duckdb.open))) describeStorageConformance(`MUTANT ${name}`, open);
} else {
  // Skipped unless asked for: it runs the whole suite once per mutant (~5½ minutes), too long for every CI run.
  it.skip('mutation check of the conformance suite: opt-in, ~5½ min (FT_CONFORMANCE_MUTANTS=1, or node test/conformance/mutants-check.mjs)', () => undefined);
}
