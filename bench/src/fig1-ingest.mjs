// Figure 1 (and 8): durable ingest through HTTP. The collector runs as its own process on a
// file database; `clients` client processes post pre-encoded OTLP bodies over 127.0.0.1.
// Only acknowledged (200) spans count; the rate is acknowledged spans over the time from
// the first send to the last acknowledgement. The collector's RSS is sampled meanwhile, and its
// CPU time split by thread (lib/thread-cpu.mjs) from the first send to the last answer.
// The engine (lib/engines.mjs) is DuckDB unless options.engine says ClickHouse (chDB).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCollectorProcess } from './lib/collector-process.mjs';
import { DUCKDB } from './lib/engines.mjs';
import { sqlNumber } from './lib/http.mjs';
import { loadAverage, percentile } from './lib/stats.mjs';
import { cpuSnapshot, cpuSplit } from './lib/thread-cpu.mjs';

const CLIENT = fileURLToPath(new URL('./lib/ingest-client.mjs', import.meta.url));

/**
 * Runs one ingest measurement. options: { dataset, dbPath, clients = 4, inflight = 2,
 * deadlineMs = 600_000, keepRunning = false, nodeArgs = [], engine = DUCKDB }. dbPath is the
 * engine's location (a file, or chDB's directory), emptied first. With keepRunning the
 * collector is returned still running (for the query figures on the same database).
 */
export async function measureIngest(options) {
  const { dataset, dbPath, clients = 4, inflight = 2, deadlineMs = 600_000, keepRunning = false, nodeArgs = [], engine = DUCKDB } = options;
  engine.remove(dbPath);
  const load = loadAverage();
  const collector = await startCollectorProcess(dbPath, engine.collectorArgs(dbPath), nodeArgs);
  try {
    const idleRss = collector.rss();
    const shares = Array.from({ length: clients }, (_, k) => dataset.index.entries.filter((_, i) => i % clients === k));
    const children = shares.map((entries) => {
      const child = fork(CLIENT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const ready = new Promise((resolve) => child.once('message', resolve));
      child.send({ url: collector.url, path: dataset.path, entries, contentType: dataset.contentType, inflight, deadlineMs });
      return { child, ready };
    });
    await Promise.all(children.map((c) => c.ready));
    const done = children.map((c) => new Promise((resolve, reject) => {
      c.child.once('message', (m) => resolve(m.result));
      c.child.once('exit', (code) => (code ? reject(new Error(`ingest client exited with ${code}`)) : undefined));
    }));
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, collector.rss())), 200);
    const cpuBefore = cpuSnapshot(collector.pid);
    for (const c of children) c.child.send('go');
    const results = await Promise.all(done);
    const cpu = cpuSplit(cpuBefore, cpuSnapshot(collector.pid), collector.pid);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, collector.rss());
    const sum = (k) => results.reduce((n, r) => n + r[k], 0);
    const seconds = (Math.max(...results.map((r) => r.lastAck)) - Math.min(...results.map((r) => r.firstSend))) / 1000;
    const latencies = results.flatMap((r) => r.latencies);
    const statuses = {};
    for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
    const stored = await sqlNumber(collector.url, engine.countSpans);
    const result = {
      engine: engine.key,
      format: dataset.format,
      clients,
      inflight,
      planned: dataset.index.spans,
      sent: sum('sentSpans'),
      acked: sum('ackedSpans'),
      stored,
      seconds,
      spansPerSec: sum('ackedSpans') / seconds,
      requests: sum('requests'),
      rejected: sum('rejectedSpans'),
      retries: sum('retries'),
      failures: sum('failures'),
      statuses,
      latencyP50: percentile(latencies, 50),
      latencyP99: percentile(latencies, 99),
      idleRss,
      peakRss,
      endRss: collector.rss(),
      cpu,
      load,
    };
    if (keepRunning) return { result, collector };
    await collector.stop();
    return { result, collector: null };
  } catch (error) {
    await collector.stop();
    throw error;
  }
}
