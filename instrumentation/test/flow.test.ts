import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { beforeEach, describe, expect, it } from 'vitest';
import * as C from '../src/conventions.js';
import { defineFlow, node, runFlow, runNode, setInput, setOutput, setUser, wrapNode } from '../src/index.js';
import { parentOf, sleep, useTestTelemetry } from './fixtures/telemetry.js';

const t = useTestTelemetry();
beforeEach(() => t.reset());

describe('a flow run', () => {
  it('is one root span carrying the execution kind, flow identity, trigger, user, input and output', async () => {
    const flow = defineFlow({ id: 'checkout', name: 'Checkout', version: '3' }, async (input: { cart: number }) => ({ total: input.cart * 2 }));
    const out = await flow.run({ cart: 21 }, { trigger: { type: 'http', data: { path: '/checkout' } }, userId: 'u-42' });
    expect(out).toEqual({ total: 42 });
    const root = t.span('Checkout');
    expect(parentOf(root)).toBe('');
    expect(root.kind).toBe(SpanKind.INTERNAL);
    expect(root.attributes).toMatchObject({
      [C.ATTR_EXECUTION_KIND]: 'flow',
      [C.ATTR_FLOW_ID]: 'checkout',
      [C.ATTR_FLOW_NAME]: 'Checkout',
      [C.ATTR_FLOW_VERSION]: '3',
      [C.ATTR_TRIGGER_TYPE]: 'http',
      [C.ATTR_TRIGGER_DATA]: '{"path":"/checkout"}',
      [C.ATTR_ENDUSER_ID]: 'u-42',
      [C.ATTR_FLOW_INPUT]: '{"cart":21}',
      [C.ATTR_FLOW_OUTPUT]: '{"total":42}',
      [C.ATTR_EXECUTION_STATUS]: 'success',
    });
    expect(root.status.code).toBe(SpanStatusCode.OK);
  });

  it('defaults the trigger to manual and the name to the id', () => {
    runFlow({ id: 'nightly' }, 1, (x) => x + 1);
    const root = t.span('nightly');
    expect(root.attributes[C.ATTR_TRIGGER_TYPE]).toBe('manual');
    expect(root.attributes[C.ATTR_FLOW_NAME]).toBe('nightly');
  });

  it('returns a synchronous result synchronously and settles a promise with the very same value', async () => {
    expect(runFlow({ id: 'sync' }, 2, (x) => x * 3)).toBe(6);
    const value = { same: true };
    await expect(runFlow({ id: 'async' }, null, async () => value)).resolves.toBe(value);
  });

  it('leaves a rejection nobody handles unhandled, as it would be without tracing', async () => {
    const seen: unknown[] = [];
    const onUnhandled = (reason: unknown): void => { seen.push(reason); };
    const listeners = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onUnhandled);
    try {
      const err = new Error('nobody catches me');
      void runFlow({ id: 'unhandled' }, null, async () => { throw err; });
      await sleep(20);
      expect(seen).toEqual([err]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      for (const l of listeners) process.on('unhandledRejection', l);
    }
  });

  it('starts a new trace for every run', async () => {
    const flow = defineFlow({ id: 'f' }, async () => 1);
    await flow.run(undefined);
    await flow.run(undefined);
    const [a, b] = t.spans();
    expect(a.spanContext().traceId).not.toBe(b.spanContext().traceId);
  });

  it('lets code inside set the input, output and user explicitly', async () => {
    await runFlow({ id: 'explicit' }, undefined, async () => {
      setInput({ parsed: true });
      await node({ id: 'n' }, () => setUser('later-user'));
      setOutput({ replaced: 1 });
      return 'ignored';
    });
    const root = t.span('explicit');
    expect(root.attributes[C.ATTR_FLOW_INPUT]).toBe('{"parsed":true}');
    expect(root.attributes[C.ATTR_FLOW_OUTPUT]).toBe('{"replaced":1}');
    expect(root.attributes[C.ATTR_ENDUSER_ID]).toBe('later-user');
  });
});

describe('nodes', () => {
  it('are child spans with id, name, type, input, output, status and an index in start order', async () => {
    await runFlow({ id: 'order' }, { id: 7 }, async (order) => {
      const valid = await runNode({ id: 'validate', name: 'Validate order', type: 'code' }, order, async (o) => ({ ...o, ok: true }));
      await runNode({ id: 'price', type: 'code' }, valid, (o) => ({ price: o.id * 10 }));
      return 'done';
    });
    const root = t.span('order');
    const validate = t.span('Validate order');
    const price = t.span('price');
    expect(parentOf(validate)).toBe(root.spanContext().spanId);
    expect(parentOf(price)).toBe(root.spanContext().spanId);
    expect(validate.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(validate.attributes).toMatchObject({
      [C.ATTR_NODE_ID]: 'validate',
      [C.ATTR_NODE_NAME]: 'Validate order',
      [C.ATTR_NODE_TYPE]: 'code',
      [C.ATTR_NODE_INDEX]: 0,
      [C.ATTR_NODE_INPUT]: '{"id":7}',
      [C.ATTR_NODE_OUTPUT]: '{"id":7,"ok":true}',
      [C.ATTR_NODE_STATUS]: 'success',
    });
    expect(price.attributes[C.ATTR_NODE_INDEX]).toBe(1);
    expect(price.attributes[C.ATTR_NODE_OUTPUT]).toBe('{"price":70}');
  });

  it('nest: a node started inside a node is its child', async () => {
    await runFlow({ id: 'nest' }, null, () =>
      node({ id: 'outer' }, () => node({ id: 'inner' }, async () => {
        await sleep(1);
        return node({ id: 'innermost' }, () => 1);
      })));
    expect(parentOf(t.span('inner'))).toBe(t.span('outer').spanContext().spanId);
    expect(parentOf(t.span('innermost'))).toBe(t.span('inner').spanContext().spanId);
    expect(t.span('innermost').attributes[C.ATTR_NODE_INDEX]).toBe(2);
  });

  it('run in parallel as siblings with distinct indices and overlapping times', async () => {
    await runFlow({ id: 'fanout' }, null, () =>
      Promise.all(Array.from({ length: 50 }, (_, i) => runNode({ id: `item-${i}` }, i, async (x) => {
        await sleep(5);
        return x * x;
      }))));
    const root = t.span('fanout');
    const items = t.spans().filter((s) => s.name.startsWith('item-'));
    expect(items).toHaveLength(50);
    expect(new Set(items.map((s) => s.attributes[C.ATTR_NODE_INDEX])).size).toBe(50);
    for (const s of items) expect(parentOf(s)).toBe(root.spanContext().spanId);
    const latestStart = Math.max(...items.map((s) => s.startTime[0] * 1e3 + s.startTime[1] / 1e6));
    const earliestEnd = Math.min(...items.map((s) => s.endTime[0] * 1e3 + s.endTime[1] / 1e6));
    expect(latestStart).toBeLessThan(earliestEnd);
  });

  it('keep `this`, arguments and return value of a wrapped function', () => {
    const counter = {
      step: 5,
      add: wrapNode({ id: 'add' }, function (this: { step: number }, a: number, b: number) { return a + b + this.step; }),
    };
    const result = runFlow({ id: 'wrapped' }, null, () => counter.add(1, 2));
    expect(result).toBe(8);
    expect(t.span('add').attributes[C.ATTR_NODE_INPUT]).toBe('[1,2]');
  });

  it('run untraced, with the same result, outside any execution', () => {
    expect(runNode({ id: 'alone' }, 3, (x) => x + 1)).toBe(4);
    expect(t.spans()).toHaveLength(0);
  });

  it('turn a flow run inside a flow into a nested sub-flow span', async () => {
    const child = defineFlow({ id: 'child', name: 'Child flow' }, async () => node({ id: 'child-step' }, () => 'x'));
    await runFlow({ id: 'parent' }, null, () => child.run(null));
    const parent = t.span('parent');
    const sub = t.span('Child flow');
    expect(parentOf(sub)).toBe(parent.spanContext().spanId);
    expect(sub.attributes[C.ATTR_NODE_TYPE]).toBe('flow');
    expect(sub.attributes[C.ATTR_FLOW_ID]).toBe('child');
    expect(parentOf(t.span('child-step'))).toBe(sub.spanContext().spanId);
  });

  it('keep concurrent flows in separate traces', async () => {
    const flow = defineFlow({ id: 'concurrent' }, async (n: number) => {
      await sleep(3);
      return node({ id: `step-${n}` }, async () => { await sleep(2); return n; });
    });
    await Promise.all([flow.run(1), flow.run(2), flow.run(3)]);
    const roots = t.spans().filter((s) => s.name === 'concurrent');
    for (const n of [1, 2, 3]) {
      const step = t.span(`step-${n}`);
      const root = roots.find((r) => r.spanContext().traceId === step.spanContext().traceId);
      expect(root?.attributes[C.ATTR_FLOW_INPUT]).toBe(String(n));
      expect(parentOf(step)).toBe(root?.spanContext().spanId);
    }
  });

  it('do no payload work when payload capture is off', async () => {
    t.configure({ payloads: false });
    try {
      const secretive = { toJSON: () => { throw new Error('must not be serialised'); } };
      await runFlow({ id: 'lean' }, secretive, () => node({ id: 'n' }, () => secretive));
      expect(t.span('lean').attributes[C.ATTR_FLOW_INPUT]).toBeUndefined();
      expect(t.span('n').attributes[C.ATTR_NODE_OUTPUT]).toBeUndefined();
    } finally {
      t.configure();
    }
  });
});

describe('the context inside a node', () => {
  it('has the node span active, for other instrumentation and for contexts derived from it', async () => {
    const { context, createContextKey, trace } = await import('@opentelemetry/api');
    const key = createContextKey('test.key');
    const outerKey = createContextKey('test.outer');
    let seen: Record<string, unknown> = {};
    await context.with(context.active().setValue(outerKey, 'outer'), () => runFlow({ id: 'ctx-flow' }, null, () => node({ id: 'ctx-node' }, () => {
      const active = context.active();
      const derived = active.setValue(key, 'v');
      const child = trace.getTracer('other').startSpan('other-child');
      child.end();
      seen = {
        active: trace.getActiveSpan(),
        outer: active.getValue(outerKey),
        derivedSpan: trace.getSpan(derived),
        derivedValue: derived.getValue(key),
        derivedOuter: derived.getValue(outerKey),
        notInActive: active.getValue(key),
        deleted: trace.getSpan(trace.deleteSpan(active)),
      };
    })));
    const nodeSpan = t.span('ctx-node');
    expect((seen.active as { spanContext(): { spanId: string } }).spanContext().spanId).toBe(nodeSpan.spanContext().spanId);
    expect(seen.derivedSpan).toBe(seen.active);
    expect(seen).toMatchObject({ outer: 'outer', derivedValue: 'v', derivedOuter: 'outer', notInActive: undefined, deleted: undefined });
    expect(parentOf(t.span('other-child'))).toBe(nodeSpan.spanContext().spanId);
  });
});
