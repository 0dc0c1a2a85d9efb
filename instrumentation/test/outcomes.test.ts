import { SpanStatusCode } from '@opentelemetry/api';
import { beforeEach, describe, expect, it } from 'vitest';
import * as C from '../src/conventions.js';
import { node, runFlow, runNode, skipNode, TimeoutError } from '../src/index.js';
import { sleep, useTestTelemetry } from './fixtures/telemetry.js';

const t = useTestTelemetry();
beforeEach(() => t.reset());

function exceptionOf(name: string): Record<string, unknown> | undefined {
  return t.span(name).events.find((e) => e.name === C.EVENT_EXCEPTION)?.attributes;
}

describe('an error', () => {
  it('is rethrown unchanged and recorded as an exception event with its stack on node and root', async () => {
    const boom = new RangeError('card declined');
    const caught = await runFlow({ id: 'pay' }, null, () => node({ id: 'charge' }, async () => { throw boom; })).catch((e: unknown) => e);
    expect(caught).toBe(boom);
    const exc = exceptionOf('charge');
    expect(exc?.[C.ATTR_EXCEPTION_TYPE]).toBe('RangeError');
    expect(exc?.[C.ATTR_EXCEPTION_MESSAGE]).toBe('card declined');
    expect(String(exc?.[C.ATTR_EXCEPTION_STACKTRACE])).toContain('outcomes.test.ts');
    expect(t.span('charge').status).toEqual({ code: SpanStatusCode.ERROR, message: 'card declined' });
    expect(t.span('charge').attributes[C.ATTR_NODE_STATUS]).toBe('error');
    expect(t.span('pay').attributes[C.ATTR_EXECUTION_STATUS]).toBe('error');
  });

  it('names the deepest failing node on the root span', async () => {
    await runFlow({ id: 'deep' }, null, async () =>
      node({ id: 'outer' }, async () => node({ id: 'inner' }, async () => { throw new Error('x'); }))).catch(() => undefined);
    expect(t.span('deep').attributes[C.ATTR_ERROR_NODE_ID]).toBe('inner');
  });

  it('names the node even when an outer layer wrapped the error with a cause', async () => {
    await runFlow({ id: 'wrapped-cause' }, null, async () => {
      try {
        await node({ id: 'db' }, async () => { throw new Error('timeout'); });
      } catch (e) {
        throw new Error('could not save', { cause: e });
      }
    }).catch(() => undefined);
    expect(t.span('wrapped-cause').attributes[C.ATTR_ERROR_NODE_ID]).toBe('db');
  });

  it('leaves no failing node on a root that succeeded after a retried node', async () => {
    let attempt = 0;
    await runFlow({ id: 'retry' }, null, async () => {
      for (;;) {
        try {
          return await node({ id: 'flaky' }, async () => { if (attempt++ === 0) throw new Error('flake'); return 'ok'; });
        } catch { /* retry */ }
      }
    });
    const root = t.span('retry');
    expect(root.attributes[C.ATTR_EXECUTION_STATUS]).toBe('success');
    expect(root.attributes[C.ATTR_ERROR_NODE_ID]).toBeUndefined();
    expect(t.spans().filter((s) => s.name === 'flaky').map((s) => s.attributes[C.ATTR_NODE_STATUS])).toEqual(['error', 'success']);
  });

  it('thrown synchronously is rethrown synchronously', () => {
    const err = new Error('sync');
    expect(() => runFlow({ id: 'sync-throw' }, null, () => { throw err; })).toThrow(err);
    expect(t.span('sync-throw').attributes[C.ATTR_EXECUTION_STATUS]).toBe('error');
  });

  it('that is not an Error object is still passed through and recorded', async () => {
    const caught = await runFlow({ id: 'string-throw' }, null, async () => { throw 'plain string'; }).catch((e: unknown) => e);
    expect(caught).toBe('plain string');
    expect(exceptionOf('string-throw')?.[C.ATTR_EXCEPTION_MESSAGE]).toBe('plain string');
  });
});

describe('cancellation', () => {
  it('through an AbortSignal ends the flow and its running node as cancelled and aborts their signal', async () => {
    const controller = new AbortController();
    let nodeSignal: AbortSignal | undefined;
    const run = runFlow({ id: 'cancel-me' }, null, () => node({ id: 'long' }, (ctx) => {
      nodeSignal = ctx.signal;
      return new Promise((resolve) => setTimeout(resolve, 5_000));
    }), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user pressed stop')), 20);
    await expect(run).rejects.toThrow('user pressed stop');
    expect(nodeSignal?.aborted).toBe(true);
    expect(t.span('cancel-me').attributes[C.ATTR_EXECUTION_STATUS]).toBe('cancelled');
    await sleep(0);
  });

  it('of a node whose code stops on its signal marks that node cancelled', async () => {
    const controller = new AbortController();
    const run = runFlow({ id: 'cooperative' }, null, () => node({ id: 'listens' }, (ctx) => new Promise((_, reject) => {
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
    })), { signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toBeDefined();
    await sleep(0);
    expect(t.span('listens').attributes[C.ATTR_NODE_STATUS]).toBe('cancelled');
    expect(t.span('cooperative').attributes[C.ATTR_EXECUTION_STATUS]).toBe('cancelled');
  });

  it('with an already aborted signal does not run the code', async () => {
    let ran = false;
    await expect(runFlow({ id: 'pre-aborted' }, null, () => { ran = true; }, { signal: AbortSignal.abort() })).rejects.toBeDefined();
    expect(ran).toBe(false);
    expect(t.span('pre-aborted').attributes[C.ATTR_EXECUTION_STATUS]).toBe('cancelled');
  });
});

describe('a timeout', () => {
  it('on a node rejects with a TimeoutError and marks the node timed_out', async () => {
    const run = runFlow({ id: 'slow-flow' }, null, () =>
      runNode({ id: 'slow' }, null, () => sleep(2_000), { timeoutMs: 30 }));
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    const slow = t.span('slow');
    expect(slow.attributes[C.ATTR_NODE_STATUS]).toBe('timed_out');
    expect(slow.status.code).toBe(SpanStatusCode.ERROR);
    const root = t.span('slow-flow');
    expect(root.attributes[C.ATTR_EXECUTION_STATUS]).toBe('timed_out');
    expect(root.attributes[C.ATTR_ERROR_NODE_ID]).toBe('slow');
  });

  it('on a flow times out the node that is running at that moment', async () => {
    const err = await runFlow({ id: 'flow-timeout' }, null, () => node({ id: 'waits' }, (ctx) => new Promise((_, reject) => {
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
    })), { timeoutMs: 25 }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    await sleep(0);
    expect(t.span('waits').attributes[C.ATTR_NODE_STATUS]).toBe('timed_out');
    expect(t.span('flow-timeout').attributes[C.ATTR_EXECUTION_STATUS]).toBe('timed_out');
  });

  it('that does not fire leaves the result alone', async () => {
    await expect(runFlow({ id: 'fast' }, 1, async (x) => x + 1, { timeoutMs: 1_000 })).resolves.toBe(2);
    expect(t.span('fast').attributes[C.ATTR_EXECUTION_STATUS]).toBe('success');
  });
});

describe('a skipped node', () => {
  it('is recorded with status skipped and its reason, and does not fail the flow', async () => {
    await runFlow({ id: 'maybe' }, null, async () => {
      skipNode({ id: 'notify', type: 'email' }, 'customer opted out');
      return 'ok';
    });
    const skipped = t.span('notify');
    expect(skipped.attributes[C.ATTR_NODE_STATUS]).toBe('skipped');
    expect(skipped.attributes[C.ATTR_NODE_OUTPUT]).toBe('{"skipped":"customer opted out"}');
    expect(t.span('maybe').attributes[C.ATTR_EXECUTION_STATUS]).toBe('success');
  });
});

describe('stopping the service', () => {
  it('ends executions and nodes still running as cancelled, innermost first', async () => {
    const { closeOpenSpans } = await import('../src/spans.js');
    let release = (): void => undefined;
    const blocked = new Promise<void>((r) => { release = r; });
    const run = runFlow({ id: 'cut-short' }, null, () => node({ id: 'stuck' }, () => blocked));
    await sleep(1);
    expect(closeOpenSpans('service stopping')).toBeGreaterThanOrEqual(2); // earlier tests may leave code running too
    const ours = t.spans().filter((s) => s.name === 'stuck' || s.name === 'cut-short');
    expect(ours.map((s) => [s.name, s.attributes[C.ATTR_NODE_STATUS] ?? s.attributes[C.ATTR_EXECUTION_STATUS]])).toEqual([
      ['stuck', 'cancelled'], ['cut-short', 'cancelled'],
    ]);
    expect(t.span('cut-short').events[0].attributes?.[C.ATTR_EXCEPTION_MESSAGE]).toBe('service stopping');
    release();
    await run;
    expect(t.spans().filter((s) => s.name === 'stuck' || s.name === 'cut-short')).toHaveLength(2);
  });
});
