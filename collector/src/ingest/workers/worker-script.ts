/**
 * Where the ingest worker's code is. Built, it is ingest-worker.js beside this module. Run from
 * the TypeScript sources (the tests run the collector so, through vitest), a worker thread cannot
 * load .ts files: it starts from-source.mjs instead, which compiles the worker's modules with the
 * workspace's TypeScript into a cache (collector/node_modules/.cache) and runs them from there.
 */
export interface WorkerScript {
  url: URL;
  /** Added to the worker's workerData. */
  data: Record<string, unknown>;
}

export function workerScript(): WorkerScript {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { url: new URL('./from-source.mjs', here), data: { entry: new URL('./ingest-worker.ts', here).href } };
  }
  return { url: new URL('./ingest-worker.js', here), data: {} };
}
