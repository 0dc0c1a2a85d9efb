/**
 * Measurements of the ClickHouse engine's read shapes on chDB (not tests: they print figures and
 * assert only that the variants agree). Run one at a time, alone on the machine:
 *   cd collector && npx vitest run --config test/clickhouse/measure/vitest.config.ts
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/clickhouse/measure/*.measure.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
  },
});
