// Retried batches on a file database of N spans, after a restart with a writer memory too small
// to cover them (so every retry takes the database lookup): median commit time of a retry with
// the same start times and of one shifted by +1 h, and the duplicate spans stored.
//   node collector/scripts/measure-retries.mjs [spans] [dist directory, default ../dist/]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const SPANS = Number(process.argv[2] ?? 400_000);
const dist = process.argv[3] ? pathToFileURL(resolve(process.argv[3]) + '/') : new URL('../dist/', import.meta.url);
const { openStorage } = await import(new URL('storage/index.js', dist).href);
const HOUR_NS = 3_600_000_000_000n;
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

/** 32 traces of 16 spans (storage rows) starting at t0. */
function batch(t0) {
  const spans = [];
  for (let t = 0; t < 32; t++) {
    const traceId = randomBytes(16).toString('hex');
    const root = randomBytes(8).toString('hex');
    for (let i = 0; i < 16; i++) {
      const start = t0 + BigInt(t * 16 + i) * 1000n;
      spans.push({
        traceId, spanId: i === 0 ? root : randomBytes(8).toString('hex'), parentSpanId: i === 0 ? null : root, traceState: null,
        name: `n${i}`, kind: 1, serviceName: 'bench', startTimeUnixNano: start, endTimeUnixNano: start + 500_000n, statusCode: 1,
        statusMessage: null, exceptionMessage: null, attributes: '{"a":1}', largeAttributes: null, movedAttributes: 0, indexedValues: null,
        resourceAttributes: '{}', scopeName: null, scopeVersion: null, events: '[]', links: '[]', flags: 0, droppedAttributesCount: 0,
        droppedEventsCount: 0, droppedLinksCount: 0, executionKind: null, flowId: null, flowName: null, flowVersion: null, triggerType: null,
        userId: null, nodeId: null, nodeName: null, nodeType: null, nodeIndex: null, flowStatus: null, errorNodeId: null,
      });
    }
  }
  return spans;
}

const dir = mkdtempSync(join(tmpdir(), 'ft-retries-'));
const path = join(dir, 'db.duckdb');
let storage = await openStorage({ path });
const t0 = BigInt(Date.now() - 86_400_000) * 1_000_000n;
const samples = [];
for (let b = 0; b < SPANS / 512; b++) {
  const spans = batch(t0 + BigInt(b) * 1_000_000_000n);
  if (b % 40 === 0) samples.push(spans);
  await storage.writer.write({ spans, starts: [], logs: [] });
}
await storage.close();
storage = await openStorage({ path, recentKeys: 1000, recentExecutions: 10 });
const same = [];
const shifted = [];
for (const spans of samples) {
  let started = performance.now();
  await storage.writer.write({ spans, starts: [], logs: [] });
  same.push(performance.now() - started);
  const later = spans.map((s) => ({ ...s, startTimeUnixNano: s.startTimeUnixNano + HOUR_NS, endTimeUnixNano: s.endTimeUnixNano + HOUR_NS }));
  started = performance.now();
  await storage.writer.write({ spans: later, starts: [], logs: [] });
  shifted.push(performance.now() - started);
}
const answer = await storage.sql.run('SELECT (count(*) - count(DISTINCT (trace_id, span_id)))::INTEGER AS d FROM span_data');
console.log(`${SPANS} spans stored; ${samples.length} batches of 512 spans retried: same start ${median(same).toFixed(1)} ms, start +1 h ${median(shifted).toFixed(1)} ms (medians); duplicate spans stored: ${answer.rows[0][0]}`);
await storage.close();
rmSync(dir, { recursive: true, force: true });
