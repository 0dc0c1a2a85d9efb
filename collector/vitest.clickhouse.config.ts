/**
 * The collector's API tests again, on the ClickHouse backend (chDB in-process): every collector
 * they start through test/fixtures/collector.ts runs on a fresh ClickHouse database
 * (FLOWTRACE_TEST_STORAGE=clickhouse). Only files that start a collector through that seam are
 * listed (unit tests of query/ would run on DuckDB twice), and the CLI-process tests whose
 * collector processes take their store from test/fixtures/cli-process.ts's storageArgs() (a
 * chDB directory per store: killed, stopped and restarted processes open it again). What is
 * DuckDB's by design is skipped in place with `skipIf(onClickHouse)` and its reason. Left out:
 * test/query/client-gone.test.ts, whose every case counts the interrupts of DuckDB's read pool
 * (duckdbOf(storage).reads).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/query/*-api.test.ts',
      'test/query/executions-sort.test.ts',
      'test/query/live-logs.test.ts',
      'test/query/otlp-roundtrip.test.ts',
      'test/control/**/*.test.ts',
      'test/e2e/**/*.test.ts',
      'test/api/**/*.test.ts',
      'test/cli.test.ts',
      'test/reliability/crash.test.ts',
      'test/reliability/delete-leaves-nothing.test.ts',
      'test/reliability/ingest-poison.test.ts',
      'test/reliability/overload.test.ts',
      'test/reliability/retention-metrics.test.ts',
      'test/reliability/retention-orphan-logs.test.ts',
      'test/reliability/retries-and-shutdown.test.ts',
      'test/reliability/retry-identity.test.ts',
      'test/reliability/surrogates.test.ts',
    ],
    env: { FLOWTRACE_TEST_STORAGE: 'clickhouse' },
    // chDB runs one engine per process: each test file must have a process of its own.
    pool: 'forks',
    isolate: true,
    setupFiles: ['test/clickhouse/chdb-cleanup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
