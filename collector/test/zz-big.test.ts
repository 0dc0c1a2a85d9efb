import { it } from 'vitest';
import { openStorage } from '../src/storage/index.js';
import { makeSpanRow, newTraceId, newSpanId, ns } from './fixtures/rows.js';
import { spanToWire, logToWire, executionToWire } from '../src/query/to-wire.js';

it('big trace', async () => {
  const storage = await openStorage({ path: ':memory:' });
  const traceId = newTraceId();
  const rootId = newSpanId();
  const t0 = Date.now() - 60_000;
  const res = JSON.stringify({ 'service.name': 'svc', 'host.name': 'h1', 'process.pid': 123, 'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.version': '2.12.1' });
  const rows = [makeSpanRow({ traceId, spanId: rootId, startTimeUnixNano: ns(t0), endTimeUnixNano: ns(t0 + 50_000), resourceAttributes: res, flowName: 'big', executionKind: 'flow' })];
  for (let i = 1; i < 100_000; i++) rows.push(makeSpanRow({ traceId, parentSpanId: rootId, name: `n${i}`, startTimeUnixNano: ns(t0 + i / 2), endTimeUnixNano: ns(t0 + i / 2 + 1), resourceAttributes: res, attributes: JSON.stringify({ 'flow.node.id': `n${i}`, 'flow.node.input': '{"a":1}' }) }));
  for (let i = 0; i < rows.length; i += 20000) await storage.writer.write({ spans: rows.slice(i, i + 20000), starts: [], logs: [] });
  const { FINISHED_SPAN_JSON } = await import('../src/storage/span-json-sql.js');
  const ex = (await storage.reader.getExecution(traceId))!;
  for (const [label, sql] of [['full', FINISHED_SPAN_JSON], ['count', `SELECT count(*) FROM (${FINISHED_SPAN_JSON})`], ['agg', `SELECT string_agg(json, ',' ORDER BY start_ns) FROM (${FINISHED_SPAN_JSON})`], ['scan only', `SELECT count(*) FROM span_data WHERE start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id`]] as const) {
    const t1 = performance.now();
    const r = await storage.sql['pool'].use((c: any) => c.runAndReadAll(sql, { trace_id: traceId, lo: ex.minStartNs, hi: ex.maxStartNs }));
    const t2 = performance.now();
    r.getRows();
    console.log(label, 'query', (t2 - t1).toFixed(0), 'convert', (performance.now() - t2).toFixed(0));
  }
  let t = performance.now();
  const tj = (await storage.reader.getTraceJson(traceId))!;
  const bodyText = `{"spans":[${tj.spansJson}]}`;
  console.log('getTraceJson+join', (performance.now() - t).toFixed(0), 'ms', (bodyText.length / 1e6).toFixed(1), 'MB');
  t = performance.now();
  const trace = (await storage.reader.getTrace(traceId))!;
  console.log('getTrace', (performance.now() - t).toFixed(0), 'ms');
  t = performance.now();
  const body = { execution: executionToWire(trace.execution), spans: trace.spans.map(spanToWire), logs: trace.logs.map(logToWire) };
  console.log('toWire', (performance.now() - t).toFixed(0), 'ms');
  t = performance.now();
  const text = JSON.stringify(body);
  console.log('stringify', (performance.now() - t).toFixed(0), 'ms', (text.length / 1e6).toFixed(1), 'MB');
  await storage.close();
}, 120_000);
