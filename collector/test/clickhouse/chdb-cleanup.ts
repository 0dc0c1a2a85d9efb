/**
 * Setup file of the ClickHouse run of the API tests (vitest.clickhouse.config.ts): removes this
 * test file's chDB data directory once the file's own hooks have closed its collectors (vitest
 * runs after-hooks in reverse order, so this one, registered first, runs last).
 */
import { afterAll } from 'vitest';
import { removeChdbDir } from './chdb-store.js';

afterAll(() => removeChdbDir());
