/** The select list of a Parquet export: which DuckDB types pass as they are, which become what. */
import { DuckDBTypeId } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { exportColumnSql } from '../../src/storage/export-columns.js';

const column = (name: string, typeId: DuckDBTypeId, alias?: string) => exportColumnSql({ name, typeId, alias });

describe('exportColumnSql', () => {
  it('keeps the types every Parquet reader takes, under the column\'s own quoted name', () => {
    for (const id of [DuckDBTypeId.VARCHAR, DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.DOUBLE, DuckDBTypeId.BOOLEAN, DuckDBTypeId.TIMESTAMP]) {
      expect(column('x', id)).toBe('"x"');
    }
    expect(column('we"ird', DuckDBTypeId.INTEGER)).toBe('"we""ird"');
  });

  it('writes JSON as plain text and nanosecond times as microsecond timestamps', () => {
    expect(column('attributes', DuckDBTypeId.VARCHAR, 'JSON')).toBe('CAST("attributes" AS VARCHAR) AS "attributes"');
    expect(column('start_time', DuckDBTypeId.TIMESTAMP_NS)).toBe('CAST("start_time" AS TIMESTAMP) AS "start_time"');
  });

  it('writes nested types as their JSON text and anything not known to be portable as text', () => {
    for (const id of [DuckDBTypeId.MAP, DuckDBTypeId.UNION, DuckDBTypeId.LIST, DuckDBTypeId.STRUCT]) {
      expect(column('n', id)).toBe('CAST(to_json("n") AS VARCHAR) AS "n"');
    }
    for (const id of [DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.INTERVAL, DuckDBTypeId.UUID, DuckDBTypeId.TIME, DuckDBTypeId.ENUM]) {
      expect(column('v', id)).toBe('CAST("v" AS VARCHAR) AS "v"');
    }
  });
});
