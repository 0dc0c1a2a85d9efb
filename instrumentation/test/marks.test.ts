import { SpanKind } from '@opentelemetry/api';
import { beforeEach, describe, expect, it } from 'vitest';
import * as C from '../src/conventions.js';
import { node, runFlow } from '../src/index.js';
import { sleep, useTestTelemetry } from './fixtures/telemetry.js';

const t = useTestTelemetry();
beforeEach(() => t.reset());

describe('start marks', () => {
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
      t.configure();
    }
  });
});
