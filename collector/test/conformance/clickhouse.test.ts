/**
 * The storage conformance suite on ClickHouse, in-process through chDB (one engine for the
 * whole file, one database per case; see test/clickhouse/chdb-store.ts).
 */
import { afterAll } from 'vitest';
import { openChdbStore, removeChdbDir } from '../clickhouse/chdb-store.js';
import type { ConformanceOptions } from './harness.js';
import { describeStorageConformance } from './suite.js';

afterAll(() => removeChdbDir());

describeStorageConformance('clickhouse (chDB)', (options: ConformanceOptions = {}) => openChdbStore({
  durable: options.durable,
  reopen: options.reopen,
  abandonAfterMs: options.abandonAfterMs,
  retention: options.retentionMaxAgeMs === undefined ? undefined : { maxAgeMs: options.retentionMaxAgeMs },
  sqlMaxRows: options.sqlMaxRows,
  onCommit: options.onCommit,
}));
