/**
 * The ClickHouse schema of flowtrace, as DATA: one list of statements that the single-node
 * renderer (schema-render.ts, this engine) and the cluster transform (CH-EDGE: local tables on
 * every shard + `Distributed` tables, `ON CLUSTER`) both turn into DDL text.
 *
 * ## The format (agreed between CLICKHOUSE and CH-EDGE; change only together)
 * `SCHEMA` is an ordered `SchemaObject[]`:
 * - `{ kind: 'table', name, columns, indexes, engine, partitionBy?, orderBy, ttlTime?, fixedTtl?, settings, shardBy }`
 *   - `name` is the LOGICAL name every read and write uses (`span_data`, `execution_rollup` …). On one node
 *     it is the table itself. On a cluster the transform creates `<name>_local` with
 *     `Replicated<engine.family>('/clickhouse/tables/{shard}/<db>/<name>_local', '{replica}', ...engine.args)`
 *     on every shard and `<name>` as `Distributed(<cluster>, <db>, <name>_local, <shardBy>)`.
 *   - `columns` / `indexes`: the text of each column and skip index exactly as it goes between the
 *     parentheses of CREATE TABLE (`trace_id String CODEC(ZSTD(1))`, `INDEX … TYPE … GRANULARITY n`).
 *   - `engine`: `{ family: 'MergeTree' | 'ReplacingMergeTree' | 'AggregatingMergeTree', args: string[] }`
 *     (args: the version column of a ReplacingMergeTree).
 *   - `orderBy`, `partitionBy`: expression text without the keywords.
 *   - `ttlTime`: a DateTime expression of the row; with a TTL age the renderer adds
 *     `TTL <ttlTime> + toIntervalSecond(<age>)` (and re-applies it with `ALTER TABLE … MODIFY TTL`
 *     when the age changes). The storage passes twice the retention age: TTL is the backstop,
 *     retention's passes delete whole traces at the age (storage.ts). Absent: the table has no TTL (the schema meta row).
 *   - `fixedTtl`: a whole TTL expression the table always has (`… + INTERVAL 1 HOUR`), retention or not.
 *   - `settings`: `key = value` texts for the SETTINGS clause.
 *   - `shardBy`: the Distributed sharding expression, or `null` for a table every shard keeps whole
 *     (none today). Everything keyed by a trace shards by `cityHash64(trace_id)`, so a trace's
 *     spans, lines, value index rows and rollup row live on one shard and the materialized view
 *     (which sees only the local insert block) builds a complete rollup there.
 * - `{ kind: 'materializedView', name, to, from, select, groupBy }`: `CREATE MATERIALIZED VIEW <name>
 *   TO <to> AS SELECT <select> FROM <from> GROUP BY <groupBy>` (`select` without the keyword).
 *   On a cluster the transform points it at the local tables (`<name>_local TO <to>_local … FROM
 *   <from>_local`): inserts through the Distributed table reach the local table, whose view fills
 *   the local rollup of the same shard.
 * Every name is unqualified; the renderer qualifies it with the database (`<db>.<name>`).
 * `SCHEMA_VERSION` is stored in `flowtrace_meta`; a collector refuses a newer database and
 * upgrades an older one (schema-upgrade.ts: its steps are data too, rendered for one node or a cluster).
 *
 * ## Why this layout (see each table's comment)
 * Spans are a ReplacingMergeTree ordered by (trace_id, span_id): both are fixed when a span
 * starts, so the running row of a start mark (version 0) and the finished span (version 1) share a
 * sorting key and collapse, and any number of retries collapse to one row, whichever collector took
 * them. A trace read is a primary-key range (granules of 1024 rows, as trace stores on ClickHouse
 * use). Time-bounded span scans go through the rollup's trace ids rather than the span order.
 */
import type { SchemaObject } from './schema-types.js';
import { SPAN_TABLES } from './schema-spans.js';
import { SIDE_TABLES } from './schema-side.js';
import { CONTROL_RELAY_TABLES } from './control-relay-schema.js';

export type { MaterializedViewDdl, SchemaObject, TableDdl } from './schema-types.js';

/**
 * The version of this schema; bump it with every change of SCHEMA, with the upgrade from the
 * previous one in schema-upgrade.ts. 2: the rollup's root packed as text ranked by UInt256
 * (rollup-sql.ts), resource attributes and running spans in the value index, ids in the change feed.
 */
export const SCHEMA_VERSION = 2;

/** Every object, in creation order (a view after the tables it reads and fills). */
export const SCHEMA: readonly SchemaObject[] = [...SPAN_TABLES, ...SIDE_TABLES, ...CONTROL_RELAY_TABLES];
