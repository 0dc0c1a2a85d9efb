// The storage engines the figures run on, side by side: how a collector process is started on
// each, where its data lives, how the spans it stored are counted, and how its storage writer is
// opened for a bulk load. DuckDB is a file; ClickHouse runs in-process through chDB
// (`--clickhouse-url chdb:PATH`, a data directory), the way the collector's tests run it.
// Invariant: a chDB engine binds one data directory per process, so anything that opens chDB
// runs in a process of its own (a collector process, or a child script), never in the bench's.
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { COLLECTOR_DIST } from './collector-dist.mjs';

export const DUCKDB = {
  key: 'duckdb',
  label: 'DuckDB',
  /** Where a database named `name` lives under `dir`. */
  location: (dir, name) => join(dir, `${name}.duckdb`),
  /** Extra `flowtrace start` flags (the path also goes to --db). */
  collectorArgs: () => [],
  /** Spans stored, asked through POST /api/sql in the engine's dialect. */
  countSpans: 'SELECT count(*) FROM span_data',
  remove(path) {
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
  },
  /** openStorage options for the storage writer (bulk load). */
  storageOptions: (path) => ({ path }),
};

export const CLICKHOUSE = {
  key: 'clickhouse',
  label: 'ClickHouse (chDB)',
  location: (dir, name) => join(dir, `${name}.chdb`),
  // --db is ignored with --storage clickhouse.
  collectorArgs: (path) => ['--storage', 'clickhouse', '--clickhouse-url', `chdb:${path}`],
  // FINAL: a span stored twice (a retry) is one span, as the reads count it.
  countSpans: 'SELECT count() FROM span_data FINAL',
  remove(path) {
    rmSync(path, { recursive: true, force: true });
  },
  storageOptions: (path) => ({ engine: 'clickhouse', clickhouse: { url: `chdb:${path}` } }),
};

/** The database ClickHouse's tables are in (the collector's default, --clickhouse-database). */
export const CLICKHOUSE_DATABASE = 'flowtrace';

/** "chDB 3.4.0 (ClickHouse 26.7.3-stable.1)" from the collector's chdb package, without loading its engine. */
export function chdbVersion() {
  try {
    const index = createRequire(`${COLLECTOR_DIST}index.js`).resolve('chdb');
    const pkg = JSON.parse(readFileSync(join(dirname(index), 'package.json'), 'utf8'));
    const engine = Object.values(pkg.optionalDependencies ?? {})[0];
    return `chDB ${pkg.version}${engine ? ` (ClickHouse ${engine})` : ''}`;
  } catch {
    return 'chDB (version unknown)';
  }
}
