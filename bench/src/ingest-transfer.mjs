// Session 8 (issue 16), ingest workers: what a converted request costs to cross from a worker
// thread to the main thread, for three forms of it (bench/PROFILING.md, "Session 8 — ingest
// workers"). Prints CPU µs per span on each side and bytes per span; writes only scratch files.
//   node bench/src/ingest-transfer.mjs [--spans 20000] [--rounds 7] [--dir /tmp/ingest-transfer]
// The forms, each serialized and deserialized with V8's serializer (what postMessage uses):
//   A logical spans   the ConvertResult as it is (structured clone)
//   B encoded rows    span_data rows (span-model/encode.ts) without the attribute list, and the
//                     attribute value rows: the writer's encode moves to the worker
//   C columns         ingest/workers/batch-wire.ts: typed arrays (transferred) and one string table
// The worker side is pack + serialize (B: + encode); the main side deserialize + unpack, plus the
// encode the writer still does on it for A and C. Payload and no-payload workloads, protobuf.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { eachBody } from './lib/body-file.mjs';
import { COLLECTOR_DIST, loadIngest, loadSpanEncoder } from './lib/collector-dist.mjs';
import { prepareDataset } from './lib/dataset.mjs';

const { values: args } = parseArgs({ options: { spans: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '7' }, dir: { type: 'string', default: '/tmp/ingest-transfer' } } });
mkdirSync(args.dir, { recursive: true });
const { ingestTraces } = await loadIngest();
const { encodeSpans } = await loadSpanEncoder();
const { toWire, fromWire } = await import(`${COLLECTOR_DIST}ingest/workers/batch-wire.js`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(label, payloads) {
  const dataset = prepareDataset({ dir: args.dir, seed: 42, spans: Number(args.spans), payloads });
  const bodies = [...eachBody(dataset.path, dataset.index)].map((b) => b.body);
  const spans = dataset.index.spans;
  const results = bodies.map((b) => ingestTraces(b, 'protobuf'));
  const cpu = (f) => {
    const c = process.cpuUsage();
    f();
    const d = process.cpuUsage(c);
    return (d.user + d.system) / spans;
  };
  const times = {};
  const add = (k, v) => (times[k] ??= []).push(v);
  let bytes = {};
  for (let round = 0; round < Number(args.rounds); round++) {
    add('decode + convert', cpu(() => bodies.forEach((b) => ingestTraces(b, 'protobuf'))));
    add('encode', cpu(() => results.forEach((r) => encodeSpans(r.batch.spans))));
    let sent;
    add('A worker', cpu(() => (sent = results.map((r) => v8.serialize(r)))));
    bytes.A = sent.reduce((n, s) => n + s.length, 0);
    add('A main', cpu(() => sent.forEach((s) => v8.deserialize(s))));
    add('B worker', cpu(() => (sent = results.map((r) => {
      const e = encodeSpans(r.batch.spans);
      return v8.serialize({ rows: e.rows.map((row) => ({ ...row, span: { ...row.span, attributes: [] } })), attributeValues: e.attributeValues });
    }))));
    bytes.B = sent.reduce((n, s) => n + s.length, 0);
    add('B main', cpu(() => sent.forEach((s) => v8.deserialize(s))));
    add('C worker', cpu(() => (sent = results.map((r) => v8.serialize(toWire(r).wire)))));
    bytes.C = sent.reduce((n, s) => n + s.length, 0);
    add('C main', cpu(() => sent.forEach((s) => fromWire(v8.deserialize(s)))));
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v.slice(1))]));
  console.log(`\n${label}: ${spans} spans in ${bodies.length} requests, ${(dataset.index.bytes / spans).toFixed(0)} B/span of protobuf; µs CPU per span, median of rounds 2–${args.rounds}`);
  console.log(`  decode + convert ${m['decode + convert'].toFixed(2)}, encode ${m.encode.toFixed(2)}`);
  console.log('  form                  worker side   main side (incl. encode for A, C)   bytes/span');
  for (const form of ['A', 'B', 'C']) {
    const main = m[`${form} main`] + (form === 'B' ? 0 : m.encode);
    const name = { A: 'A logical spans', B: 'B encoded rows', C: 'C columns' }[form];
    console.log(`  ${name.padEnd(20)}  ${m[`${form} worker`].toFixed(2).padStart(11)}   ${main.toFixed(2).padStart(9)} (${m[`${form} main`].toFixed(2)} + ${form === 'B' ? '0' : m.encode.toFixed(2)})          ${(bytes[form] / spans).toFixed(0).padStart(6)}`);
  }
}

measure('payload workload', true);
measure('no payloads', false);
