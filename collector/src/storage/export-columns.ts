/**
 * The columns of a Parquet export: each column of a view, in its order and under its name, in a
 * type that DuckDB, pandas/pyarrow and Spark all read. Pure: SQL text from column names and types.
 *
 * Rules (an allowlist: a type not known to be portable becomes text):
 * - JSON (a VARCHAR alias; Parquet has a JSON logical type that not every reader maps to a
 *   string) → VARCHAR.
 * - TIMESTAMP_NS / _MS / _S → TIMESTAMP (microseconds): Spark refuses INT64 TIMESTAMP(NANOS).
 *   Exact nanoseconds stay in the views' *_ns BIGINT columns.
 * - Nested types (LIST, STRUCT, MAP, UNION, ARRAY) → their JSON text: MAP keys and UNIONs are
 *   where readers differ most.
 * - 128-bit integers, INTERVAL, TIME, UUID, ENUM, BIT and the rest → VARCHAR.
 */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';

/** Types every reader takes as DuckDB writes them (unsigned ints: pyarrow uintN, Spark ≥ 3.2). */
const PORTABLE = new Set<DuckDBTypeId>([
  DuckDBTypeId.BOOLEAN, DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT,
  DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.DECIMAL, DuckDBTypeId.VARCHAR, DuckDBTypeId.BLOB,
  DuckDBTypeId.DATE, DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_TZ,
]);
const TIMESTAMPS = new Set<DuckDBTypeId>([DuckDBTypeId.TIMESTAMP_NS, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_S]);
const NESTED = new Set<DuckDBTypeId>([DuckDBTypeId.LIST, DuckDBTypeId.STRUCT, DuckDBTypeId.MAP, DuckDBTypeId.UNION, DuckDBTypeId.ARRAY]);

export interface ViewColumn {
  name: string;
  typeId: DuckDBTypeId;
  /** A type alias such as JSON, when the column has one. */
  alias?: string;
}

/** A column as node-api describes it. */
export function viewColumn(name: string, type: DuckDBType): ViewColumn {
  return { name, typeId: type.typeId, alias: type.alias };
}

/** An identifier quoted for DuckDB. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The select-list item that exports one column under its own name. */
export function exportColumnSql(column: ViewColumn): string {
  const name = quoteIdentifier(column.name);
  if (column.alias?.toUpperCase() === 'JSON') return `CAST(${name} AS VARCHAR) AS ${name}`;
  if (!column.alias && PORTABLE.has(column.typeId)) return name;
  if (TIMESTAMPS.has(column.typeId)) return `CAST(${name} AS TIMESTAMP) AS ${name}`;
  if (NESTED.has(column.typeId)) return `CAST(to_json(${name}) AS VARCHAR) AS ${name}`;
  return `CAST(${name} AS VARCHAR) AS ${name}`;
}
