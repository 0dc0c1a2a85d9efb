// Session 8 (issue 16): WAL bytes per ingested byte, and the CPU of decode + convert + encode,
// for the payload workload (bench/PROFILING.md, "Session 8 — payload storage"). Prints; writes
// nothing but scratch files in DIR. Run it in the tree to measure (its collector/dist is used).
//   node bench/src/payload-wal.mjs [--spans 40000] [--in-flight 8] [--dir /tmp/payload-wal]
// 1. The built collector on a fresh file, the workload's protobuf bodies posted with --in-flight
//    requests at a time; then the WAL's size (the default checkpoint threshold, 256MB, is not
//    reached) against the bytes sent.
// 2. Decode, convert and (where the tree has the span model) encode of the same bodies on this
//    thread, 4 rounds: CPU µs per span.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { eachBody } from './lib/body-file.mjs';
import { COLLECTOR_DIST, loadIngest } from './lib/collector-dist.mjs';
import { startCollectorProcess } from './lib/collector-process.mjs';
import { prepareDataset } from './lib/dataset.mjs';

const { values: args } = parseArgs({ options: { spans: { type: 'string', default: '40000' }, 'in-flight': { type: 'string', default: '8' }, dir: { type: 'string', default: '/tmp/payload-wal' } } });
mkdirSync(args.dir, { recursive: true });
const dataset = prepareDataset({ dir: args.dir, seed: 42, spans: Number(args.spans), payloads: true });
const bodies = [...eachBody(dataset.path, dataset.index)];
const sent = bodies.reduce((n, b) => n + b.body.length, 0);
const spans = bodies.reduce((n, b) => n + b.spans, 0);

// 1. WAL per byte sent.
const db = join(args.dir, 'wal.duckdb');
for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
const collector = await startCollectorProcess(db);
try {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Number(args['in-flight']) }, async () => {
    while (next < bodies.length) {
      const { body } = bodies[next++];
      const res = await fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`POST /v1/traces → ${res.status}`);
    }
  }));
  const wal = existsSync(`${db}.wal`) ? statSync(`${db}.wal`).size : 0;
  console.log(`${spans} spans, ${sent} bytes sent in ${bodies.length} requests (${(spans / ((performance.now() - t0) / 1000)).toFixed(0)} spans/s): `
    + `WAL ${wal} bytes = ${(wal / sent).toFixed(2)} WAL bytes per byte sent`);
} finally {
  await collector.stop();
}

// 2. CPU of decode + convert (+ encode).
const { ingestTraces } = await loadIngest();
const encodeSpans = await import(`${COLLECTOR_DIST}storage/span-model/encode.js`).then((m) => m.encodeSpans, () => null);
for (let round = 0; round < 4; round++) {
  const cpu0 = process.cpuUsage();
  for (const { body } of bodies) {
    const batch = ingestTraces(body, 'protobuf').batch;
    if (encodeSpans) encodeSpans(batch.spans);
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`round ${round}: decode + convert${encodeSpans ? ' + encode' : ''} ${((cpu.user + cpu.system) / spans).toFixed(2)} µs CPU per span`);
}
