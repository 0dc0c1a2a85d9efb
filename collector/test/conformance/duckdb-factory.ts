/**
 * The DuckDB factory of the conformance suite: the engine-neutral options mapped onto
 * openStorage's; in memory, or a file in a temporary directory for a durable store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/index.js';
import type { ConformanceOptions, OpenStore } from './harness.js';

/** A factory whose durable stores live in one temporary directory; `remove` deletes it. */
export function duckdbFactory(): { open: OpenStore; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ft-conformance-'));
  let files = 0;
  const open = (options: ConformanceOptions = {}) => openStorage({
    path: options.reopen ?? (options.durable ? join(dir, `store-${files++}.duckdb`) : ':memory:'),
    abandonAfterMs: options.abandonAfterMs,
    retention: options.retentionMaxAgeMs === undefined ? undefined : { maxAgeMs: options.retentionMaxAgeMs },
    sqlMaxRows: options.sqlMaxRows,
    onCommit: options.onCommit,
  });
  return { open, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
