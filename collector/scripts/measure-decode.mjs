#!/usr/bin/env node
/**
 * Times decode + convert of a 512-span OTLP trace request, protobuf and JSON, on one core.
 * Needs the compiled collector (npx tsc -b collector). Run: node collector/scripts/measure-decode.mjs
 */
import { ingestTraces } from '../dist/ingest/index.js';
import { opentelemetry } from '../dist/ingest/generated/otlp.js';

const SPANS = 512;
const hex = (n, bytes) => n.toString(16).padStart(bytes * 2, '0');
const kv = (key, value) => ({ key, value });
const spans = [];
for (let i = 0; i < SPANS; i++) {
  spans.push({
    traceId: hex(1 + (i >> 4), 16), spanId: hex(1000 + i, 8), parentSpanId: i % 16 === 0 ? '' : hex(1000 + i - 1, 8),
    name: `node ${i}`, kind: 1, startTimeUnixNano: String(1700000000000000000n + BigInt(i) * 1000n),
    endTimeUnixNano: String(1700000000000000000n + BigInt(i) * 1000n + 500n),
    attributes: [
      kv('flow.name', { stringValue: 'checkout' }), kv('flow.node.id', { stringValue: `n${i}` }),
      kv('flow.node.name', { stringValue: 'charge card' }), kv('flow.node.type', { stringValue: 'http' }),
      kv('flow.node.index', { intValue: String(i) }), kv('http.response.status_code', { intValue: '200' }),
      kv('flow.node.input', { stringValue: JSON.stringify({ orderId: i, amount: 12.5, currency: 'EUR' }) }),
      kv('flow.node.output', { stringValue: JSON.stringify({ ok: true, id: `ch_${i}` }) }),
      kv('ratio', { doubleValue: 0.25 }), kv('cached', { boolValue: false }),
    ],
    status: { code: 1 },
  });
}
const request = { resourceSpans: [{ resource: { attributes: [kv('service.name', { stringValue: 'bench' })] }, scopeSpans: [{ scope: { name: 'flowtrace' }, spans }] }] };
const toProto = (v, key = '') => {
  if (typeof v === 'string' && (key === 'traceId' || key === 'spanId' || key === 'parentSpanId')) return Buffer.from(v, 'hex');
  if (Array.isArray(v)) return v.map((x) => toProto(x));
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toProto(x, k)]));
};
const proto = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.encode(toProto(request)).finish();
const json = Buffer.from(JSON.stringify(request));

function measure(label, body, format) {
  for (let i = 0; i < 200; i++) ingestTraces(body, format); // warm-up
  const rounds = 1000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) ingestTraces(body, format);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${label}: ${(body.length / 1024).toFixed(0)} KiB/request, ${Math.round((rounds * SPANS) / seconds).toLocaleString('en')} spans/s (decode + convert)`);
}
measure('protobuf', proto, 'protobuf');
measure('json    ', json, 'json');
