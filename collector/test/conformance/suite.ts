/**
 * The storage conformance suite: the executable form of the promises in
 * collector/src/storage/contract.ts, run the same on every engine (as jaeger's storage
 * integration tests are). An engine's test file calls `describeStorageConformance` with a
 * factory that opens a fresh store of that engine; every case opens its own store, writes
 * through `storage.writer.write`, reads through the contract's read models only, and closes.
 *
 * Expected answers are computed from what each case wrote (scenarios.ts), never copied from an
 * engine's output. No case asserts on time taken. Batches are built in one file (batches.ts,
 * through ingest's own converters). That each case can fail is checked by mutants.ts: stores
 * broken one promise at a time (node test/conformance/mutants-check.mjs).
 */
import { describe } from 'vitest';
import { errorSearchCases } from './cases-error-search.js';
import { feedCases } from './cases-feed.js';
import { lifecycleCases } from './cases-lifecycle.js';
import { listCases } from './cases-list.js';
import { otherReadCases } from './cases-other-reads.js';
import { rootCases } from './cases-roots.js';
import { sqlCases } from './cases-sql.js';
import { statisticsCases } from './cases-statistics.js';
import { statusCases } from './cases-statuses.js';
import { traceCases } from './cases-traces.js';
import { writeCases } from './cases-writes.js';
import type { OpenStore } from './harness.js';

export type { ConformanceOptions, OpenStore } from './harness.js';

/** Registers every conformance case for one engine; `openFresh` hides the engine's own options. */
export function describeStorageConformance(engineName: string, openFresh: OpenStore): void {
  describe(`storage conformance: ${engineName}`, () => {
    writeCases(openFresh);
    rootCases(openFresh);
    statusCases(openFresh);
    listCases(openFresh);
    errorSearchCases(openFresh);
    traceCases(openFresh);
    statisticsCases(openFresh);
    sqlCases(openFresh);
    lifecycleCases(openFresh);
    feedCases(openFresh);
    otherReadCases(openFresh);
  });
}
