import { defineConfig } from 'vitest/config';

// Unit tests run against the SDK's in-memory exporters; e2e tests spawn a real collector
// (../collector/dist/cli.js) and the example services as child processes.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/e2e/global-setup.ts'],
  },
});
