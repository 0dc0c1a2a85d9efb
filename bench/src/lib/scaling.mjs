// How ingest would scale with collectors and ClickHouse shards — an ESTIMATE computed from
// figures measured in one run, never a measurement. Pure functions (bench/test/scaling.test.mjs).
//
// The model: a span costs the collector `collectorUs` of CPU (its main thread and Node's other
// threads: HTTP, OTLP decode, row conversion, the insert's serialization) and ClickHouse
// `engineUs` (the threads ClickHouse named: parsing the insert, writing parts, the rollup's
// materialized view, the merges that ran meanwhile), both measured on one collector over chDB.
// Assumed: ingest is CPU-bound and both sides scale linearly with cores — collectors share
// nothing, and a trace's spans go to one shard (cityHash64(trace_id)) so shards share nothing;
// a server does the same engine work per span as chDB in-process; no replicas (each replica
// repeats the engine's work); the network is free. Merges after the run are not counted.

/**
 * Jaeger v2 + ClickHouse's published insert figure (jaegertracing/jaeger,
 * internal/storage/v2/clickhouse/BENCHMARKING.md; method in mahadzaryab1/clickhouse-benchmarking).
 */
export const JAEGER_CLICKHOUSE = {
  spansPerSec: 52_129,
  spans: 10_000_000,
  seconds: 191.8,
  cpus: 4,
  machine: 'Oracle Cloud VM.Standard2.4: 4 OCPUs (an OCPU is one physical core with two hardware threads: 8 vCPUs), Xeon Platinum 8167M, 60 GB',
  method: 'spans stored over the summed duration of ClickHouse\'s INSERT statements (system.query_log): the engine\'s own insert time, as if the inserts ran one after another — neither an end-to-end rate nor a count of CPUs kept busy; '
    + 'tracegen → Jaeger (OTLP/gRPC) → ClickHouse 26, single node, all on that VM',
  workload: '1M traces of 10 spans, 11 attributes per span, no payloads',
};

/** Collector counts and shard counts the estimate table shows. */
export const COLLECTORS = [1, 2, 4, 8];
export const SHARDS = [1, 2, 4];

/**
 * CPU µs per span from one measured ingest run: { spans, cpu: { total, main, engine, node, ended } (CPU s), seconds (wall) }.
 * Threads that ended during the run ("ended") are counted as the engine's: ClickHouse's pools
 * start and retire threads, Node's live as long as the process.
 */
export function perSpanCosts({ spans, cpu, seconds }) {
  if (!(spans > 0) || !(seconds > 0)) throw new Error('perSpanCosts needs spans and seconds above 0');
  const us = (cpuSeconds) => (cpuSeconds * 1e6) / spans;
  return {
    collectorUs: us(cpu.main + cpu.node),
    mainUs: us(cpu.main),
    engineUs: us(cpu.engine + cpu.ended),
    totalUs: us(cpu.total),
    /** Cores the collector process kept busy on average (the rest went to the clients and the machine's other work). */
    coresUsed: cpu.total / seconds,
    engineShare: (cpu.engine + cpu.ended) / cpu.total,
  };
}

/**
 * Estimated spans/s of `collectors` collectors (each `collectorCores` cores) writing `shards`
 * ClickHouse shards (each `shardCores` cores): the lower of the two sides' CPU limits.
 */
export function scaleOut(costs, { collectors, collectorCores = 1, shards, shardCores = 4 }) {
  const collectorLimit = (collectors * collectorCores * 1e6) / costs.collectorUs;
  const engineLimit = (shards * shardCores * 1e6) / costs.engineUs;
  return {
    spansPerSec: Math.min(collectorLimit, engineLimit),
    collectorLimit,
    engineLimit,
    boundBy: collectorLimit <= engineLimit ? 'collectors' : 'ClickHouse',
  };
}

/** Estimated spans/s when collector and ClickHouse share `cpus` cores (both sides' CPU per span on them). */
export function onSharedCpus(costs, cpus) {
  return (cpus * 1e6) / (costs.collectorUs + costs.engineUs);
}

/** The ClickHouse side alone on `cpus` cores (the engine's insert work only: the Jaeger figure's kind). */
export function engineOnCpus(costs, cpus) {
  return (cpus * 1e6) / costs.engineUs;
}

/** Collectors needed to keep `shards` shards of `shardCores` cores busy (rounded up). */
export function collectorsPerShards(costs, shards, { collectorCores = 1, shardCores = 4 } = {}) {
  return Math.ceil((shards * shardCores * costs.collectorUs) / (collectorCores * costs.engineUs));
}

/** The estimate grid: one row per collector count, one cell per shard count. */
export function scaleOutGrid(costs, options = {}) {
  return COLLECTORS.map((collectors) => ({
    collectors,
    cells: SHARDS.map((shards) => ({ shards, ...scaleOut(costs, { ...options, collectors, shards }) })),
  }));
}
