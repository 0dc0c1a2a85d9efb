/**
 * The ClickHouse engine of the storage contract: connects (an HTTP(S) server, or chDB in-process
 * with `chdb:PATH`), brings the database to the schema, and builds the contract's Storage on one
 * connection — the writer (group commit of synchronous inserts), the read models, the change
 * feed across collectors, retention (TTL + passes), deletion, exports, the control log and the
 * SQL console's boundary. Any number of collectors (or Storage objects of one process) may open
 * one database: they hold no state the others need.
 */
import type { CommitNotice, Storage } from '../contract.js';
import { ChangeFeed } from './change-feed.js';
import { ClickHouseCatalog } from './catalog.js';
import { ClickHouseCommit } from './commit.js';
import { locationOf, openConnection, parseClickHouseUrl, type ClickHouseTarget } from './connection.js';
import { ClickHouseControlLog } from './control-log.js';
import { ClickHouseControlRelay } from './control-relay.js';
import { deleteTraces } from './deletion.js';
import { abandonAfterNs } from './execution-rows-sql.js';
import { ClickHouseExecutions } from './executions.js';
import { ClickHouseExports } from './exports.js';
import { ClickHouseGrafana } from './grafana.js';
import { loneLogs } from './lone-logs.js';
import { MetricReads } from '../metric-reads.js';
import { clickHouseMetricQuery } from './metrics.js';
import { ClickHouseRetention } from './retention.js';
import { applySchema } from './schema-apply.js';
import { schemaPlan } from './schema-plan.js';
import type { SqlConsoleFactory } from './sql-console-boundary.js';
import { clickHouseSqlConsole } from './sql-console-factory.js';
import { ClickHouseStatistics } from './statistics.js';
import { tablesOf } from './tables.js';
import { ClickHouseTraces } from './traces.js';
import { viewSql } from './views-sql.js';
import { BatchQueue } from '../batch-queue.js';

export interface ClickHouseOptions {
  /** `http(s)://host:8123` (a server) or `chdb:PATH` (chDB in this process, for tests and trying it). */
  url: string;
  /** Default 'flowtrace'. */
  database?: string;
  user?: string;
  password?: string;
  /** The cluster's name: the schema is created ON CLUSTER, sharded by trace id (cluster-ddl.ts). */
  cluster?: string;
  maxQueueRows?: number;
  maxGroupRows?: number;
  abandonAfterMs?: number;
  sqlTimeoutMs?: number;
  sqlMaxRows?: number;
  sqlMaxBytes?: number;
  /** The SQL console (default: sql-console-factory.ts's, as the storage's user). */
  sqlConsole?: SqlConsoleFactory;
  retention?: { maxAgeMs?: number; maxBytes?: number; intervalMs?: number };
  /** How often the change feed is polled (ms, default 1000; 0: only by `changes.pollOnce()`). */
  changeFeedPollMs?: number;
  onCommit?: (notice: CommitNotice) => void;
  onWriteError?: (error: unknown) => void;
  onRetentionError?: (error: unknown) => void;
}

/** A Storage on ClickHouse, with its engine-only parts typed (tests and tools). */
export interface ClickHouseStorage extends Storage {
  readonly engine: 'clickhouse';
  readonly target: ClickHouseTarget;
  /** The change feed: `pollOnce()` announces what other collectors stored since the last poll. */
  readonly changes: ChangeFeed;
  readonly retention: ClickHouseRetention;
}

export async function openClickHouseStorage(options: ClickHouseOptions): Promise<ClickHouseStorage> {
  const target = parseClickHouseUrl(options.url, options.user, options.password);
  const database = options.database ?? 'flowtrace';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`--clickhouse-database must be a plain name, got ${database}`);
  const conn = await openConnection(target);
  const t = tablesOf(database, options.cluster);
  // TTL is the backstop, at twice the age: ClickHouse drops expired rows row by row, even as they
  // are inserted, so a TTL at the age itself would take a trace's old spans before its young ones
  // and lines before retention's pass (which deletes whole traces at the age, and says what).
  const ageMs = options.retention?.maxAgeMs;
  const ageSeconds = ageMs === undefined ? undefined : (2 * ageMs) / 1000;
  try {
    await applySchema(conn, t, schemaPlan(database, options.cluster, ageSeconds), ageSeconds);
  } catch (error) {
    await conn.close();
    throw error;
  }
  const abandonAfterMs = options.abandonAfterMs ?? 600_000;
  const abandonNs = (): string => abandonAfterNs(abandonAfterMs);
  const executions = new ClickHouseExecutions(conn, t, abandonAfterMs);
  const statistics = new ClickHouseStatistics(conn, t, abandonAfterMs);
  const changes = new ChangeFeed(conn, t, executions, { pollMs: options.changeFeedPollMs, onNotice: options.onCommit, onError: options.onWriteError });
  const committer = new ClickHouseCommit(conn, t, executions, changes, options.onWriteError);
  const writer = new BatchQueue((batches, stats) => committer.commit(batches, stats), {
    maxQueueRows: options.maxQueueRows, maxGroupRows: options.maxGroupRows, onCommit: options.onCommit, onError: options.onWriteError,
  });
  const retention = new ClickHouseRetention(conn, t, { ...options.retention, abandonAfterMs, onError: options.onRetentionError });
  const sql = (options.sqlConsole ?? clickHouseSqlConsole())({
    conn, target, tables: t, viewSql: (kind) => viewSql(t, kind), abandonAfterNs: abandonNs,
    timeoutMs: options.sqlTimeoutMs ?? 10_000, maxRows: options.sqlMaxRows ?? 10_000, maxBytes: options.sqlMaxBytes ?? 64 * 2 ** 20,
  });
  const exports = new ClickHouseExports(conn, t, abandonNs);
  const controlRelay = new ClickHouseControlRelay(conn, t);
  await changes.start();
  retention.start();
  return {
    engine: 'clickhouse',
    location: `${locationOf(target)}#${database}`,
    notices: [],
    target,
    writer,
    executions,
    traces: new ClickHouseTraces(conn, t, executions),
    statistics,
    catalog: new ClickHouseCatalog(conn, t),
    grafana: new ClickHouseGrafana(conn, t),
    metrics: new MetricReads(clickHouseMetricQuery(conn, t)),
    sql,
    exports,
    retention,
    controlLog: new ClickHouseControlLog(conn, t),
    controlRelay,
    changes,
    loneLogs: (q) => loneLogs(conn, t, q),
    deleteExecutions: (traceIds) => deleteTraces(conn, t, traceIds),
    async close() {
      await retention.close();
      await sql.close();
      await exports.close();
      await writer.close();
      await changes.close();
      await controlRelay.stop();
      await conn.close();
    },
  };
}
