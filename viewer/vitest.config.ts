// Unit tests (pure model/api code, node environment) and browser tests (playwright-core
// driving Debian's Chromium against a real in-process collector) in one run.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const conventions = fileURLToPath(new URL('../instrumentation/src/conventions.ts', import.meta.url));

export default defineConfig({
  resolve: { alias: { '@flowtrace/instrumentation/conventions': conventions } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
