// Small pure parts of the span panel, the TCP runs view and the SQL console: events in time
// order, runs named by what they handled and marked when a span in them failed, SQL errors,
// id links in results, and a chart that says when it draws part of a result.
import { describe, expect, it } from 'vitest';
import { chartForResult } from '../../src/lib/model/chart.js';
import { spanExceptions, spanOtherEvents } from '../../src/lib/model/span-details.js';
import { sqlErrorView } from '../../src/lib/model/sql-error.js';
import { idLinks } from '../../src/lib/model/sql-links.js';
import { tcpHandlerRuns } from '../../src/lib/model/tcp-runs.js';
import { buildTraceTree } from '../../src/lib/model/trace-tree.js';
import { T0, makeDetails, makeSpan } from '../fixtures/make-span.js';

describe('span events', () => {
  it('come in time order, whatever order the span recorded them in', () => {
    const d = makeDetails({
      events: [
        { name: 'late', timeMs: T0 + 30, attributes: {} },
        { name: 'exception', timeMs: T0 + 20, attributes: { 'exception.message': 'second' } },
        { name: 'early', timeMs: T0 + 10, attributes: {} },
        { name: 'exception', timeMs: T0 + 5, attributes: { 'exception.message': 'first' } },
      ],
    });
    expect(spanOtherEvents(d).map((e) => e.name)).toEqual(['early', 'late']);
    expect(spanExceptions(d).map((e) => e.message)).toEqual(['first', 'second']);
  });
});

describe('TCP handler runs', () => {
  it('are named by the commands they handled and marked failed when a command failed under an OK handler', () => {
    const tree = buildTraceTree([
      makeSpan({ spanId: 'conn', name: 'line-server' }, 0, 100),
      makeSpan({ spanId: 'd0', parentSpanId: 'conn', name: 'data', nodeName: 'data', nodeId: 'data-0' }, 1),
      makeSpan({ spanId: 'c0', parentSpanId: 'd0', name: 'PING', nodeName: 'PING', nodeId: 'command' }, 2, 1),
      makeSpan({ spanId: 'd1', parentSpanId: 'conn', name: 'data', nodeName: 'data', nodeId: 'data-2' }, 20),
      makeSpan({ spanId: 'c1', parentSpanId: 'd1', name: 'FAIL', nodeName: 'FAIL', nodeId: 'command', status: 'error', statusCode: 'error' }, 21, 1),
      makeSpan({ spanId: 'd2', parentSpanId: 'conn', name: 'data', nodeName: 'data', nodeId: 'data-4' }, 40),
    ]);
    const runs = tcpHandlerRuns(tree);
    expect(runs.map((r) => [r.index, r.label, r.errorCount])).toEqual([[1, 'PING', 0], [2, 'FAIL', 1], [3, 'data', 0]]);
  });
});

describe('SQL console', () => {
  it('shows a parser error as a syntax error with its caret line, and a refusal as one', () => {
    const syntax = sqlErrorView({ code: 'FT_SQL_ERROR', message: 'SQL error: Parser Error: syntax error at or near "FROM"\n\nLINE 1: SELECT count(* FROM t\n                       ^' });
    expect(syntax.kind).toBe('syntax');
    expect(syntax.text.split('\n').slice(-2)).toEqual(['LINE 1: SELECT count(* FROM t', '                       ^']);
    expect(sqlErrorView({ code: 'FT_SQL_ERROR', message: 'SQL error: Binder Error: x' }).kind).toBe('error');
    expect(sqlErrorView({ code: 'FT_SQL_REFUSED', message: 'SQL refused: DROP' })).toMatchObject({ kind: 'refused', text: 'DROP' });
  });

  it('links trace and span id cells to the execution', () => {
    const link = idLinks([{ name: 'trace_id' }, { name: 'span_id' }, { name: 'name' }]);
    const row = ['A'.repeat(32), 'b'.repeat(16), 'x'];
    expect(link(row, 0)).toBe(`/executions/${'a'.repeat(32)}`);
    expect(link(row, 1)).toBe(`/executions/${'a'.repeat(32)}?span=${'b'.repeat(16)}`);
    expect(link(row, 2)).toBeNull();
    expect(link(['not-an-id', 'b'.repeat(16), 'x'], 0)).toBeNull();
    expect(idLinks([{ name: 'span_id' }])(['b'.repeat(16)], 0)).toBeNull();
  });

  it('says how much of a result its chart draws', () => {
    const cols = [{ name: 'flow', type: 'VARCHAR' }, ...Array.from({ length: 8 }, (_, i) => ({ name: `n${i}`, type: 'BIGINT' }))];
    const rows = Array.from({ length: 600 }, (_, i) => [`f${i}`, ...Array.from({ length: 8 }, () => i)]);
    expect(chartForResult(cols, rows)!.shown).toEqual({ rows: 500, ofRows: 600, series: 6, ofSeries: 8 });
    expect(chartForResult(cols.slice(0, 3), rows.slice(0, 10))!.shown).toBeUndefined();
    const pivot = chartForResult(
      [{ name: 't', type: 'TIMESTAMP' }, { name: 'flow', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }],
      Array.from({ length: 9 }, (_, i) => ['2026-01-01 00:00:00', `flow ${i}`, i]),
    )!;
    expect(pivot.shown).toEqual({ rows: 9, ofRows: 9, series: 6, ofSeries: 9 });
  });
});
