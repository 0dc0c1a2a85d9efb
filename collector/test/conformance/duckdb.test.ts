/**
 * The storage conformance suite on DuckDB: in memory for every case, a temporary file for the
 * cases that close a store and open it again.
 */
import { afterAll } from 'vitest';
import { duckdbFactory } from './duckdb-factory.js';
import { describeStorageConformance } from './suite.js';

const duckdb = duckdbFactory();
afterAll(() => duckdb.remove());

describeStorageConformance('duckdb', duckdb.open);
