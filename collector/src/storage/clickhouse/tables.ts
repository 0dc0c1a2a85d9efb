/**
 * The qualified names of one database's tables (`db`.`span_data` …): every statement of this
 * engine names its tables through here, so one process can hold Storage objects on several
 * databases of one ClickHouse (or one chDB engine) without a session default. On a cluster
 * (cluster-ddl.ts) reads and inserts name the Distributed tables (the same logical names), while
 * DELETE and ALTER name each node's local table ON CLUSTER (a Distributed table takes neither),
 * inserts wait for every shard's quorum, and sizes come from every replica's parts.
 */
import { CLUSTER_INSERT_SETTINGS, localTable } from './cluster-ddl.js';
import type { Settings } from './connection.js';
import { ident } from './schema-render.js';

export interface Tables {
  db: string;
  /** The cluster's name, when the schema is a cluster's. */
  cluster: string | undefined;
  spans: string;
  rollup: string;
  logs: string;
  values: string;
  metrics: string;
  control: string;
  feed: string;
  meta: string;
  /** What DELETE and ALTER name for a table named above (its local tables ON CLUSTER on a cluster). */
  mutable(table: string): string;
  /** Settings every INSERT carries besides async_insert = 0. */
  insertSettings: Settings;
  /** The system.parts of every node that holds this database's data. */
  parts: string;
}

const NAMES = {
  spans: 'span_data', rollup: 'execution_rollup', logs: 'log_data', values: 'attribute_values', metrics: 'metric_data',
  control: 'control_log', feed: 'change_feed', meta: 'flowtrace_meta',
} as const;

export function tablesOf(db: string, cluster?: string): Tables {
  const q = (name: string): string => `${ident(db)}.${ident(name)}`;
  const local = new Map(Object.values(NAMES).map((name) => [q(name), `${localTable(db, name)} ON CLUSTER ${ident(cluster ?? '')}`]));
  return {
    db,
    cluster,
    spans: q(NAMES.spans),
    rollup: q(NAMES.rollup),
    logs: q(NAMES.logs),
    values: q(NAMES.values),
    metrics: q(NAMES.metrics),
    control: q(NAMES.control),
    feed: q(NAMES.feed),
    meta: q(NAMES.meta),
    mutable: (table) => (cluster === undefined ? table : (local.get(table) ?? table)),
    insertSettings: cluster === undefined ? {} : { ...CLUSTER_INSERT_SETTINGS },
    parts: cluster === undefined ? 'system.parts' : `clusterAllReplicas(${ident(cluster)}, system.parts)`,
  };
}
