// Builds the viewer SPA into dist/ (served by the collector at /). The dev server proxies
// the collector's /api and /v1 so `vite` works against a collector on 127.0.0.1:4318.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const conventions = fileURLToPath(new URL('../instrumentation/src/conventions.ts', import.meta.url));
const target = process.env.FLOWTRACE_URL ?? 'http://127.0.0.1:4318';

export default defineConfig({
  plugins: [svelte()],
  resolve: { alias: { '@flowtrace/instrumentation/conventions': conventions } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': { target }, '/v1': { target } } },
});
