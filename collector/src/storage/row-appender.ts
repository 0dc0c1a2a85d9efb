/**
 * Appends rows to the tables with DuckDB's appender, column by column from the tables' column
 * lists (table-columns.ts), the same lists that rows are checked against: what is checked is
 * exactly what is appended. The writer's commit appends with these inside its transaction.
 */
import type { DuckDBAppender } from '@duckdb/node-api';
import type { ExecutionRecord } from './records.js';
import type { AttributeValueRow, LogDataRow, SpanDataRow, SpanStartRow } from './span-model/rows.js';
import type { ErrorTextRow } from './span-model/error-texts.js';
import {
  ATTRIBUTE_VALUES_COLUMNS, ERROR_TEXTS_COLUMNS, EXECUTION_DATA_COLUMNS, LOG_DATA_COLUMNS, SPAN_DATA_COLUMNS, SPAN_STARTS_COLUMNS, type Column,
} from './table-columns.js';

type AppendOne<R> = (appender: DuckDBAppender, row: R) => void;

/** The append call of one column, chosen once per column rather than once per value. */
function columnAppender<R>(column: Column<R>): AppendOne<R> {
  const get = column.value;
  const orNull = (append: (appender: DuckDBAppender, value: never) => void): AppendOne<R> => (appender, row) => {
    const value = get(row);
    if (value === null) appender.appendNull();
    else append(appender, value as never);
  };
  switch (column.type) {
    case 'VARCHAR': return orNull((a, v: string) => a.appendVarchar(v));
    case 'BOOLEAN': return orNull((a, v: boolean) => a.appendBoolean(v));
    case 'UTINYINT': return orNull((a, v: number) => a.appendUTinyInt(v));
    case 'USMALLINT': return orNull((a, v: number) => a.appendUSmallInt(v));
    case 'INTEGER': return orNull((a, v: number) => a.appendInteger(v));
    case 'UINTEGER': return orNull((a, v: number) => a.appendUInteger(v));
    case 'BIGINT': return orNull((a, v: bigint) => a.appendBigInt(v));
  }
}

/** An appender of whole rows of a table. */
function rowAppender<R>(columns: ReadonlyArray<Column<R>>): AppendOne<R> {
  const appendColumns = columns.map(columnAppender);
  const n = appendColumns.length;
  return (appender, row) => {
    for (let i = 0; i < n; i++) appendColumns[i](appender, row);
    appender.endRow();
  };
}

/** One row of span_data (span-model/encode.ts encodeSpans makes them). */
export const appendSpan: AppendOne<SpanDataRow> = rowAppender(SPAN_DATA_COLUMNS);
/** One row of span_starts (span-model/encode.ts encodeStart). */
export const appendStart: AppendOne<SpanStartRow> = rowAppender(SPAN_STARTS_COLUMNS);
/** One row of log_data. */
export const appendLog: AppendOne<LogDataRow> = rowAppender(LOG_DATA_COLUMNS);
/** One row of execution_data. */
export const appendExecution: AppendOne<ExecutionRecord> = rowAppender(EXECUTION_DATA_COLUMNS);
/** One row of attribute_values: a trace, an attribute key and its indexed value text. */
export const appendAttributeValue: AppendOne<AttributeValueRow> = rowAppender(ATTRIBUTE_VALUES_COLUMNS);
/** One row of error_texts: a trace's error text (span-model/error-texts.ts). */
export const appendErrorText: AppendOne<ErrorTextRow> = rowAppender(ERROR_TEXTS_COLUMNS);
