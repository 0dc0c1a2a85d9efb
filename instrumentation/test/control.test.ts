import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as C from '../src/conventions.js';
import { announcedFlows, cancelRun, replayFlow, setControlActive } from '../src/control/registry.js';
import { CancelledError, currentTraceId, defineFlow, node, runFlow, runJob } from '../src/index.js';
import { sleep, useTestTelemetry } from './fixtures/telemetry.js';

const t = useTestTelemetry();
beforeEach(() => {
  t.reset();
  setControlActive(true);
});
afterEach(() => setControlActive(false));

/** Resolves after `ms`, or rejects with the signal's reason when it fires. */
const abortable = (ms: number, signal: AbortSignal): Promise<void> => new Promise((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
});

/** A flow body that waits on its signal (as well-behaved flows do) for up to 5 s. */
const waits = async (_input: unknown, ctx: { signal: AbortSignal }): Promise<string> => {
  await node({ id: 'wait', type: 'sleep' }, (n) => abortable(5_000, n.signal));
  if (ctx.signal.aborted) throw ctx.signal.reason;
  return 'done';
};

describe('control of flow runs inside the service', () => {
  it('announces only flows defined with control, with what each allows', () => {
    defineFlow({ id: 'plain-flow' }, () => 1);
    defineFlow({ id: 'cancellable', control: { cancel: true } }, () => 1);
    defineFlow({ id: 'replayable', name: 'Replayable', control: { replay: true } }, () => 1);
    const flows = announcedFlows();
    expect(flows.find((f) => f.id === 'plain-flow')).toBeUndefined();
    expect(flows).toEqual(expect.arrayContaining([
      { id: 'cancellable', name: 'cancellable', version: undefined, cancel: true, replay: false },
      { id: 'replayable', name: 'Replayable', version: undefined, cancel: false, replay: true },
    ]));
  });

  it('cancels a running root execution: its signal fires naming who asked, it ends cancelled, and a second cancel is a no-op', async () => {
    const flow = defineFlow({ id: 'long-order', control: { cancel: true } }, waits);
    let traceId = '';
    const running = runFlow(flow.spec, {}, (i, ctx) => { traceId = ctx.traceId; return waits(i, ctx); });
    expect(cancelRun(traceId, 'long-order', 'ann from the viewer')).toEqual({ outcome: 'cancelled' });
    const error = await running.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toBe('cancelled by ann from the viewer');
    const root = t.spans().find((s) => s.attributes[C.ATTR_FLOW_ID] === 'long-order')!;
    expect(root.attributes[C.ATTR_EXECUTION_STATUS]).toBe('cancelled');
    expect(root.attributes[C.ATTR_CANCEL_REQUESTED_BY]).toBe('ann from the viewer');
    expect(root.events.find((e) => e.name === 'exception')?.attributes?.[C.ATTR_EXCEPTION_MESSAGE]).toBe('cancelled by ann from the viewer');
    expect(cancelRun(traceId, 'long-order', 'ann again')).toEqual({ outcome: 'already_cancelled' });
  });

  it('never acts on a flow that was not announced as allowing it, nor on a run that is not here', async () => {
    const plain = defineFlow({ id: 'no-control' }, waits);
    const replayOnly = defineFlow({ id: 'replay-only', control: { replay: true } }, waits);
    let plainTrace = '';
    let replayTrace = '';
    const p1 = runFlow(plain.spec, {}, (i, ctx) => { plainTrace = ctx.traceId; return abortable(30, ctx.signal).then(() => 'ok'); });
    const p2 = runFlow(replayOnly.spec, {}, (i, ctx) => { replayTrace = ctx.traceId; return abortable(30, ctx.signal).then(() => 'ok'); });
    expect(cancelRun(plainTrace, 'no-control', 'x').outcome).toBe('not_allowed');
    expect(cancelRun(replayTrace, 'replay-only', 'x').outcome).toBe('not_allowed');
    expect(cancelRun('0'.repeat(32), 'long-order', 'x').outcome).toBe('not_running');
    expect(replayFlow('no-control', {}, { traceId: plainTrace, spanId: '1'.repeat(16), requestedBy: 'x' }).outcome).toBe('not_allowed');
    await expect(Promise.all([p1, p2])).resolves.toEqual(['ok', 'ok']);
  });

  it('replays a flow with a new input as a new execution triggered by replay, linked to the original', async () => {
    const seen: unknown[] = [];
    defineFlow({ id: 'again', control: { replay: true } }, async (input: { n: number }) => {
      seen.push(input);
      return input.n * 2;
    });
    const origin = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), requestedBy: 'ann' };
    const answer = replayFlow('again', { n: 21 }, origin);
    expect(answer.outcome).toBe('started');
    await sleep(20);
    expect(seen).toEqual([{ n: 21 }]);
    const root = t.spans().find((s) => s.attributes[C.ATTR_FLOW_ID] === 'again')!;
    expect(root.spanContext().traceId).toBe(answer.traceId);
    expect(root.attributes).toMatchObject({ [C.ATTR_TRIGGER_TYPE]: 'replay', [C.ATTR_REPLAY_OF]: origin.traceId, [C.ATTR_FLOW_OUTPUT]: '42' });
    expect(root.links.map((l) => [l.context.traceId, l.context.spanId])).toEqual([[origin.traceId, origin.spanId]]);
  });

  it('a replay that fails leaves no unhandled rejection: its failure is on its span', async () => {
    defineFlow({ id: 'fails-again', control: { replay: true } }, async () => { throw new Error('still broken'); });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => { unhandled.push(e); };
    process.on('unhandledRejection', onUnhandled);
    try {
      expect(replayFlow('fails-again', {}, { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), requestedBy: 'ann' }).outcome).toBe('started');
      await sleep(50);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(t.spans().find((s) => s.attributes[C.ATTR_FLOW_ID] === 'fails-again')?.attributes[C.ATTR_EXECUTION_STATUS]).toBe('error');
  });

  it('cancels a running job whose spec allows it, announced at its first run', async () => {
    const spec = { id: 'nightly-sync', control: { cancel: true } };
    let traceId = '';
    const running = runJob(spec, (ctx) => {
      traceId = currentTraceId() ?? '';
      return abortable(5_000, ctx.signal);
    });
    expect(announcedFlows()).toContainEqual({ id: 'nightly-sync', name: 'nightly-sync', version: undefined, cancel: true, replay: false });
    expect(cancelRun(traceId, 'nightly-sync', 'ops').outcome).toBe('cancelled');
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(t.spans().find((s) => s.attributes[C.ATTR_FLOW_ID] === 'nightly-sync')?.attributes[C.ATTR_EXECUTION_STATUS]).toBe('cancelled');
  });

  it('tracks no run while the control connection is off', async () => {
    setControlActive(false);
    const flow = defineFlow({ id: 'off-flow', control: { cancel: true } }, waits);
    let traceId = '';
    const run = runFlow(flow.spec, {}, (i, ctx) => { traceId = ctx.traceId; return abortable(20, ctx.signal).then(() => 'ok'); });
    expect(cancelRun(traceId, 'off-flow', 'x').outcome).toBe('not_running');
    await expect(run).resolves.toBe('ok');
  });
});
