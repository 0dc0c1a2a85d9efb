/**
 * The schema's statements for one database, on one node or on a cluster (schema-apply.ts runs
 * them): the prelude that makes the version readable, the DDL of SCHEMA, upgrade steps and TTL
 * changes, each rendered by the single-node renderer or the cluster one (cluster-ddl.ts).
 */
import { CLUSTER_INSERT_SETTINGS, clusterDdl, clusterTtlAlterations } from './cluster-ddl.js';
import { settingsClause } from './connection.js';
import type { SchemaPlan } from './schema-apply.js';
import { singleNodeDdl, ttlAlterations } from './schema-render.js';
import { FLOWTRACE_META } from './schema-side.js';
import { clusterStep, singleNodeStep } from './schema-upgrade.js';

export function schemaPlan(database: string, cluster: string | undefined, ageSeconds: number | undefined): SchemaPlan {
  if (cluster !== undefined) {
    return {
      prelude: clusterDdl(database, cluster, ageSeconds, [FLOWTRACE_META]),
      ddl: clusterDdl(database, cluster, ageSeconds),
      step: clusterStep(database, cluster, settingsClause({ ...CLUSTER_INSERT_SETTINGS })),
      ttlDdl: (age) => clusterTtlAlterations(database, cluster, age),
    };
  }
  return {
    prelude: singleNodeDdl(database, ageSeconds, [FLOWTRACE_META]),
    ddl: singleNodeDdl(database, ageSeconds),
    step: singleNodeStep(database),
    ttlDdl: (age) => ttlAlterations(database, age),
  };
}
