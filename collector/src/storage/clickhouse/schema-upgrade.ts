/**
 * Bringing a database of an older schema version to this one, as data rendered for one node or a
 * cluster (like schema.ts's DDL): what is dropped or altered before the DDL creates the missing
 * objects, and what is filled in after it from the data already stored.
 *
 * From version 1 (before CH-PERF's change):
 * - change_feed is dropped and created anew: its rows carried notices, now ids (it only holds an
 *   hour of live events; notices of the last moments before the upgrade are not replayed);
 * - the rollup and its view are dropped, created anew (packed roots ranked by UInt256:
 *   rollup-sql.ts), and filled again from span_data with the view's own SELECT;
 * - attribute_values gets span_id (a running span's attribute) at the end of its sorting key
 *   (ClickHouse extends a sorting key with a column added in the same ALTER, without rewriting
 *   data), and the rows version 1 did not write — resource attributes, running spans — are added
 *   from span_data (value-index-sql.ts).
 * Collectors of version 1 must be stopped first: one still running keeps writing spans (the new
 * view rolls them up) but its reads of executions and its change feed fail; one started on the
 * upgraded database refuses it (ClickHouseSchemaVersionError).
 * Every step may run twice (two collectors upgrading at once, or a retry after a failed start):
 * drops say IF EXISTS, the DDL says IF NOT EXISTS, a fill repeats rows the tables collapse
 * (AggregatingMergeTree's aggregates ignore repeats; the index is a ReplacingMergeTree), and the
 * ALTER is skipped once the column is in the sorting key.
 */
import { localTable, LOCAL_SUFFIX } from './cluster-ddl.js';
import { ident } from './schema-render.js';
import type { TableDdl } from './schema-types.js';
import { EXECUTION_ROLLUP, EXECUTION_ROLLUP_VIEW } from './schema-spans.js';
import { missingIndexRowsSql } from './value-index-sql.js';

/** One step of an upgrade; table names are logical (schema.ts), `{name}` in SQL texts stands for a table's qualified name. */
export type UpgradeStep =
  | { kind: 'drop'; name: string; view: boolean }
  | { kind: 'extendKey'; name: string; column: string; definition: string; orderBy: string }
  | { kind: 'fill'; into: string; columns: readonly string[]; select: string };

export interface Upgrade {
  from: number;
  /** Before the DDL runs. */
  before: UpgradeStep[];
  /** After the DDL has created what is missing. */
  after: UpgradeStep[];
}

const columnNames = (t: TableDdl): string[] => t.columns.map((c) => c.split(' ')[0]);

export const UPGRADES: readonly Upgrade[] = [
  {
    from: 1,
    before: [
      { kind: 'drop', name: 'change_feed', view: false },
      { kind: 'drop', name: 'execution_rollup_mv', view: true },
      { kind: 'drop', name: 'execution_rollup', view: false },
      { kind: 'extendKey', name: 'attribute_values', column: 'span_id', definition: 'span_id String CODEC(ZSTD(1))', orderBy: '(key, value, trace_id, span_id)' },
    ],
    after: [
      { kind: 'fill', into: 'execution_rollup', columns: columnNames(EXECUTION_ROLLUP), select: `SELECT ${EXECUTION_ROLLUP_VIEW.select} FROM {span_data} GROUP BY ${EXECUTION_ROLLUP_VIEW.groupBy}` },
      { kind: 'fill', into: 'attribute_values', columns: ['key', 'value', 'trace_id', 'span_id', 'start_ns'], select: missingIndexRowsSql('{span_data}') },
    ],
  },
];

/** The upgrades that bring a database from `version` to the current one, in order. */
export function upgradesFrom(version: number): Upgrade[] {
  return UPGRADES.filter((u) => u.from >= version);
}

/**
 * A step as statements, on one node or on a cluster. `keyed`: the table (unqualified, in the
 * database) whose sorting key already holding the column means the step is done (an extendKey's).
 */
export type StepStatements = (step: UpgradeStep) => { statements: string[]; keyed?: { table: string; column: string } };

const qualify = (db: string, sql: string): string => sql.replace(/\{([a-z_]+)\}/g, (_, name: string) => `${ident(db)}.${ident(name)}`);

/** The statements of a step on one node. */
export function singleNodeStep(db: string): StepStatements {
  return (step) => {
    const table = `${ident(db)}.${ident(step.kind === 'fill' ? step.into : step.name)}`;
    switch (step.kind) {
      case 'drop':
        return { statements: [`DROP ${step.view ? 'VIEW' : 'TABLE'} IF EXISTS ${table} SYNC`] };
      case 'extendKey':
        return {
          statements: [`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${step.definition}, MODIFY ORDER BY ${step.orderBy}`],
          keyed: { table: step.name, column: step.column },
        };
      case 'fill':
        return { statements: [`INSERT INTO ${table} (${step.columns.join(', ')}) ${qualify(db, step.select)}`] };
    }
  };
}

/**
 * The statements of a step on a cluster: drops and ALTERs name each node's local table ON CLUSTER
 * (and the Distributed table, which has the columns but no key), fills insert through the
 * Distributed tables (sharded by trace id, like every write) and wait for the shards' quorum.
 */
export function clusterStep(db: string, cluster: string, insertSettings: string): StepStatements {
  const on = `ON CLUSTER ${ident(cluster)}`;
  return (step) => {
    switch (step.kind) {
      case 'drop':
        return {
          statements: step.view
            ? [`DROP VIEW IF EXISTS ${localTable(db, step.name)} ${on} SYNC`]
            : [`DROP TABLE IF EXISTS ${ident(db)}.${ident(step.name)} ${on} SYNC`, `DROP TABLE IF EXISTS ${localTable(db, step.name)} ${on} SYNC`],
        };
      case 'extendKey':
        return {
          statements: [
            `ALTER TABLE ${localTable(db, step.name)} ${on} ADD COLUMN IF NOT EXISTS ${step.definition}, MODIFY ORDER BY ${step.orderBy}`,
            `ALTER TABLE ${ident(db)}.${ident(step.name)} ${on} ADD COLUMN IF NOT EXISTS ${step.definition}`,
          ],
          keyed: { table: step.name + LOCAL_SUFFIX, column: step.column },
        };
      case 'fill':
        return { statements: [`INSERT INTO ${ident(db)}.${ident(step.into)} (${step.columns.join(', ')}) ${qualify(db, step.select)}${insertSettings}`] };
    }
  };
}
