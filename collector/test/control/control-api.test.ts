import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, eventually, startTestCollector } from '../fixtures/collector.js';
import { connectInstance, seedFinished, seedRunning, type FakeInstance } from '../fixtures/control-service.js';

const QUERY = 'query-secret';
const CONTROL = 'control-secret';
const asQuery = { authorization: `Bearer ${QUERY}` };
const asControl = { authorization: `Bearer ${CONTROL}` };
const both = [
  { id: 'checkout-id', name: 'checkout', cancel: true, replay: true },
  { id: 'report-id', name: 'report', cancel: false, replay: false },
];

let server: RunningServer;
let base: string;
const instances: FakeInstance[] = [];
beforeAll(async () => {
  server = await startTestCollector({ queryToken: QUERY, controlToken: CONTROL, controlAnswerTimeoutMs: 2_000 });
  base = server.url;
});
afterAll(async () => {
  for (const i of instances) i.close();
  await server?.close();
});
const connect = async (service: string, flows = both): Promise<FakeInstance> => {
  const instance = await connectInstance(base, service, flows);
  instances.push(instance);
  await eventually(async () => (await api(base, '/api/control', { headers: asQuery })).body.instances?.some((i: { instanceId: string }) => i.instanceId === instance.instanceId));
  return instance;
};
const cancel = (traceId: string, headers: Record<string, string> = asControl) =>
  api(base, `/api/executions/${traceId}/cancel`, { method: 'POST', headers, json: { requestedBy: 'ann (test)' } });
const replay = (traceId: string, body: Record<string, unknown> = {}, headers: Record<string, string> = asControl) =>
  api(base, `/api/executions/${traceId}/replay`, { method: 'POST', headers, json: { requestedBy: 'ann (test)', ...body } });

describe('control of runs through the collector', () => {
  it('refuses cancel and replay with the query token, and delivers nothing to the service', async () => {
    const svc = await connect('shop-a');
    const run = await seedRunning(base, 'shop-a', 'checkout');
    expect((await cancel(run.traceId, asQuery)).status).toBe(401);
    expect((await replay(run.traceId, {}, asQuery)).status).toBe(401);
    expect((await cancel(run.traceId, {})).status).toBe(401);
    expect(svc.requests).toEqual([]);
  });

  it('judges cancel and replay by the route reached, however the path is spelled', async () => {
    const svc = await connect('shop-spelled');
    const run = await seedRunning(base, 'shop-spelled', 'checkout');
    for (const path of [`/%61pi/executions/${run.traceId}/c%61ncel`, `/api/executions/${run.traceId}/%72eplay`, `/api//executions/${run.traceId}/cancel`]) {
      const res = await api(base, path, { method: 'POST', headers: asQuery, json: {} });
      expect([401, 404]).toContain(res.status);
    }
    expect(svc.requests).toEqual([]);
  });

  it('cancels a running execution in the instance of its service, and a second cancel is a no-op', async () => {
    const svc = await connect('shop-b');
    const run = await seedRunning(base, 'shop-b', 'checkout');
    await eventually(async () => (await api(base, `/api/executions/${run.traceId}`, { headers: asQuery })).status === 200);
    const answer = cancel(run.traceId);
    const request = await svc.next();
    expect(request).toMatchObject({ action: 'cancel', traceId: run.traceId, flowId: 'checkout-id', requestedBy: 'ann (test)' });
    expect(await svc.reply(request.id, { outcome: 'cancelled' })).toBe(204);
    const first = await answer;
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ action: 'cancel', outcome: 'cancelled', traceId: run.traceId, instanceId: svc.instanceId });

    const second = await cancel(run.traceId);
    expect(second.status).toBe(200);
    expect(second.body.outcome).toBe('already_cancelled');
    expect(svc.requests).toHaveLength(1);
  });

  it('says why not: no instance connected, the flow does not allow it, the run already finished', async () => {
    const lonely = await seedRunning(base, 'nobody-home', 'checkout');
    await eventually(async () => (await api(base, `/api/executions/${lonely.traceId}`, { headers: asQuery })).status === 200);
    const none = await cancel(lonely.traceId);
    expect(none.status).toBe(503);
    expect(none.body.code).toBe('FT_CONTROL_NO_INSTANCE');

    const svc = await connect('shop-c');
    const report = await seedRunning(base, 'shop-c', 'report');
    await eventually(async () => (await api(base, `/api/executions/${report.traceId}`, { headers: asQuery })).status === 200);
    const refused = await cancel(report.traceId);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('FT_CONTROL_NOT_ALLOWED');

    const done = await seedFinished(base, 'shop-c', 'checkout', '{"order":1}', true);
    const finished = await cancel(done.traceId);
    expect(finished.status).toBe(409);
    expect(finished.body.code).toBe('FT_EXECUTION_FINISHED');
    expect(svc.requests).toEqual([]);
  });

  it('answers a request whose service drops its connection, instead of leaving it pending', async () => {
    const svc = await connect('shop-d');
    const run = await seedRunning(base, 'shop-d', 'checkout');
    await eventually(async () => (await api(base, `/api/executions/${run.traceId}`, { headers: asQuery })).status === 200);
    const answer = cancel(run.traceId);
    await svc.next();
    svc.close();
    const lost = await answer;
    expect(lost.status).toBe(503);
    expect(lost.body.code).toBe('FT_CONTROL_CONNECTION_LOST');
  });

  it('replays a failed execution with an edited input, and never with a redacted value', async () => {
    const svc = await connect('shop-e');
    const failed = await seedFinished(base, 'shop-e', 'checkout', '{"orderId":"o-1","card":{"number":"[REDACTED]"}}');
    const captured = await api(base, `/api/executions/${failed.traceId}/replay-input`, { headers: asQuery });
    expect(captured.status).toBe(200);
    expect(captured.body.incomplete).toEqual([{ path: 'card.number', reason: 'redacted' }]);

    const asCaptured = await replay(failed.traceId);
    expect(asCaptured.status).toBe(400);
    expect(asCaptured.body.code).toBe('FT_REPLAY_INPUT_INCOMPLETE');
    expect(asCaptured.body.message).toContain('card.number');
    expect(svc.requests).toEqual([]);

    const answer = replay(failed.traceId, { input: { orderId: 'o-1', card: { number: '4242' } } });
    const request = await svc.next();
    expect(request).toMatchObject({ action: 'replay', flowId: 'checkout-id', input: { orderId: 'o-1', card: { number: '4242' } }, origin: { traceId: failed.traceId, spanId: failed.rootSpanId } });
    await svc.reply(request.id, { outcome: 'started', traceId: 'ab'.repeat(16) });
    const started = await answer;
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ outcome: 'started', newTraceId: 'ab'.repeat(16) });
  });

  it('refuses a truncated captured input until it is given whole', async () => {
    await connect('shop-f');
    const failed = await seedFinished(base, 'shop-f', 'checkout', '{"orderId":"o-2","items":[1,2,…[truncated]');
    const captured = await api(base, `/api/executions/${failed.traceId}/replay-input`, { headers: asQuery });
    expect(captured.body.incomplete).toEqual([{ path: '', reason: 'truncated' }]);
    const refused = await replay(failed.traceId);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('FT_REPLAY_INPUT_INCOMPLETE');
  });

  it('records every request, whoever made it and however it ended, in control_log for the SQL console', async () => {
    const rows = await eventually(async () => {
      const r = await api(base, '/api/sql', { method: 'POST', headers: asQuery, json: { sql: 'SELECT action, outcome, requested_by, service_name FROM control_log ORDER BY requested_at' } });
      return r.status === 200 && r.body.rows.length >= 8 ? r.body.rows : undefined;
    });
    const outcomes = rows.map((r: unknown[]) => `${r[0]}:${r[1]}`);
    expect(outcomes).toEqual(expect.arrayContaining([
      'cancel:cancelled', 'cancel:already_cancelled', 'cancel:no_instance', 'cancel:not_allowed', 'cancel:already_finished',
      'cancel:connection_lost', 'replay:input_incomplete', 'replay:started',
    ]));
    expect(rows.every((r: unknown[]) => r[2] === 'ann (test)')).toBe(true);
  });
});

describe('a collector started without --control-token', () => {
  it('has control off: the routes refuse and no service can connect', async () => {
    const plain = await startTestCollector({ queryToken: QUERY });
    try {
      const run = await seedRunning(plain.url, 'shop', 'checkout');
      const refused = await api(plain.url, `/api/executions/${run.traceId}/cancel`, { method: 'POST', headers: asQuery, json: {} });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('FT_CONTROL_OFF');
      await expect(connectInstance(plain.url, 'shop', both)).rejects.toMatchObject({ status: 403 });
      expect((await api(plain.url, '/api/control', { headers: asQuery })).body).toEqual({ enabled: false, instances: [] });
    } finally {
      await plain.close();
    }
  });
});
