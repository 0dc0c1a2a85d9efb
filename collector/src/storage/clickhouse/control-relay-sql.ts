/**
 * The control relay's SQL and rows (tables: control-relay-schema.ts). Every time compared here is
 * the server's clock (`now64(9)` against the `beat_ns`/`sent_ns` it stamped), so collectors whose
 * clocks disagree agree on what is fresh. Aliases never repeat a column's name: ClickHouse would
 * put the aggregate in place of the column in the other expressions of the same SELECT.
 */
import type { ControlAnswerRecord, ControlInstanceRecord } from '../contract.js';
import type { Row } from './connection.js';
import { RELAY_TABLE_NAMES } from './control-relay-schema.js';
import { ident } from './schema-render.js';
import type { Tables } from './tables.js';

export interface RelayTables {
  instances: string;
  mailbox: string;
}

/** The relay's tables in the database of `t` (on a cluster, their Distributed tables). */
export function relayTables(t: Tables): RelayTables {
  return { instances: `${ident(t.db)}.${ident(RELAY_TABLE_NAMES.instances)}`, mailbox: `${ident(t.db)}.${ident(RELAY_TABLE_NAMES.mailbox)}` };
}

export const INSTANCE_COLUMNS = ['instance_id', 'collector_id', 'service', 'connected_at', 'flows', 'held'] as const;

/** A beat of an instance a collector holds. */
export function heldRow(collectorId: string, i: ControlInstanceRecord): unknown[] {
  return [i.instanceId, collectorId, i.service, String(Math.round(i.connectedAt)), JSON.stringify(i.flows), 1];
}

/** The row that lets an instance go. */
export function releasedRow(collectorId: string, instanceId: string): unknown[] {
  return [instanceId, collectorId, '', '0', '[]', 0];
}

/**
 * Instances held by collectors other than `{me}`: the latest row of each (instance, collector)
 * pair beaten within `{window}` ns says whether it is held; of an instance held at two collectors
 * (it reconnected elsewhere before the old one's beats ran out) the latest connection wins.
 * Parameters: me, window, and service or instance when `by` names one.
 */
export function heldInstancesSql(table: string, by: 'all' | 'service' | 'instance'): string {
  // The service is filtered on the pair's latest row: a row that lets an instance go names none.
  const ofInstance = by === 'instance' ? ' AND instance_id = {instance:String}' : '';
  const ofService = by === 'service' ? ' AND pair_service = {service:String}' : '';
  return `SELECT instance_id, argMax(collector_id, pair_connected) AS holder, argMax(pair_service, pair_connected) AS service_name,
  max(pair_connected) AS connected_ms, argMax(pair_flows, pair_connected) AS flow_list
FROM (
  SELECT instance_id, collector_id, argMax(service, beat_ns) AS pair_service, argMax(connected_at, beat_ns) AS pair_connected,
    argMax(flows, beat_ns) AS pair_flows, argMax(held, beat_ns) AS pair_held
  FROM ${table}
  WHERE beat_ns > toUnixTimestamp64Nano(now64(9)) - {window:Int64} AND collector_id != {me:String}${ofInstance}
  GROUP BY instance_id, collector_id
)
WHERE pair_held = 1${ofService}
GROUP BY instance_id
ORDER BY connected_ms, instance_id`;
}

/** A row of heldInstancesSql as the contract's record (flows that do not parse as a list: none). */
export function instanceOf(row: Row): ControlInstanceRecord & { holder: string } {
  let flows: ControlInstanceRecord['flows'] = [];
  try {
    const parsed = JSON.parse(String(row.flow_list)) as unknown;
    if (Array.isArray(parsed)) flows = parsed as ControlInstanceRecord['flows'];
  } catch {
    // written by JSON.stringify (heldRow): only a foreign row lands here, and then it announces nothing
  }
  return { service: String(row.service_name), instanceId: String(row.instance_id), connectedAt: Number(row.connected_ms), flows, holder: String(row.holder) };
}

export const MAILBOX_COLUMNS = ['to_collector', 'message_id', 'kind', 'from_collector', 'instance_id', 'timeout_ms', 'body'] as const;

export type MessageKind = 'request' | 'answer' | 'report';

export function messageRow(to: string, id: string, kind: MessageKind, from: string, instanceId: string, timeoutMs: number, body: unknown): unknown[] {
  return [to, id, kind, from, instanceId, Math.max(0, Math.round(timeoutMs)), JSON.stringify(body)];
}

/**
 * The messages to `{me}` sent within `{lookback}` ns, but those named in `{seen}` (`kind:id`),
 * oldest first, with their age on the server's clock.
 */
export function mailboxSql(table: string): string {
  return `SELECT kind, message_id, from_collector, instance_id, timeout_ms, body,
  intDiv(toUnixTimestamp64Nano(now64(9)) - sent_ns, 1000000) AS age_ms
FROM ${table}
WHERE to_collector = {me:String} AND sent_ns > toUnixTimestamp64Nano(now64(9)) - {lookback:Int64}
  AND concat(kind, ':', message_id) NOT IN {seen:Array(String)}
ORDER BY sent_ns, message_id`;
}

/** An answer as the mailbox carries it back (anything unreadable: lost, the request may not have been carried out). */
export function answerOf(body: string): ControlAnswerRecord {
  try {
    const a = JSON.parse(body) as Partial<ControlAnswerRecord> & { outcome?: unknown; message?: unknown; traceId?: unknown };
    if (a.kind === 'timeout') return { kind: 'timeout' };
    if (a.kind === 'answered' && typeof a.outcome === 'string') {
      return {
        kind: 'answered', outcome: a.outcome,
        ...(typeof a.message === 'string' ? { message: a.message } : {}), ...(typeof a.traceId === 'string' ? { traceId: a.traceId } : {}),
      };
    }
  } catch {
    // fall through
  }
  return { kind: 'lost' };
}
