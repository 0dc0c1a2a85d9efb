/**
 * Control of runs across stateless collectors (issue 17): two real collectors in this process on
 * one ClickHouse database (chDB), a service instance speaking the control protocol on the wire
 * (fixtures/control-service.ts) connected to collector A only, and every control request sent to
 * collector B — as a load balancer would split them. B lists the instance, its cancel and replay
 * reach the instance once and come back with the instance's answer, an instance that leaves A
 * leaves B's list and a request for it is then refused at once, and an instance that never
 * answers times out on B as it would on one collector. A database the relay's tables are missing
 * from (the previous schema) gets them when a collector starts on it. The relay's SQL is pinned
 * below as text (regenerate on purpose with `vitest -u`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { openConnection } from '../../src/storage/clickhouse/connection.js';
import { heldInstancesSql, mailboxSql, relayTables } from '../../src/storage/clickhouse/control-relay-sql.js';
import { tablesOf } from '../../src/storage/clickhouse/tables.js';
import { api, eventually, startTestCollector } from '../fixtures/collector.js';
import { connectInstance, seedFinished, seedRunning, type FakeInstance } from '../fixtures/control-service.js';
import { chdbDir, freshDatabase, openChdbStore, removeChdbDir } from './chdb-store.js';

const QUERY = 'query-secret';
const CONTROL = 'control-secret';
const asQuery = { authorization: `Bearer ${QUERY}` };
const asControl = { authorization: `Bearer ${CONTROL}` };
const FLOWS = [{ id: 'checkout-id', name: 'checkout', cancel: true, replay: true }];
const RELAY_TABLES = ['control_instances', 'control_mailbox'];

afterAll(() => removeChdbDir());

/** A collector with control on, on the ClickHouse database `database` of this process's chDB engine. */
function collectorOn(database: string): Promise<RunningServer> {
  return startTestCollector({
    storage: 'clickhouse', clickhouse: { url: `chdb:${chdbDir()}`, database }, queryToken: QUERY, controlToken: CONTROL, controlAnswerTimeoutMs: 3_000,
  });
}

const listed = async (server: RunningServer): Promise<string[]> =>
  (await api(server.url, '/api/control', { headers: asQuery })).body.instances.map((i: { instanceId: string }) => i.instanceId);
const cancel = (server: RunningServer, traceId: string) =>
  api(server.url, `/api/executions/${traceId}/cancel`, { method: 'POST', headers: asControl, json: { requestedBy: 'ann (test)' } });
const replay = (server: RunningServer, traceId: string, body: Record<string, unknown> = {}) =>
  api(server.url, `/api/executions/${traceId}/replay`, { method: 'POST', headers: asControl, json: { requestedBy: 'ann (test)', ...body } });
const visible = (server: RunningServer, traceId: string) =>
  eventually(async () => (await api(server.url, `/api/executions/${traceId}`, { headers: asQuery })).status === 200);
/** The request the instance heard, or a failure naming what the collector answered instead of passing it on. */
const heard = (svc: FakeInstance, answer: Promise<{ status: number; body: any }>) =>
  Promise.race([svc.next(), answer.then((r) => Promise.reject(new Error(`answered ${r.status} ${r.body.code ?? r.body.outcome} before the instance heard the request`)))]);
const logRows = async (server: RunningServer, requestId: string): Promise<unknown[][]> =>
  (await api(server.url, '/api/sql', { method: 'POST', headers: asQuery, json: { sql: `SELECT action, outcome, instance_id FROM control_log WHERE request_id = '${requestId}'` } })).body.rows;

describe('control of runs across collectors on one ClickHouse database', () => {
  let a: RunningServer;
  let b: RunningServer;
  let database: string;
  const instances: FakeInstance[] = [];
  /** An instance of `service` connected to collector A, once B lists it. */
  const onA = async (service: string): Promise<FakeInstance> => {
    const instance = await connectInstance(a.url, service, FLOWS);
    instances.push(instance);
    await eventually(async () => (await listed(b)).includes(instance.instanceId));
    return instance;
  };

  beforeAll(async () => {
    database = freshDatabase('relay');
    a = await collectorOn(database);
    b = await collectorOn(database);
  });
  afterAll(async () => {
    for (const i of instances) i.close();
    await a?.close();
    await b?.close();
  });

  it('lists on collector B an instance connected to collector A, with the flows it announced', async () => {
    const svc = await onA('shop-list');
    const status = await api(b.url, '/api/control', { headers: asQuery });
    expect(status.status).toBe(200);
    expect(status.body.enabled).toBe(true);
    const shown = status.body.instances.find((i: { instanceId: string }) => i.instanceId === svc.instanceId);
    expect(shown).toMatchObject({ service: 'shop-list', flows: [{ id: 'checkout-id', name: 'checkout', cancel: true, replay: true }] });
    expect(Date.parse(shown.connectedAt)).toBeGreaterThan(0);
  });

  it('cancels through collector B a run whose instance is connected to A: the instance hears it once, the log has it once, a second cancel is a no-op', async () => {
    const svc = await onA('shop-cancel');
    const run = await seedRunning(a.url, 'shop-cancel', 'checkout');
    await visible(b, run.traceId);
    const answer = cancel(b, run.traceId);
    const request = await heard(svc, answer);
    expect(request).toMatchObject({ action: 'cancel', traceId: run.traceId, flowId: 'checkout-id', requestedBy: 'ann (test)' });
    expect(await svc.reply(request.id, { outcome: 'cancelled' })).toBe(204);
    const first = await answer;
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ action: 'cancel', outcome: 'cancelled', traceId: run.traceId, instanceId: svc.instanceId });
    expect(await logRows(b, first.body.requestId)).toEqual([['cancel', 'cancelled', svc.instanceId]]);

    const second = await cancel(b, run.traceId);
    expect(second.body.outcome).toBe('already_cancelled');
    const third = await cancel(a, run.traceId);
    expect(third.body.outcome).toBe('already_cancelled');

    // A's next read of its mailbox looks back over the cancel again: the replay it delivers comes alone.
    const failed = await seedFinished(a.url, 'shop-cancel', 'checkout', '{"orderId":"o-9"}');
    await visible(b, failed.traceId);
    const replayed = replay(b, failed.traceId);
    const next = await heard(svc, replayed);
    await svc.reply(next.id, { outcome: 'started' });
    expect((await replayed).status).toBe(202);
    expect(svc.requests.map((r) => r.action)).toEqual(['cancel', 'replay']);
  });

  it('replays through collector B in the instance connected to A, answering with the trace id the replay started', async () => {
    const svc = await onA('shop-replay');
    const failed = await seedFinished(a.url, 'shop-replay', 'checkout', '{"orderId":"o-1"}');
    await visible(b, failed.traceId);
    const answer = replay(b, failed.traceId, { input: { orderId: 'o-2' } });
    const request = await heard(svc, answer);
    expect(request).toMatchObject({ action: 'replay', flowId: 'checkout-id', input: { orderId: 'o-2' }, origin: { traceId: failed.traceId, spanId: failed.rootSpanId } });
    await svc.reply(request.id, { outcome: 'started', traceId: 'cd'.repeat(16) });
    const started = await answer;
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ outcome: 'started', instanceId: svc.instanceId, newTraceId: 'cd'.repeat(16) });
    expect(svc.requests).toHaveLength(1);
    expect(await logRows(b, started.body.requestId)).toEqual([['replay', 'started', svc.instanceId]]);
  });

  it('answers no_answer through collector B when the instance on A never answers, as one collector does', async () => {
    const svc = await onA('shop-silent');
    const run = await seedRunning(a.url, 'shop-silent', 'checkout');
    await visible(b, run.traceId);
    const silent = await cancel(b, run.traceId);
    expect(silent.status).toBe(504);
    expect(silent.body.code).toBe('FT_CONTROL_NO_ANSWER');
    expect(svc.requests).toHaveLength(1);
  });

  it('answers connection_lost through collector B when the instance drops its connection to A before answering', async () => {
    const svc = await onA('shop-drop');
    const run = await seedRunning(a.url, 'shop-drop', 'checkout');
    await visible(b, run.traceId);
    const answer = cancel(b, run.traceId);
    await heard(svc, answer);
    svc.close();
    const lost = await answer;
    expect(lost.status).toBe(503);
    expect(lost.body.code).toBe('FT_CONTROL_CONNECTION_LOST');
  });

  it('carries to A the answer and the flows an instance connected to A posts to B (a load balancer\'s choice)', async () => {
    const svc = await onA('shop-balanced');
    const run = await seedRunning(a.url, 'shop-balanced', 'checkout');
    await visible(b, run.traceId);
    const answer = cancel(b, run.traceId);
    const request = await heard(svc, answer);
    const report = (body: Record<string, unknown>) =>
      fetch(`${b.url}/v1/control/report`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instanceId: svc.instanceId, ...body }) });
    expect((await report({ replies: [{ id: request.id, outcome: 'cancelled' }] })).status).toBe(204);
    const cancelled = await answer;
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ outcome: 'cancelled', instanceId: svc.instanceId });

    const later = { id: 'refund-id', name: 'refund', cancel: false, replay: true };
    expect((await report({ flows: [...FLOWS, later] })).status).toBe(204);
    await eventually(async () => {
      const status = await api(a.url, '/api/control', { headers: asQuery });
      return status.body.instances.find((i: { instanceId: string }) => i.instanceId === svc.instanceId)?.flows.some((f: { id: string }) => f.id === 'refund-id');
    });
    const unknown = await fetch(`${b.url}/v1/control/report`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instanceId: 'nobody-anywhere', replies: [] }) });
    expect(unknown.status).toBe(404);
  });

  it('forgets an instance whose collector stopped beating (crashed): a request meanwhile times out, then it is refused as no_instance', async () => {
    const run = await seedRunning(a.url, 'shop-crashed', 'checkout');
    await visible(b, run.traceId);
    const conn = await openConnection({ kind: 'chdb', path: chdbDir() });
    try {
      // The last beat a collector that crashed left behind: nobody reads its mailbox any more.
      await conn.insert(`\`${database}\`.control_instances`, [{
        instance_id: 'shop-crashed-1', collector_id: 'a-crashed-collector', service: 'shop-crashed', connected_at: String(Date.now()), flows: JSON.stringify(FLOWS), held: 1,
      }]);
    } finally {
      await conn.close();
    }
    expect(await listed(b)).toContain('shop-crashed-1');
    const silent = await cancel(b, run.traceId);
    expect(silent.status).toBe(504);
    expect(silent.body.code).toBe('FT_CONTROL_NO_ANSWER');
    await eventually(async () => !(await listed(b)).includes('shop-crashed-1') && !(await listed(a)).includes('shop-crashed-1'));
    const refused = await cancel(b, run.traceId);
    expect(refused.body.code).toBe('FT_CONTROL_NO_INSTANCE');
  });

  it('takes an instance that disconnects from A off B\'s list, and then refuses a request for it at once (no_instance)', async () => {
    const svc = await onA('shop-gone');
    const run = await seedRunning(a.url, 'shop-gone', 'checkout');
    await visible(b, run.traceId);
    svc.close();
    await eventually(async () => !(await listed(b)).includes(svc.instanceId));
    const refused = await cancel(b, run.traceId);
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('FT_CONTROL_NO_INSTANCE');
    expect(svc.requests).toEqual([]);
  });
});

describe('the relay\'s tables on a database of the previous schema', () => {
  it('are created when a collector starts on a database that lacks them', async () => {
    const database = freshDatabase('relay_old');
    const conn = await openConnection({ kind: 'chdb', path: chdbDir() });
    const tablesNow = async (): Promise<string[]> =>
      (await conn.query('SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name', { db: database })).map((r) => String(r.name));
    try {
      const first = await openChdbStore({ database, changeFeedPollMs: 0 });
      await first.close();
      // What a collector of the previous schema left: the same version, without the relay's tables.
      for (const table of RELAY_TABLES) await conn.command(`DROP TABLE IF EXISTS \`${database}\`.\`${table}\` SYNC`);
      expect(await tablesNow()).not.toEqual(expect.arrayContaining(RELAY_TABLES));
      const reopened = await openChdbStore({ database, changeFeedPollMs: 0 });
      await reopened.close();
      expect(await tablesNow()).toEqual(expect.arrayContaining(RELAY_TABLES));
    } finally {
      await conn.command(`DROP DATABASE IF EXISTS \`${database}\` SYNC`);
      await conn.close();
    }
  });
});

describe('the relay\'s SQL (pinned)', () => {
  const tables = relayTables(tablesOf('ft'));
  it('lists the instances other collectors hold: all, of a service, one instance', () => {
    expect(heldInstancesSql(tables.instances, 'all')).toMatchInlineSnapshot(`
      "SELECT instance_id, argMax(collector_id, pair_connected) AS holder, argMax(pair_service, pair_connected) AS service_name,
        max(pair_connected) AS connected_ms, argMax(pair_flows, pair_connected) AS flow_list
      FROM (
        SELECT instance_id, collector_id, argMax(service, beat_ns) AS pair_service, argMax(connected_at, beat_ns) AS pair_connected,
          argMax(flows, beat_ns) AS pair_flows, argMax(held, beat_ns) AS pair_held
        FROM \`ft\`.\`control_instances\`
        WHERE beat_ns > toUnixTimestamp64Nano(now64(9)) - {window:Int64} AND collector_id != {me:String}
        GROUP BY instance_id, collector_id
      )
      WHERE pair_held = 1
      GROUP BY instance_id
      ORDER BY connected_ms, instance_id"
    `);
    expect(heldInstancesSql(tables.instances, 'service')).toMatchInlineSnapshot(`
      "SELECT instance_id, argMax(collector_id, pair_connected) AS holder, argMax(pair_service, pair_connected) AS service_name,
        max(pair_connected) AS connected_ms, argMax(pair_flows, pair_connected) AS flow_list
      FROM (
        SELECT instance_id, collector_id, argMax(service, beat_ns) AS pair_service, argMax(connected_at, beat_ns) AS pair_connected,
          argMax(flows, beat_ns) AS pair_flows, argMax(held, beat_ns) AS pair_held
        FROM \`ft\`.\`control_instances\`
        WHERE beat_ns > toUnixTimestamp64Nano(now64(9)) - {window:Int64} AND collector_id != {me:String}
        GROUP BY instance_id, collector_id
      )
      WHERE pair_held = 1 AND pair_service = {service:String}
      GROUP BY instance_id
      ORDER BY connected_ms, instance_id"
    `);
    expect(heldInstancesSql(tables.instances, 'instance')).toMatchInlineSnapshot(`
      "SELECT instance_id, argMax(collector_id, pair_connected) AS holder, argMax(pair_service, pair_connected) AS service_name,
        max(pair_connected) AS connected_ms, argMax(pair_flows, pair_connected) AS flow_list
      FROM (
        SELECT instance_id, collector_id, argMax(service, beat_ns) AS pair_service, argMax(connected_at, beat_ns) AS pair_connected,
          argMax(flows, beat_ns) AS pair_flows, argMax(held, beat_ns) AS pair_held
        FROM \`ft\`.\`control_instances\`
        WHERE beat_ns > toUnixTimestamp64Nano(now64(9)) - {window:Int64} AND collector_id != {me:String} AND instance_id = {instance:String}
        GROUP BY instance_id, collector_id
      )
      WHERE pair_held = 1
      GROUP BY instance_id
      ORDER BY connected_ms, instance_id"
    `);
  });

  it('reads one collector\'s mailbox over the look-back, leaving out what it read', () => {
    expect(mailboxSql(tables.mailbox)).toMatchInlineSnapshot(`
      "SELECT kind, message_id, from_collector, instance_id, timeout_ms, body,
        intDiv(toUnixTimestamp64Nano(now64(9)) - sent_ns, 1000000) AS age_ms
      FROM \`ft\`.\`control_mailbox\`
      WHERE to_collector = {me:String} AND sent_ns > toUnixTimestamp64Nano(now64(9)) - {lookback:Int64}
        AND concat(kind, ':', message_id) NOT IN {seen:Array(String)}
      ORDER BY sent_ns, message_id"
    `);
  });
});
