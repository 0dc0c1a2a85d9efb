// Small pure view models: routes, span details, JSON tree lines, charts, TCP handler runs.
import { describe, expect, it } from 'vitest';
import { chartForResult, linePath, yTicks } from '../../src/lib/model/chart.js';
import { jsonLines } from '../../src/lib/model/json-tree.js';
import { matchRoute, openedTraceId, paths } from '../../src/lib/model/routes.js';
import { attributeRows, nodeInfo, parsePayload, spanExceptions, spanInput, spanLabel, spanOtherEvents } from '../../src/lib/model/span-details.js';
import { tcpHandlerRuns } from '../../src/lib/model/tcp-runs.js';
import { buildTraceTree } from '../../src/lib/model/trace-tree.js';
import { makeDetails, makeSpan } from '../fixtures/make-span.js';

describe('routes', () => {
  it('maps paths to pages and back', () => {
    expect(matchRoute('/')).toEqual({ page: 'executions' });
    expect(matchRoute(paths.execution('abc'))).toEqual({ page: 'execution', traceId: 'abc' });
    expect(matchRoute(paths.flow('a/b c'))).toEqual({ page: 'flow', flowName: 'a/b c' });
    expect(matchRoute('/sql/')).toEqual({ page: 'sql' });
    expect(matchRoute('/nope/x/y').page).toBe('not-found');
  });

  it('knows which execution a URL opens, to load it while the app starts', () => {
    expect(openedTraceId(paths.execution('abc'), '?span=span1')).toBe('abc');
    expect(openedTraceId('/', '?flow=x&trace=def&span=s')).toBe('def');
    expect(openedTraceId('/', '?flow=x')).toBeNull();
    expect(openedTraceId('/flows/abc', '?trace=def')).toBeNull();
  });
});

describe('span details', () => {
  it('reads node input/output as JSON and keeps truncated payloads as text', () => {
    const s = makeDetails({ attributes: { 'flow.node.input': '{"a":1}', 'flow.node.output': '{"big":"xx…[truncated]' } });
    expect(spanInput(s)?.value).toEqual({ a: 1 });
    expect(parsePayload(s.attributes['flow.node.output'])).toMatchObject({ parsed: false, truncated: true });
    expect(attributeRows(s.attributes)).toEqual([]);
  });

  it('lists exceptions with type, message and stack', () => {
    const s = makeDetails({ events: [
      { name: 'exception', timeMs: 5, attributes: { 'exception.type': 'TypeError', 'exception.message': 'x is undefined', 'exception.stacktrace': 'at f' } },
      { name: 'cache.miss', timeMs: 6, attributes: {} },
    ] });
    expect(spanExceptions(s)).toEqual([{ type: 'TypeError', message: 'x is undefined', stack: 'at f', timeMs: 5 }]);
    expect(spanOtherEvents(s).map((e) => e.name)).toEqual(['cache.miss']);
  });

  it('names a row and its node from the outline fields', () => {
    expect(spanLabel(makeSpan({ spanId: 'a', name: 'node.run' }))).toBe('node.run');
    expect(spanLabel(makeSpan({ spanId: 'a', name: 'node.run', nodeId: 'n1', nodeName: 'Charge card' }))).toBe('Charge card');
    expect(nodeInfo(makeSpan({ spanId: 'a' }))).toBeNull();
    expect(nodeInfo(makeSpan({ spanId: 'a', nodeId: 'n1', nodeType: 'http' }))).toEqual({ id: 'n1', name: 'n1', type: 'http' });
  });
});

describe('json tree', () => {
  it('flattens with depths and hides collapsed children', () => {
    const v = { a: [1, 2], b: { c: null } };
    expect(jsonLines(v, new Set()).map((l) => `${l.depth}:${l.key}:${l.text}`)).toEqual(['0:null:{2}', '1:a:[2]', '2:0:1', '2:1:2', '1:b:{1}', '2:c:null']);
    expect(jsonLines(v, new Set(['/a'])).map((l) => l.path)).toEqual(['', '/a', '/b', '/b/c']);
  });
});

describe('charts', () => {
  it('charts a time column as a line and a text column as bars', () => {
    const line = chartForResult([{ name: 'hour', type: 'TIMESTAMP' }, { name: 'n', type: 'BIGINT' }], [['2026-01-01T01:00:00Z', 3], ['2026-01-01T00:00:00Z', '5']]);
    expect(line).toMatchObject({ kind: 'line', series: [{ name: 'n', values: [5, 3] }] });
    const bar = chartForResult([{ name: 'flow', type: 'VARCHAR' }, { name: 'runs', type: 'BIGINT' }], [['a', 1]]);
    expect(bar?.kind).toBe('bar');
    expect(chartForResult([{ name: 'flow', type: 'VARCHAR' }], [['a']])).toBeNull();
  });

  it('labels bars by every leading text column and pivots time + group into one line per group', () => {
    const bar = chartForResult([{ name: 'flow', type: 'VARCHAR' }, { name: 'node', type: 'VARCHAR' }, { name: 'p95', type: 'DOUBLE' }], [['f', 'n', 1.5]]);
    expect(bar?.labels).toEqual(['f · n']);
    const cols = [{ name: 'hour', type: 'TIMESTAMP' }, { name: 'flow', type: 'VARCHAR' }, { name: 'errors', type: 'DOUBLE' }];
    const rows = [['2026-01-01T00:00:00Z', 'a', 1], ['2026-01-01T01:00:00Z', 'b', 2], ['2026-01-01T00:00:00Z', 'b', 3]];
    const line = chartForResult(cols, rows);
    expect(line?.kind).toBe('line');
    expect(line?.series).toEqual([{ name: 'a', values: [1, null] }, { name: 'b', values: [3, 2] }]);
  });

  it('picks nice y ticks and breaks lines at gaps', () => {
    expect(yTicks([3, 17]).ticks).toEqual([0, 5, 10, 15, 20]);
    expect(linePath([0, 10, 20], [1, null, 3])).toBe('M0.0,1.0M20.0,3.0');
  });
});

describe('tcp handler runs', () => {
  it('numbers the connection children in start order with idle gaps', () => {
    const tree = buildTraceTree([
      makeSpan({ spanId: 'conn' }, 0, 100),
      makeSpan({ spanId: 'r2', parentSpanId: 'conn' }, 50, 5),
      makeSpan({ spanId: 'r1', parentSpanId: 'conn' }, 10, 10),
    ]);
    const runs = tcpHandlerRuns(tree);
    expect(runs.map((r) => [r.index, r.span.spanId, r.gapMs])).toEqual([[1, 'r1', null], [2, 'r2', 30]]);
  });
});
