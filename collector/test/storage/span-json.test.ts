/**
 * The trace detail renders spans as JSON inside DuckDB (storage/span-json-sql.ts) for speed;
 * it must say exactly what query/to-wire.ts says for the same stored rows.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { spanToWire } from '../../src/query/to-wire.js';
import { makeSpanRow, newSpanId, newTraceId, ns } from '../fixtures/rows.js';

let storage: Storage;
beforeAll(async () => {
  storage = await openStorage({ path: ':memory:' });
});
afterAll(async () => {
  await storage.close();
});

it('renders every kind of span exactly as the wire conversion does', async () => {
  const traceId = newTraceId();
  const rootId = newSpanId();
  const t0 = Date.now() - 10_000;
  const spans = [
    makeSpanRow({ traceId, spanId: rootId, name: 'root ✓ "quoted" \\ back', kind: 2, startTimeUnixNano: ns(t0) + 123_456n, endTimeUnixNano: ns(t0 + 5000) + 7n, statusCode: 2, statusMessage: 'failed: ünïcode', flowStatus: 'timed_out', traceState: 'a=b' }),
    makeSpanRow({
      traceId, parentSpanId: rootId, kind: 3, statusCode: 1, startTimeUnixNano: ns(t0 + 1),
      endTimeUnixNano: ns(t0 + 1) + 1n, flowStatus: 'skipped', scopeName: 'scope', scopeVersion: '1.0',
      attributes: JSON.stringify({ s: 'x', n: 12, d: 1.5, b: true, arr: [1, 'a', null], obj: { k: 'v' }, big: 123456789012 }),
      events: JSON.stringify([{ name: 'exception', timeUnixNano: String(ns(t0 + 2) + 999n), attributes: { 'exception.message': 'boom' }, droppedAttributesCount: 0 }]),
      links: JSON.stringify([{ traceId: newTraceId(), spanId: newSpanId(), traceState: null, attributes: { l: 1 }, droppedAttributesCount: 2 }]),
      droppedAttributesCount: 3, droppedEventsCount: 4, droppedLinksCount: 5,
    }),
    makeSpanRow({ traceId, parentSpanId: rootId, kind: 0, statusCode: 0, startTimeUnixNano: ns(t0 + 3), endTimeUnixNano: ns(t0 + 1003) }),
    makeSpanRow({
      traceId, parentSpanId: rootId, startTimeUnixNano: ns(t0 + 5), endTimeUnixNano: ns(t0 + 6),
      attributes: { 'flow.node.id': 'n2', 'flow.node.input': `{"ü":"${'x'.repeat(300)}"}` },
    }),
    makeSpanRow({ traceId, parentSpanId: rootId, startTimeUnixNano: ns(t0 + 7), endTimeUnixNano: ns(t0 + 8), attributes: { big: 'y'.repeat(400) } }),
    // Hot attributes left to their columns (every bit but flow.execution.status), with texts that need escaping.
    makeSpanRow({
      traceId, parentSpanId: rootId, startTimeUnixNano: ns(t0 + 9), endTimeUnixNano: ns(t0 + 10),
      executionKind: 'flow', flowId: 'f-1', flowName: 'naïve "flow" \\ \u0001\n', flowVersion: '2', triggerType: 'http', userId: 'ü@x',
      nodeId: 'n7', nodeName: 'step\t7', nodeType: 'llm', nodeIndex: 7, flowStatus: 'skipped', errorNodeId: 'n3',
      attributes: {
        'flow.execution.kind': 'flow', 'flow.id': 'f-1', 'flow.name': 'naïve "flow" \\ \u0001\n', 'flow.version': '2',
        'flow.trigger.type': 'http', 'enduser.id': 'ü@x', 'flow.node.id': 'n7', 'flow.node.name': 'step\t7', 'flow.node.type': 'llm',
        'flow.node.index': 7, 'flow.node.status': 'skipped', 'flow.error.node_id': 'n3', other: 1, 'flow.node.input': 'w'.repeat(300),
      },
    }),
    makeSpanRow({
      traceId, parentSpanId: rootId, startTimeUnixNano: ns(t0 + 11), endTimeUnixNano: ns(t0 + 12),
      nodeId: 'n8', nodeIndex: 0, flowStatus: 'success', attributes: { 'flow.node.id': 'n8', 'flow.node.index': 0, 'flow.execution.status': 'success' },
    }),
  ];
  const running = makeSpanRow({
    traceId, parentSpanId: rootId, name: 'still going', startTimeUnixNano: ns(t0 + 4), endTimeUnixNano: null,
    attributes: { 'flow.node.id': 'n9', 'flow.node.input': 'z'.repeat(300) },
  });
  await storage.writer.write({ spans, starts: [running], logs: [] });
  const viaDuckDb = await storage.traces.getJson(traceId);
  const viaJs = await storage.traces.get(traceId);
  expect(JSON.parse(`[${viaDuckDb!.spansJson}]`)).toEqual(viaJs!.spans.map(spanToWire));
  expect(viaDuckDb!.spanIds).toEqual(viaJs!.spans.map((s) => s.spanId));
  expect(viaDuckDb!.parentSpanIds).toEqual(viaJs!.spans.map((s) => s.parentSpanId));
  // Large attributes are stored apart and shown merged, by both renderings.
  const shown = JSON.parse(`[${viaDuckDb!.spansJson}]`) as Array<{ attributes: Record<string, unknown> }>;
  expect(shown.find((s) => s.attributes['flow.node.id'] === 'n2')!.attributes['flow.node.input']).toBe(`{"ü":"${'x'.repeat(300)}"}`);
  expect(shown.find((s) => s.attributes['flow.node.id'] === 'n9')!.attributes['flow.node.input']).toBe('z'.repeat(300));
  expect(shown.some((s) => s.attributes.big === 'y'.repeat(400))).toBe(true);
  // Moved hot attributes come back from their columns, by both renderings.
  expect(shown.find((s) => s.attributes['flow.node.id'] === 'n7')!.attributes).toEqual({
    'flow.execution.kind': 'flow', 'flow.id': 'f-1', 'flow.name': 'naïve "flow" \\ \u0001\n', 'flow.version': '2',
    'flow.trigger.type': 'http', 'enduser.id': 'ü@x', 'flow.node.id': 'n7', 'flow.node.name': 'step\t7', 'flow.node.type': 'llm',
    'flow.node.index': 7, 'flow.node.status': 'skipped', 'flow.error.node_id': 'n3', other: 1, 'flow.node.input': 'w'.repeat(300),
  });
  expect(shown.find((s) => s.attributes['flow.node.id'] === 'n8')!.attributes).toEqual({
    'flow.node.id': 'n8', 'flow.node.index': 0, 'flow.execution.status': 'success',
  });
  // As stored: the hot ones left to their columns, the large ones apart.
  const stored = await storage.sql.run(`SELECT attributes, moved_attributes, large_attributes IS NOT NULL AS large FROM span_data
    WHERE trace_id = '${traceId}' AND (node_id IN ('n7', 'n8') OR contains(attributes, '"n2"')) ORDER BY start_ns`);
  expect(stored.rows.map(([a, bits, large]) => [a, Number(bits), large])).toEqual([
    ['{"flow.node.id":"n2"}', 0, true], ['{"other":1}', 0x1fff & ~0x400, true], ['{}', 0x40 | 0x200 | 0x400, false],
  ]);
  // The SQL console's spans view shows them too.
  const viewed = await storage.sql.run(`SELECT attributes FROM spans WHERE trace_id = '${traceId}' AND node_id = 'n8'`);
  expect(JSON.parse(String(viewed.rows[0][0]))).toEqual({ 'flow.node.id': 'n8', 'flow.node.index': 0, 'flow.execution.status': 'success' });
});
