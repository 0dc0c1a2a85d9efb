// Session 9 (issue 16), the writer: the storage writer alone (no HTTP, no decode: bodies decoded
// beforehand) with IN_FLIGHT writes waiting at all times, as figure 1's 4 clients × 2 in flight keep
// it, once for each checkpoint threshold given (the collector's default, 256MB, is passed near the
// end of the 100k payload run, so one commit checkpoints), alternated ROUNDS times on fresh files
// (bench/PROFILING.md, "Session 9 — writer"). Prints spans/s, the commit steps per span, the
// process's CPU per span, the WAL left; writes only scratch files.
//   node bench/src/ingest-writer.mjs [--kind p|np] [--in-flight 8] [--rounds 3] [--dir /tmp/ingest-writer]
//     [--thresholds 256MB,4GB] [--spans N (default 100k with payloads, 50k without)]
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { eachBody } from './lib/body-file.mjs';
import { COLLECTOR_DIST } from './lib/collector-dist.mjs';
import { prepareDataset } from './lib/dataset.mjs';
import { loadAverage } from './lib/stats.mjs';

const { values: args } = parseArgs({
  options: {
    kind: { type: 'string', default: 'p' },
    'in-flight': { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    dir: { type: 'string', default: '/tmp/ingest-writer' },
    thresholds: { type: 'string', default: '256MB,4GB' },
    spans: { type: 'string' },
  },
});
mkdirSync(args.dir, { recursive: true });
const KINDS = { p: { spans: 100_000, payloads: true }, np: { spans: 50_000, payloads: false } };
const { ingestTraces } = await import(`${COLLECTOR_DIST}ingest/index.js`);
const { openStorage } = await import(`${COLLECTOR_DIST}storage/index.js`);
const dataset = prepareDataset({ dir: args.dir, seed: 42, ...KINDS[args.kind], ...(args.spans ? { spans: Number(args.spans) } : {}) });
const batches = [...eachBody(dataset.path, dataset.index)].map((b) => ingestTraces(b.body, 'protobuf').batch);
const db = join(args.dir, 'writer.duckdb');
const fresh = () => {
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
};
const walBytes = () => {
  try {
    return statSync(`${db}.wal`).size;
  } catch {
    return 0;
  }
};

for (let round = 1; round <= Number(args.rounds); round++) {
  for (const threshold of args.thresholds.split(',')) {
    fresh();
    const load = loadAverage();
    const storage = await openStorage({ path: db, checkpointThreshold: threshold });
    try {
      let next = 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(Array.from({ length: Number(args['in-flight']) }, async () => {
        while (next < batches.length) await storage.writer.write(batches[next++]);
      }));
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const us = (ms) => (ms * 1000 / dataset.index.spans).toFixed(1);
      const { phaseMs, commits, failedCommits } = storage.writer.stats;
      console.log(`round ${round}, checkpoint threshold ${threshold.padEnd(5)} ${args.kind}: ${(dataset.index.spans / wall * 1000).toFixed(0)} spans/s; µs per span: all ${us(wall)}, `
        + `look up ${us(phaseMs.lookup)}, append ${us(phaseMs.append)}, COMMIT ${us(phaseMs.commit)}; ${commits} commits (${failedCommits} failed); `
        + `process CPU ${((cpu.user + cpu.system) / dataset.index.spans).toFixed(1)} µs/span; WAL at the end ${(walBytes() / 1e6).toFixed(1)} MB; load ${load}`);
    } finally {
      await storage.close();
      fresh();
    }
  }
}
