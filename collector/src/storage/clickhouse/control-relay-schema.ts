/**
 * The tables of the control relay (control-relay.ts; format: schema.ts): which service instances
 * each collector holds a control connection to, and the mailbox that carries control requests to
 * the collector holding an instance and its answers back. Both hold seconds of state, not history
 * (the control log keeps that): a fixed TTL of an hour clears them whatever the retention.
 * Neither names a trace, so neither shards by trace id; on a cluster the Distributed table spreads
 * rows by instance and by addressee, and every read goes through it.
 */
import type { TableDdl } from './schema-types.js';

/**
 * One row per heartbeat of a collector for each instance it holds (`held` 1), and one when it
 * lets an instance go (`held` 0). The latest row of an (instance, collector) pair is its state; a
 * pair whose latest beat is older than the relay's window is gone (its collector stopped beating:
 * crashed or cut off). Times are the server's clock (`beat_ns` by default), so collectors' clocks
 * never meet. Old beats collapse on merge (ReplacingMergeTree by beat).
 */
export const CONTROL_INSTANCES: TableDdl = {
  kind: 'table',
  name: 'control_instances',
  columns: [
    'instance_id String',
    'collector_id String',
    'service String',
    // epoch milliseconds, when the instance connected to its collector
    'connected_at Int64',
    // the flows it announced, as JSON ([{ id, name, version?, cancel, replay }])
    'flows String CODEC(ZSTD(1))',
    'held UInt8',
    'beat_ns Int64 DEFAULT toUnixTimestamp64Nano(now64(9))',
  ],
  indexes: [],
  engine: { family: 'ReplacingMergeTree', args: ['beat_ns'] },
  orderBy: '(instance_id, collector_id)',
  fixedTtl: 'toDateTime(intDiv(beat_ns, 1000000000)) + INTERVAL 1 HOUR',
  settings: [],
  shardBy: 'cityHash64(instance_id)',
};

/**
 * Messages to one collector: `request` (a control request for an instance it holds, with the
 * answer timeout it was sent with), `answer` (what a request it sent came to) and `report` (what an
 * instance it holds posted to another collector: answers, flows). Each collector
 * reads only its own rows, by the key prefix `to_collector`, over a look-back window of the
 * server's clock.
 */
export const CONTROL_MAILBOX: TableDdl = {
  kind: 'table',
  name: 'control_mailbox',
  columns: [
    'to_collector String',
    'sent_ns Int64 DEFAULT toUnixTimestamp64Nano(now64(9))',
    // the request's id, for its request and its answer alike
    'message_id String',
    'kind LowCardinality(String)',
    'from_collector String',
    'instance_id String',
    'timeout_ms UInt32',
    // a request's payload, an answer or a report, as JSON
    'body String CODEC(ZSTD(1))',
  ],
  indexes: [],
  engine: { family: 'MergeTree', args: [] },
  orderBy: '(to_collector, sent_ns, message_id)',
  fixedTtl: 'toDateTime(intDiv(sent_ns, 1000000000)) + INTERVAL 1 HOUR',
  settings: [],
  shardBy: 'cityHash64(to_collector)',
};

export const CONTROL_RELAY_TABLES = [CONTROL_INSTANCES, CONTROL_MAILBOX] as const;

/** The relay's tables' logical names, for the relay's SQL. */
export const RELAY_TABLE_NAMES = { instances: CONTROL_INSTANCES.name, mailbox: CONTROL_MAILBOX.name } as const;
