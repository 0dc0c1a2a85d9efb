/**
 * The shapes of the ClickHouse schema as data (see schema.ts for the format and who reads it).
 * Pure types: no client, no rendering.
 */

export type EngineFamily = 'MergeTree' | 'ReplacingMergeTree' | 'AggregatingMergeTree';

/** One MergeTree-family table, under its logical name. */
export interface TableDdl {
  kind: 'table';
  name: string;
  /** Column definitions as they appear inside CREATE TABLE (…). */
  columns: readonly string[];
  /** Skip index definitions (`INDEX name expr TYPE t GRANULARITY n`). */
  indexes: readonly string[];
  engine: { family: EngineFamily; args: readonly string[] };
  partitionBy?: string;
  orderBy: string;
  /** A DateTime expression of a row: what a retention age counts from (no TTL when absent). */
  ttlTime?: string;
  /** A TTL expression of the table's own, whatever the retention (the change feed's hour). */
  fixedTtl?: string;
  /** `key = value` texts of the SETTINGS clause. */
  settings: readonly string[];
  /** The Distributed table's sharding expression on a cluster; null: not sharded. */
  shardBy: string | null;
}

/** A materialized view that fills `to` from every block inserted into `from`. */
export interface MaterializedViewDdl {
  kind: 'materializedView';
  name: string;
  to: string;
  from: string;
  /** The select list, without SELECT. */
  select: string;
  /** The GROUP BY list, without the keywords. */
  groupBy: string;
}

export type SchemaObject = TableDdl | MaterializedViewDdl;
