// Where the built collector lives, and the internals the benchmark reuses from it (the OTLP
// decoder + row conversion, the storage writer, the appender row layout, the schema DDL), so
// the bulk loader and the baselines write exactly the rows HTTP ingest would write.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
/** collector/dist/ (absolute, with a trailing slash). */
export const COLLECTOR_DIST = require.resolve('@flowtrace/collector').replace(/index\.js$/, '');
export const COLLECTOR_CLI = join(COLLECTOR_DIST, 'cli.js');

/**
 * The node flags a tree's `pnpm start` gives the collector (its package.json "start" script:
 * `node <flags> collector/dist/cli.js start`), so a benchmark starts each tree's collector as
 * its users do. `root` is the tree (with a trailing slash); none when the script names none.
 */
export function startNodeFlags(root = join(COLLECTOR_DIST, '../../')) {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts?.start ?? '';
  const m = /\bnode((?:\s+--\S+)*)\s+collector\/dist\/cli\.js\b/.exec(start);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

export const loadIngest = () => import(`${COLLECTOR_DIST}ingest/index.js`);
export const loadStorage = () => import(`${COLLECTOR_DIST}storage/index.js`);
export const loadRowAppender = () => import(`${COLLECTOR_DIST}storage/row-appender.js`);
/** The span model's encoder (logical spans → the rows DuckDB appends) and the tables' column lists. */
export const loadSpanEncoder = () => import(`${COLLECTOR_DIST}storage/span-model/encode.js`);
export const loadTableColumns = () => import(`${COLLECTOR_DIST}storage/table-columns.js`);

/** The DDL of one schema file, e.g. 'tables/span_data.sql'. */
export function schemaSql(file) {
  return readFileSync(join(COLLECTOR_DIST, 'storage', 'schema', file), 'utf8');
}
