// What a waterfall row says and where its bar goes: labels with repeats, service colours,
// bars cut to the zoomed window, and whether a trace is missing its root.
import { describe, expect, it } from 'vitest';
import { barGeometry } from '../../src/lib/model/bar-geometry.js';
import { rowLabel, rowLabelText } from '../../src/lib/model/row-labels.js';
import { SERVICE_PALETTE, serviceColors } from '../../src/lib/model/service-colors.js';
import { traceCompleteness } from '../../src/lib/model/trace-completeness.js';
import { buildTraceTree } from '../../src/lib/model/trace-tree.js';
import { T0, makeSpan } from '../fixtures/make-span.js';

describe('row labels', () => {
  const tree = buildTraceTree([
    makeSpan({ spanId: 'root', name: 'POST /checkout' }, 0, 100),
    makeSpan({ spanId: 'a1', parentSpanId: 'root', name: 'POST /charge', nodeId: 'charge', nodeName: 'charge card' }, 1),
    makeSpan({ spanId: 'a2', parentSpanId: 'root', name: 'POST /charge', nodeId: 'charge', nodeName: 'charge card' }, 20),
    makeSpan({ spanId: 'd1', parentSpanId: 'root', name: 'data', nodeId: 'data-0', nodeName: 'data' }, 40),
    makeSpan({ spanId: 'd2', parentSpanId: 'root', name: 'data', nodeId: 'data-1', nodeName: 'data' }, 50),
    makeSpan({ spanId: 'solo', parentSpanId: 'root', name: 'send receipt', nodeId: 'receipt', nodeName: 'send receipt' }, 60),
  ]);
  const label = (id: string) => rowLabel(tree, tree.indexById.get(id)!);

  it('shows the span name with the node name beside it when they differ', () => {
    expect(label('a1')).toMatchObject({ name: 'POST /charge', node: 'charge card' });
    expect(label('solo')).toEqual({ name: 'send receipt', node: null, repeat: null });
    expect(label('root')).toEqual({ name: 'POST /checkout', node: null, repeat: null });
  });

  it('numbers the attempts of a node that ran again under the same parent', () => {
    expect(label('a1').repeat).toBe('attempt 1');
    expect(label('a2').repeat).toBe('attempt 2');
    expect(rowLabelText(label('a2'))).toBe('POST /charge · charge card · attempt 2');
  });

  it('tells apart siblings that only share a name', () => {
    expect([label('d1').repeat, label('d2').repeat]).toEqual(['#1', '#2']);
  });
});

describe('bar geometry', () => {
  const span = (from: number, to: number | null) => ({ startMs: T0 + from, endMs: to === null ? null : T0 + to });

  it('places a bar in percent of the visible window', () => {
    expect(barGeometry(span(10, 30), T0, T0, 0, 100)).toEqual({ left: 10, width: 20, durationMs: 20 });
  });

  it('draws no bar for a span wholly outside the zoomed window (not a sliver at its left edge)', () => {
    expect(barGeometry(span(0, 10), T0, T0, 50, 20)).toBeNull();
    expect(barGeometry(span(90, 95), T0, T0, 50, 20)).toBeNull();
  });

  it('cuts a bar that crosses an edge of the window at the edge', () => {
    const g = barGeometry(span(40, 60), T0, T0, 50, 20)!;
    expect(g.left).toBe(-1);
    expect(g.left + g.width).toBeCloseTo(50);
    expect(g.durationMs).toBe(20);
  });

  it('lets a running span grow to now', () => {
    expect(barGeometry(span(0, null), T0, T0 + 50, 0, 100)).toEqual({ left: 0, width: 50, durationMs: 50 });
  });
});

describe('service colours', () => {
  it('gives services the palette in the order they first appear, one colour each', () => {
    const tree = buildTraceTree([
      makeSpan({ spanId: 'r', serviceName: 'gateway' }, 0, 100),
      makeSpan({ spanId: 'a', parentSpanId: 'r', serviceName: 'orders' }, 1),
      makeSpan({ spanId: 'b', parentSpanId: 'r', serviceName: 'gateway' }, 2),
      makeSpan({ spanId: 'c', parentSpanId: 'r', serviceName: 'payments' }, 3),
    ]);
    expect([...serviceColors(tree)]).toEqual([['gateway', SERVICE_PALETTE[0]], ['orders', SERVICE_PALETTE[1]], ['payments', SERVICE_PALETTE[2]]]);
  });
});

describe('trace completeness', () => {
  const e = { hasRoot: true, status: 'success' as const };

  it('is complete with its root and every parent', () => {
    const tree = buildTraceTree([makeSpan({ spanId: 'r' }, 0, 50), makeSpan({ spanId: 'a', parentSpanId: 'r' }, 1)]);
    expect(traceCompleteness(e, tree)).toEqual({ parentless: 0, missingRoot: false, complete: true });
  });

  it('continues a trace from elsewhere when one root span has a remote parent', () => {
    const tree = buildTraceTree([makeSpan({ spanId: 'r', parentSpanId: 'remote' }, 0, 50), makeSpan({ spanId: 'a', parentSpanId: 'r' }, 1)], 'remote');
    expect(traceCompleteness(e, tree)).toEqual({ parentless: 1, missingRoot: false, complete: true });
  });

  it('misses its root when spans share a parent that has not arrived', () => {
    const tree = buildTraceTree([makeSpan({ spanId: 'a', parentSpanId: 'gone' }, 0), makeSpan({ spanId: 'b', parentSpanId: 'gone' }, 20)], 'gone');
    expect(traceCompleteness(e, tree)).toEqual({ parentless: 2, missingRoot: true, complete: false });
  });

  it('misses its root when the earliest span is a flow node (never an execution root)', () => {
    const tree = buildTraceTree([makeSpan({ spanId: 'a', parentSpanId: 'gone', nodeId: 'n1', endMs: null })], 'gone');
    expect(traceCompleteness({ hasRoot: false, status: 'running' }, tree)).toMatchObject({ parentless: 1, missingRoot: true });
  });
});
