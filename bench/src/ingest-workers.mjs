// Session 8 (issue 16), ingest workers: the measurements behind the pool's defaults and where the
// time goes (bench/PROFILING.md, "Session 8 — ingest workers"). Prints; writes only scratch files.
//   node bench/src/ingest-workers.mjs http   [--tree /work/main] [--kind p|np|json] [--dir D] [-- collector flags…]
//     figure 1's measurement (4 client processes × 2 requests in flight, pre-encoded bodies) against
//     TREE's built collector, plus the collector's CPU per span: the process and its main thread
//   node bench/src/ingest-workers.mjs small  [--spans 1,4,16,32,64,128] [--requests 1500] [--dir D]
//     small requests (no payloads), 16 in flight, with every body sent to 1 worker and with none:
//     requests/s and the collector's CPU per request (this tree's build, started in-process options)
//   node bench/src/ingest-workers.mjs writer [--kind p|np] [--dir D]
//     the storage writer alone (no HTTP, no decode: bodies decoded beforehand), 3 requests per
//     group as the HTTP runs group them: its ceiling, and the time of each commit step per span
// Run the `http` mode alternately with --tree of the session's base and of this tree, the lock held.
import { fork, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { eachBody } from './lib/body-file.mjs';
import { COLLECTOR_DIST, startNodeFlags } from './lib/collector-dist.mjs';
import { prepareDataset } from './lib/dataset.mjs';
import { encodeTracesProtobuf, requestChunks } from './lib/otlp.mjs';
import { loadAverage } from './lib/stats.mjs';
import { cpuSnapshot, cpuSplit } from './lib/thread-cpu.mjs';
import { executions } from './lib/workload.mjs';

const CLIENT = fileURLToPath(new URL('./lib/ingest-client.mjs', import.meta.url));
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tree: { type: 'string', default: fileURLToPath(new URL('../../', import.meta.url)) },
    kind: { type: 'string', default: 'p' },
    spans: { type: 'string', default: '1,4,16,32,64,128' },
    requests: { type: 'string', default: '1500' },
    dir: { type: 'string', default: '/tmp/ingest-workers' },
  },
});
mkdirSync(args.dir, { recursive: true });
const KINDS = { p: { spans: 100_000, payloads: true }, np: { spans: 50_000, payloads: false }, json: { spans: 25_000, payloads: true, format: 'json' } };

/** Starts `node <script> …` and resolves with the child and the URL it prints once listening. */
async function listening(command) {
  const child = spawn(process.execPath, command, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}`)));
  });
  return { child, url, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
}

function fresh(db) {
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  return db;
}

async function http(flags) {
  const dataset = prepareDataset({ dir: args.dir, seed: 42, ...KINDS[args.kind] });
  const db = fresh(join(args.dir, `http-${args.kind}.duckdb`));
  const load = loadAverage();
  // The tree's collector starts with the node flags its `pnpm start` gives it; FT_BENCH_COLLECTOR_NODE_FLAGS
  // adds some, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (bench/src/cpu-profile-summary.mjs reads the profiles).
  const nodeFlags = [...startNodeFlags(args.tree), ...(process.env.FT_BENCH_COLLECTOR_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  const collector = await listening([...nodeFlags, join(args.tree, 'collector/dist/cli.js'), 'start', '--port', '0', '--host', '127.0.0.1', '--db', db, '--grpc-port', '0', ...flags]);
  try {
    const shares = Array.from({ length: 4 }, (_, k) => dataset.index.entries.filter((_, i) => i % 4 === k));
    const clients = shares.map((entries) => {
      const child = fork(CLIENT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const ready = new Promise((resolve) => child.once('message', resolve));
      child.send({ url: collector.url, path: dataset.path, entries, contentType: dataset.contentType, inflight: 2, deadlineMs: 300_000 });
      return { child, ready };
    });
    await Promise.all(clients.map((c) => c.ready));
    const done = clients.map((c) => new Promise((resolve) => c.child.once('message', (m) => resolve(m.result))));
    const before = cpuSnapshot(collector.child.pid);
    for (const c of clients) c.child.send('go');
    const results = await Promise.all(done);
    const cpu = cpuSplit(before, cpuSnapshot(collector.child.pid), collector.child.pid);
    const acked = results.reduce((n, r) => n + r.ackedSpans, 0);
    const seconds = (Math.max(...results.map((r) => r.lastAck)) - Math.min(...results.map((r) => r.firstSend))) / 1000;
    const statuses = {};
    for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
    console.log(`${args.tree} ${args.kind} ${flags.join(' ')}: ${(acked / seconds).toFixed(0)} spans/s (${acked} in ${seconds.toFixed(2)} s, statuses ${JSON.stringify(statuses)}); `
      + `collector CPU µs/span: process ${(cpu.total * 1e6 / acked).toFixed(1)}, main thread ${(cpu.main * 1e6 / acked).toFixed(1)}; load ${load}`);
    console.log(`  writer: ${await writerPhases(collector.url)}`);
  } finally {
    await collector.stop();
  }
}

/**
 * The writer's group commits from the collector's /metrics: how many, and the wall-clock time of
 * each phase (lookup, append, commit) — the writer is the pipeline's last stage, and the sum
 * against the run's seconds says how busy it was. A tree without these metrics says so.
 */
async function writerPhases(url) {
  const text = await fetch(`${url}/metrics`).then((r) => (r.ok ? r.text() : '')).catch(() => '');
  const value = (pattern) => Number(new RegExp(`^${pattern} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const commits = value('flowtrace_batches_committed_total');
  const phases = ['lookup', 'append', 'commit'].map((p) => [p, value(`flowtrace_writer_phase_ms_total\\{phase="${p}"\\}`)]);
  if (Number.isNaN(commits) || phases.some(([, ms]) => Number.isNaN(ms))) return 'no writer metrics in this tree';
  const total = phases.reduce((n, [, ms]) => n + ms, 0);
  return `${commits} group commits; ${phases.map(([p, ms]) => `${p} ${(ms / 1000).toFixed(2)} s`).join(', ')} (${(total / 1000).toFixed(2)} s in all)`;
}

async function small() {
  const server = join(args.dir, 'small-server.mjs');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(server, `const { startServer } = await import(${JSON.stringify(`${COLLECTOR_DIST}server.js`)});
const [db, workers] = process.argv.slice(2);
const s = await startServer({ port: 0, host: '127.0.0.1', dbPath: db, grpc: false, viewerDir: '/nonexistent', ingestWorkers: { workers: Number(workers), inlineBelowBytes: 0 } });
process.stdout.write('listening on ' + s.url + '\\n');
process.once('SIGTERM', async () => { await s.close(); process.exit(0); });
`);
  for (const spans of args.spans.split(',').map(Number)) {
    const bodies = [];
    for (const chunk of requestChunks(executions({ seed: 7, totalSpans: spans * Number(args.requests), payloads: false }), spans)) bodies.push(encodeTracesProtobuf(chunk.spans));
    for (const workers of [1, 0]) {
      const collector = await listening([server, fresh(join(args.dir, 'small.duckdb')), String(workers)]);
      try {
        const post = (body) => fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } }).then((r) => r.arrayBuffer().then(() => r.status));
        await post(bodies[0]);
        const before = cpuSnapshot(collector.child.pid);
        let next = 1;
        const t0 = performance.now();
        await Promise.all(Array.from({ length: 16 }, async () => {
          while (next < bodies.length) if ((await post(bodies[next++])) !== 200) throw new Error('not 200');
        }));
        const seconds = (performance.now() - t0) / 1000;
        const cpu = cpuSplit(before, cpuSnapshot(collector.child.pid), collector.child.pid);
        const n = bodies.length - 1;
        console.log(`${spans} spans/request (${bodies[1].length} B), ${workers ? 'every body to 1 worker' : 'inline          '}: ${(n / seconds).toFixed(0)} requests/s, `
          + `collector CPU µs/request: main thread ${(cpu.main * 1e6 / n).toFixed(0)}, process ${(cpu.total * 1e6 / n).toFixed(0)}; load ${loadAverage()}`);
      } finally {
        await collector.stop();
      }
    }
  }
}

async function writer() {
  const { ingestTraces } = await import(`${COLLECTOR_DIST}ingest/index.js`);
  const { openStorage } = await import(`${COLLECTOR_DIST}storage/index.js`);
  const dataset = prepareDataset({ dir: args.dir, seed: 42, ...KINDS[args.kind] });
  const batches = [...eachBody(dataset.path, dataset.index)].map((b) => ingestTraces(b.body, 'protobuf').batch);
  for (const dir of [args.dir, '/dev/shm']) {
    const storage = await openStorage({ path: fresh(join(dir, 'writer-alone.duckdb')) });
    try {
      const t0 = performance.now();
      for (let i = 0; i < batches.length; i += 3) await Promise.all(batches.slice(i, i + 3).map((b) => storage.writer.write(b)));
      const us = (ms) => (ms * 1000 / dataset.index.spans).toFixed(1);
      const wall = performance.now() - t0;
      const { phaseMs, commits } = storage.writer.stats;
      console.log(`writer alone, ${args.kind}, database on ${dir}: ${(dataset.index.spans / wall * 1000).toFixed(0)} spans/s; µs per span: all ${us(wall)}, `
        + `look up ${us(phaseMs.lookup)}, append ${us(phaseMs.append)}, COMMIT ${us(phaseMs.commit)}; ${commits} commits; load ${loadAverage()}`);
    } finally {
      await storage.close();
      fresh(join(dir, 'writer-alone.duckdb'));
    }
  }
}

const mode = positionals[0] ?? 'http';
if (mode === 'http') await http(positionals.slice(1));
else if (mode === 'small') await small();
else if (mode === 'writer') await writer();
else throw new Error(`unknown mode ${mode}`);
