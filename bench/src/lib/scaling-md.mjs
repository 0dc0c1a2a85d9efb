// The BENCHMARKS.md section "Scaling out on ClickHouse": the per-collector ingest figures this
// run measured (rate, and CPU per span by thread kind) and, computed from them by
// lib/scaling.mjs, how ingest would scale with collectors and shards and where it stands against
// Jaeger + ClickHouse's published figure. Everything estimated says so; measured rows name the
// figure they come from.
import { fmt } from './report.mjs';
import { JAEGER_CLICKHOUSE, SHARDS, collectorsPerShards, engineOnCpus, onSharedCpus, perSpanCosts, scaleOutGrid } from './scaling.mjs';

const us = (x) => `${x.toFixed(0)} µs`;
/** CPU per span of one measured ingest result (fig1-ingest.mjs). */
const costsOf = (r) => perSpanCosts({ spans: r.acked, cpu: r.cpu, seconds: r.seconds });
const WORKLOADS = [['payload', 'payload workload'], ['noPayload', 'no payloads']];

function measuredRows(s) {
  const rows = [];
  for (const [engine, label] of [['ch', 'ClickHouse (chDB)'], ['duck', 'DuckDB']]) {
    for (const [key, workload] of WORKLOADS) {
      const r = s[engine]?.[key];
      if (!r) continue;
      const c = costsOf(r);
      const per = (cpu) => us((cpu * 1e6) / r.acked);
      const engineCell = engine === 'ch' ? per(r.cpu.engine + r.cpu.ended) : '— (DuckDB\'s threads are unnamed: in the next column)';
      rows.push(`| ${label}, ${workload} (${fmt.n(s.bytesPerSpan?.[key] ?? NaN)} B/span protobuf) | ${fmt.n(r.acked)} | ${fmt.n(r.spansPerSec)} | ${per(r.cpu.main)} | ${engineCell} | ${per(r.cpu.node + (engine === 'ch' ? 0 : r.cpu.ended))} | ${us(c.totalUs)} | ${c.coresUsed.toFixed(2)} of ${s.cores} |`);
    }
  }
  return rows;
}

function gridTable(costs) {
  const head = `| collectors (1 core each) | ${SHARDS.map((n) => `${n} shard${n > 1 ? 's' : ''} × 4 cores`).join(' | ')} |\n|---|${SHARDS.map(() => '---|').join('')}`;
  const lines = scaleOutGrid(costs).map((row) => `| ${row.collectors} | ${row.cells.map((c) => `~${fmt.n(Math.round(c.spansPerSec / 1000))}k spans/s (${c.boundBy === 'collectors' ? 'collector-bound' : 'ClickHouse-bound'})`).join(' | ')} |`);
  return [head, ...lines].join('\n');
}

/** The section's markdown, or '' when this run measured no ClickHouse ingest. */
export function scalingSection(s) {
  if (!s?.ch?.payload) return '';
  const j = JAEGER_CLICKHOUSE;
  const out = [
    '### Scaling out on ClickHouse — an estimate from this run\'s measured figures, not a measurement',
    '',
    `**Measured** (figure 1 above, same run): one collector process over HTTP from 4 client processes × 2 connections, on this ${s.cores}-core machine. `
      + 'With chDB, ClickHouse\'s engine runs **inside the collector process**: collector and engine share the same cores with the ingest clients — a ClickHouse server would have cores of its own. '
      + 'CPU time is read from /proc per thread over the ingest: the main thread (JavaScript: HTTP, OTLP decode, row conversion, serializing the INSERT), '
      + 'the threads ClickHouse named (its pools: parsing the insert, writing parts, the rollup\'s materialized view, merges that ran meanwhile; threads that ended during the run counted here), '
      + 'and Node\'s other threads (GC, the libuv pool).',
    '',
    '| ingest run | spans | spans/s (measured) | CPU/span: main thread | ClickHouse\'s threads | Node\'s other threads | total | cores busy (collector process) |',
    '|---|---|---|---|---|---|---|---|',
    ...measuredRows(s),
    '',
  ];
  for (const [key, workload] of WORKLOADS) {
    const r = s.ch[key];
    if (!r) continue;
    const c = costsOf(r);
    out.push(
      `**Estimate, ${workload}.** Per span, a collector spends ${us(c.collectorUs)} of CPU (main thread + Node's other threads) and ClickHouse ${us(c.engineUs)} `
        + `(${(c.engineShare * 100).toFixed(0)} % of the collector process's CPU here). So one collector core would take ~${fmt.n(Math.round(1e6 / c.collectorUs))} spans/s and one ClickHouse core `
        + `~${fmt.n(Math.round(1e6 / c.engineUs))} spans/s; it takes ~${collectorsPerShards(c, 1)} one-core collectors to keep one 4-core shard busy. `
        + `For comparison, the measured rate of this one collector with chDB in it, sharing ${s.cores} cores with its clients: ${fmt.n(r.spansPerSec)} spans/s.`,
      '',
      gridTable(c),
      '',
    );
  }
  const p = costsOf(s.ch.payload);
  const np = s.ch.noPayload ? costsOf(s.ch.noPayload) : undefined;
  const vs = (x) => `${fmt.n(Math.round(x))} spans/s (${fmt.ratio(x / j.spansPerSec)} Jaeger's)`;
  out.push(
    `**Against Jaeger + ClickHouse's published ${fmt.n(j.spansPerSec)} spans/s on ${j.cpus} CPUs** (${fmt.n(j.spans)} spans in ${j.seconds} s; ${j.machine}; ${j.method}; ${j.workload}). `
      + 'Estimated from this run, not measured:',
    '',
    `- collector and ClickHouse sharing ${j.cpus} cores: payload workload ${vs(onSharedCpus(p, j.cpus))}${np ? `; no payloads ${vs(onSharedCpus(np, j.cpus))}` : ''};`,
    `- ClickHouse's side alone on ${j.cpus} cores (the kind of figure Jaeger's is: the engine's insert work): payload workload ${vs(engineOnCpus(p, j.cpus))}${np ? `; no payloads ${vs(engineOnCpus(np, j.cpus))}` : ''}.`,
    '',
    'Read with care: Jaeger\'s rate is spans over the summed duration of the INSERT statements in ClickHouse\'s query log — wall time of the inserts, not CPU time, '
      + 'and not how many of the 4 OCPUs (8 hardware threads, not 4 cores) they kept busy — while these estimates divide cores by measured CPU time per span; '
      + 'chDB keeps no query log, so Jaeger\'s definition could not be measured here. Their spans carry 11 short attributes; '
      + 'the payload workload\'s spans carry inputs and outputs of 100 B–4 KiB: no-payload spans are the closer match.',
    '',
    '**Assumptions of the estimate.** Ingest is CPU-bound and both sides scale linearly with cores: collectors share nothing (any collector takes any span), and '
      + 'shards share nothing (a trace\'s spans and its rollup go to one shard, `cityHash64(trace_id)`). A ClickHouse server does the same engine work per span as chDB '
      + 'in-process (the same engine, 26.7) — plus receiving the INSERT over the network, not counted. No replicas: each replica repeats the engine\'s work, and '
      + '`insert_quorum` waits for a majority of them. Merges that ran after the measurement are not counted. The estimate\'s arithmetic is lib/scaling.mjs (tested in bench/test/scaling.test.mjs).',
  );
  return out.join('\n');
}
