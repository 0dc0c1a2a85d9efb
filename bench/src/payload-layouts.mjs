// Session 8 (issue 16): the ways of keeping span payloads (large attributes) in DuckDB, measured
// on the same rows (bench/PROFILING.md, "Session 8 — payload storage"). Prints; writes nothing
// but scratch files in DIR.
//   node bench/src/payload-layouts.mjs [--spans 40000] [--commit 2048] [--dir /tmp/payload-layouts]
//                                      [--storage v1.0.0|v1.2.0|latest] [--only layout,layout…]
// --storage is the DuckDB storage format of the scratch files (zstd needs v1.2.0 or later: the
// whole-zstd layout is flowtrace's since session 10, "Session 10 — payloads in zstd").
// 1. WAL: 600 commits of one row with a 300-character payload, before any checkpoint: WAL bytes
//    per payload byte, per layout (the list layout is the one that grows faster than the data).
// 2. Writes: the payload workload's spans, appended in commits of --commit rows: CPU and wall
//    time of append + commit, the checkpoint, and bytes per span in the file.
// 3. Reads of the side-table layouts: what the spans view, a trace's spans and a text search
//    cost when the payloads must be joined back.
// Rows come from the built collector (decode, convert, encode): what ingest would store.
import { deflateRawSync } from 'node:zlib';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance, LIST, VARCHAR } from '@duckdb/node-api';
import { eachBody } from './lib/body-file.mjs';
import { COLLECTOR_DIST, loadIngest, loadSpanEncoder } from './lib/collector-dist.mjs';
import { prepareDataset } from './lib/dataset.mjs';

const { values: args } = parseArgs({ options: { spans: { type: 'string', default: '40000' }, commit: { type: 'string', default: '2048' }, dir: { type: 'string', default: '/tmp/payload-layouts' }, storage: { type: 'string', default: 'v1.0.0' }, only: { type: 'string' } } });
const dir = args.dir;
mkdirSync(dir, { recursive: true });
const PIECES = 8;
const chosen = (layout) => args.only === undefined || args.only.split(',').includes(layout);
/** Pieces of at most 3,800 characters (the workload's payloads are ASCII, so bytes too): the session-8 layout's cut. */
const textPieces = (text) => Array.from({ length: Math.ceil(text.length / 3800) }, (_, i) => text.slice(i * 3800, (i + 1) * 3800));
/** At most PIECES pieces, the last holding the rest. */
const largePieces = (text) => {
  const p = textPieces(text);
  return p.length <= PIECES ? p : [...p.slice(0, PIECES - 1), p.slice(PIECES - 1).join('')];
};

/** The layouts: DDL of the span table (and side table), and how one commit appends its rows. */
const LAYOUTS = {
  list: { span: 'large VARCHAR[]', append: (a, r) => (r.large === null ? a.appendNull() : a.appendList(textPieces(r.large), LIST(VARCHAR))) },
  whole: { span: 'large VARCHAR', append: (a, r) => (r.large === null ? a.appendNull() : a.appendVarchar(r.large)) },
  pieces: {
    span: Array.from({ length: PIECES }, (_, i) => `large_${i} VARCHAR`).join(', '),
    append: (a, r) => {
      const p = r.large === null ? [] : largePieces(r.large);
      for (let i = 0; i < PIECES; i++) (i < p.length ? a.appendVarchar(p[i]) : a.appendNull());
    },
  },
  'whole-zstd': { span: 'large VARCHAR USING COMPRESSION zstd', append: (a, r) => (r.large === null ? a.appendNull() : a.appendVarchar(r.large)) },
  'side-pieces': { side: 'seq USMALLINT, piece VARCHAR', sideRows: (rows) => rows.flatMap((r) => (r.large === null ? [] : textPieces(r.large).map((p, i) => [r, i, p]))) },
  'side-deflate': { side: 'chunk BLOB', sideRows: (rows) => chunks(rows) },
};

/** One deflated chunk per trace of a commit: {spanId: large attributes …}. */
function chunks(rows) {
  const byTrace = new Map();
  for (const r of rows) {
    if (r.large === null) continue;
    const entry = JSON.stringify(r.spanId) + ':' + r.large;
    byTrace.set(r.traceId, byTrace.has(r.traceId) ? byTrace.get(r.traceId) + ',' + entry : entry);
  }
  return [...byTrace].map(([traceId, text]) => [{ traceId, spanId: '', startNs: 0n }, 0, deflateRawSync('{' + text + '}', { level: 1 })]);
}

async function open(name, layout) {
  const path = join(dir, `${name}.duckdb`);
  for (const f of [path, `${path}.wal`]) rmSync(f, { force: true });
  const instance = await DuckDBInstance.create(path, { checkpoint_threshold: '1GB', storage_compatibility_version: args.storage });
  const c = await instance.connect();
  const L = LAYOUTS[layout];
  await c.run(`CREATE TABLE spans (trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL, start_ns BIGINT NOT NULL, attributes VARCHAR NOT NULL${L.span ? ', ' + L.span : ''})`);
  if (L.side) await c.run(`CREATE TABLE side (trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL, start_ns BIGINT NOT NULL, ${L.side})`);
  await c.run('CHECKPOINT');
  return { path, instance, c, L };
}

async function commitRows({ c, L }, rows) {
  await c.run('BEGIN TRANSACTION');
  const a = await c.createAppender('spans');
  for (const r of rows) {
    a.appendVarchar(r.traceId); a.appendVarchar(r.spanId); a.appendBigInt(r.startNs); a.appendVarchar(r.attributes);
    if (L.append) L.append(a, r);
    a.endRow();
  }
  a.flushSync(); a.closeSync();
  if (L.sideRows) {
    const s = await c.createAppender('side');
    for (const [r, seq, v] of L.sideRows(rows)) {
      s.appendVarchar(r.traceId); s.appendVarchar(r.spanId); s.appendBigInt(r.startNs);
      if (typeof v === 'string') { s.appendUSmallInt(seq); s.appendVarchar(v); } else s.appendBlob(v);
      s.endRow();
    }
    s.flushSync(); s.closeSync();
  }
  await c.run('COMMIT');
}

const walBytes = (path) => (existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0);

// 1. The WAL under one-row commits.
console.log('## WAL, 600 one-row commits with a 300-character payload (no checkpoint)');
for (const layout of Object.keys(LAYOUTS).filter(chosen)) {
  const db = await open(`wal-${layout}`, layout);
  const large = JSON.stringify({ 'flow.node.input': 'x'.repeat(300) });
  for (let i = 0; i < 600; i++) await commitRows(db, [{ traceId: `t${i}`, spanId: `s${i}`, startNs: BigInt(i), attributes: '{}', large }]);
  console.log(`${layout.padEnd(13)} WAL ${walBytes(db.path)} bytes = ${(walBytes(db.path) / (600 * large.length)).toFixed(2)} per payload byte`);
  db.c.closeSync(); db.instance.closeSync();
}

// 2. Writes of the payload workload.
const { ingestTraces } = await loadIngest();
const { encodeSpans } = await loadSpanEncoder();
const dataset = prepareDataset({ dir, seed: 42, spans: Number(args.spans), payloads: true });
const rows = [];
for (const { body } of eachBody(dataset.path, dataset.index)) {
  for (const r of encodeSpans(ingestTraces(body, 'protobuf').batch.spans).rows) {
    rows.push({ traceId: r.span.traceId, spanId: r.span.spanId, startNs: r.span.startTimeUnixNano, attributes: r.attributes, large: r.largeAttributes });
  }
}
const commit = Number(args.commit);
console.log(`\n## Writes: ${rows.length} spans (${rows.filter((r) => r.large !== null).length} with payloads), commits of ${commit}`);
for (const layout of Object.keys(LAYOUTS).filter(chosen)) {
  const db = await open(`w-${layout}`, layout);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += commit) await commitRows(db, rows.slice(i, i + commit));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const wal = walBytes(db.path);
  const t1 = performance.now();
  await db.c.run('CHECKPOINT');
  const checkpoint = performance.now() - t1;
  db.c.closeSync(); db.instance.closeSync();
  const bytes = statSync(db.path).size;
  console.log(`${layout.padEnd(13)} append+commit ${wall.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU `
    + `(${(rows.length / (wall / 1000)).toFixed(0)} spans/s); checkpoint ${checkpoint.toFixed(0)} ms; WAL ${(wal / 1e6).toFixed(1)} MB; file ${(bytes / rows.length).toFixed(0)} B/span`);
}

if (chosen('pieces') && chosen('side-pieces')) await compareReads();

async function compareReads() {
// 3. Reads when the payloads live in a side table (joined back per span) against the pieces layout.
console.log('\n## Reads (median of 5), pieces layout against the side table of pieces');
const pieces = await DuckDBInstance.create(join(dir, 'w-pieces.duckdb'), { access_mode: 'READ_ONLY' });
const side = await DuckDBInstance.create(join(dir, 'w-side-pieces.duckdb'), { access_mode: 'READ_ONLY' });
const pc = await pieces.connect();
const sc = await side.connect();
await sc.run(`CREATE TEMP VIEW whole AS SELECT s.*, p.large FROM spans s LEFT JOIN (SELECT trace_id, span_id, start_ns, string_agg(piece, '' ORDER BY seq) AS large FROM side GROUP BY ALL) p USING (trace_id, span_id, start_ns)`);
const [[traceId]] = (await pc.runAndReadAll('SELECT trace_id FROM spans GROUP BY 1 ORDER BY count(*) DESC LIMIT 1 OFFSET 3')).getRowsJS();
const text = `concat(${Array.from({ length: PIECES }, (_, i) => `large_${i}`).join(', ')})`;
const median = async (c, sql) => {
  const ms = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); await c.runAndReadAll(sql); ms.push(performance.now() - t); }
  return ms.sort((a, b) => a - b)[2].toFixed(1);
};
for (const [what, onPieces, onSide] of [
  ['count(*) of every span', 'SELECT count(*), max(attributes) FROM spans', 'SELECT count(*), max(attributes) FROM whole'],
  ['one trace with its payloads', `SELECT span_id, ${text} FROM spans WHERE trace_id = '${traceId}'`, `SELECT span_id, large FROM whole WHERE trace_id = '${traceId}'`],
  ['every payload\'s length', `SELECT sum(length(${text})) FROM spans`, 'SELECT sum(length(large)) FROM whole'],
  ['text search over payloads', `SELECT count(DISTINCT trace_id) FROM spans WHERE contains(lower(${text}), 'sku-1234')`, "SELECT count(DISTINCT trace_id) FROM whole WHERE contains(lower(large), 'sku-1234')"],
]) console.log(`${what.padEnd(28)} pieces ${await median(pc, onPieces)} ms, side table ${await median(sc, onSide)} ms`);
pc.closeSync(); sc.closeSync(); pieces.closeSync(); side.closeSync();
}
