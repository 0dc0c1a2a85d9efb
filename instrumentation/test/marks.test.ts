import { SpanKind } from '@opentelemetry/api';
import { beforeEach, describe, expect, it } from 'vitest';
import * as C from '../src/conventions.js';
import { node, runFlow } from '../src/index.js';
import { sleep, useTestTelemetry } from './fixtures/telemetry.js';

const t = useTestTelemetry({ startMarkDelayMs: 0 });
beforeEach(() => t.reset());

describe('start marks (startMarkDelayMs 0: every span marked at its start)', () => {
  it('are emitted for the root and each node when they start, before they end', async () => {
    let marksWhileRunning = -1;
    await runFlow({ id: 'marked', name: 'Marked flow' }, { q: 1 }, () => node({ id: 'step', type: 'code' }, async () => {
      marksWhileRunning = t.marks().length;
      await sleep(1);
    }));
    expect(marksWhileRunning).toBe(2);
    const [rootMark, nodeMark] = t.marks();
    const root = t.span('Marked flow');
    const step = t.span('step');
    expect(rootMark.spanContext?.spanId).toBe(root.spanContext().spanId);
    expect(rootMark.spanContext?.traceId).toBe(root.spanContext().traceId);
    expect(rootMark.attributes).toMatchObject({
      [C.ATTR_MARK]: C.MARK_SPAN_START,
      [C.ATTR_MARK_SPAN_NAME]: 'Marked flow',
      [C.ATTR_MARK_SPAN_KIND]: 1,
      [C.ATTR_EXECUTION_KIND]: 'flow',
      [C.ATTR_FLOW_NAME]: 'Marked flow',
      [C.ATTR_FLOW_INPUT]: '{"q":1}',
    });
    expect(rootMark.attributes[C.ATTR_MARK_PARENT_SPAN_ID]).toBeUndefined();
    expect(rootMark.hrTime).toEqual(root.startTime);
    expect(nodeMark.spanContext?.spanId).toBe(step.spanContext().spanId);
    expect(nodeMark.attributes).toMatchObject({
      [C.ATTR_MARK]: C.MARK_SPAN_START,
      [C.ATTR_MARK_PARENT_SPAN_ID]: root.spanContext().spanId,
      [C.ATTR_NODE_ID]: 'step',
      [C.ATTR_NODE_TYPE]: 'code',
      [C.ATTR_NODE_INDEX]: 0,
    });
    expect(nodeMark.hrTime).toEqual(step.startTime);
    for (const span of [root, step]) expect(Object.keys(span.attributes).filter((k) => k.startsWith('flowtrace.'))).toEqual([]);
  });

  it('carry the OTLP span kind number (server = 2) of the span', async () => {
    const { runToolCall } = await import('../src/index.js');
    await runToolCall('echo', {}, () => 'ok');
    expect(SpanKind.SERVER + 1).toBe(2);
    expect(t.marks()[0].attributes[C.ATTR_MARK_SPAN_KIND]).toBe(2);
  });

  it('are not emitted when turned off', async () => {
    t.configure({ startMarks: false });
    try {
      await runFlow({ id: 'unmarked' }, null, () => node({ id: 'n' }, () => 1));
      expect(t.marks()).toHaveLength(0);
      expect(t.spans()).toHaveLength(2);
    } finally {
      t.configure({ startMarkDelayMs: 0 });
    }
  });
});

describe('start marks after a delay (the default: only spans still running get one)', () => {
  it('are not sent for spans that end within the delay; their spans arrive ended', async () => {
    t.configure({ startMarkDelayMs: 40 });
    try {
      await runFlow({ id: 'quick' }, { q: 1 }, async () => {
        for (let i = 0; i < 50; i++) node({ id: `n${i}` }, () => i);
      });
      await sleep(100);
      expect(t.marks()).toHaveLength(0);
      expect(t.spans()).toHaveLength(51);
    } finally {
      t.configure({ startMarkDelayMs: 0 });
    }
  });

  it('are sent, while they run, for the root and the nodes still open after the delay, with their start time and attributes', async () => {
    t.configure({ startMarkDelayMs: 20 });
    let marksWhileRunning: string[] = [];
    try {
      await runFlow({ id: 'slow-flow', name: 'Slow flow' }, { q: 2 }, async () => {
        node({ id: 'quick', type: 'code' }, () => 1);
        await node({ id: 'slow', type: 'io' }, async () => {
          await sleep(120);
          marksWhileRunning = t.marks().map((m) => String(m.attributes[C.ATTR_MARK_SPAN_NAME]));
        });
      });
    } finally {
      t.configure({ startMarkDelayMs: 0 });
    }
    expect(marksWhileRunning.sort()).toEqual(['Slow flow', 'slow']);
    const root = t.span('Slow flow');
    const slow = t.span('slow');
    const rootMark = t.marks().find((m) => m.spanContext?.spanId === root.spanContext().spanId);
    const slowMark = t.marks().find((m) => m.spanContext?.spanId === slow.spanContext().spanId);
    expect(rootMark?.hrTime).toEqual(root.startTime);
    expect(rootMark?.attributes).toMatchObject({ [C.ATTR_MARK]: C.MARK_SPAN_START, [C.ATTR_FLOW_INPUT]: '{"q":2}', [C.ATTR_EXECUTION_KIND]: 'flow' });
    expect(rootMark?.attributes[C.ATTR_MARK_PARENT_SPAN_ID]).toBeUndefined();
    expect(slowMark?.hrTime).toEqual(slow.startTime);
    expect(slowMark?.attributes).toMatchObject({
      [C.ATTR_MARK_PARENT_SPAN_ID]: root.spanContext().spanId, [C.ATTR_NODE_ID]: 'slow', [C.ATTR_NODE_TYPE]: 'io', [C.ATTR_NODE_INDEX]: 1,
    });
    expect(t.marks()).toHaveLength(2);
  });

  it('are sent for nodes opened after the first timer turn too', async () => {
    t.configure({ startMarkDelayMs: 15 });
    try {
      await runFlow({ id: 'staggered' }, null, async () => {
        const late = (async () => { await sleep(40); await node({ id: 'late' }, () => sleep(60)); })();
        await node({ id: 'early' }, () => sleep(60));
        await late;
      });
    } finally {
      t.configure({ startMarkDelayMs: 0 });
    }
    expect(t.marks().map((m) => String(m.attributes[C.ATTR_MARK_SPAN_NAME])).sort()).toEqual(['early', 'late', 'staggered']);
  });
});

describe('spans that ended', () => {
  it('leave nothing open behind them, whatever their outcome', async () => {
    const { closeOpenSpans } = await import('../src/spans.js');
    await runFlow({ id: 'mixed' }, null, async () => {
      node({ id: 'ok' }, () => 1);
      try { node({ id: 'throws' }, () => { throw new Error('no'); }); } catch { /* expected */ }
      await Promise.all([node({ id: 'a' }, () => sleep(2)), node({ id: 'b' }, () => sleep(1))]);
    });
    expect(closeOpenSpans('nothing should be open')).toBe(0);
  });
});
