// Unit tests (pure model/api code, node environment) and browser tests (playwright-core
// driving Debian's Chromium against a real in-process collector) in one run.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const conventions = fileURLToPath(new URL('../instrumentation/src/conventions.ts', import.meta.url));

export default defineConfig({
  // Compiles runes in lib/state/*.svelte.ts so their logic can be unit-tested without a browser.
  plugins: [svelte()],
  resolve: { alias: { '@flowtrace/instrumentation/conventions': conventions } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
