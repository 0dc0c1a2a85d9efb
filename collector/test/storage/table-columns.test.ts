import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTRIBUTE_VALUES_COLUMNS, columnProblem, ERROR_TEXTS_COLUMNS, EXECUTION_DATA_COLUMNS, INTEGER_RANGES, LOG_DATA_COLUMNS, logRowProblem,
  SPAN_DATA_COLUMNS, SPAN_STARTS_COLUMNS, spanRowProblem, type Column,
} from '../../src/storage/table-columns.js';
import { encodeSpan } from '../../src/storage/span-model/encode.js';
import { makeLogRow, makeSpanRow } from '../fixtures/rows.js';
import { openSchemaDatabase, type SchemaDatabase } from '../fixtures/schema-database.js';

const TABLES: Array<[string, ReadonlyArray<Column<never>>]> = [
  ['span_data', SPAN_DATA_COLUMNS], ['span_starts', SPAN_STARTS_COLUMNS], ['log_data', LOG_DATA_COLUMNS],
  ['execution_data', EXECUTION_DATA_COLUMNS], ['attribute_values', ATTRIBUTE_VALUES_COLUMNS], ['error_texts', ERROR_TEXTS_COLUMNS],
];

describe('the column lists the appender writes and rows are checked against', () => {
  let db: SchemaDatabase;
  const declared = new Map<string, Array<{ name: string; type: string; nullable: boolean }>>();
  beforeAll(async () => {
    db = await openSchemaDatabase();
    const rows = (await db.c.runAndReadAll(`SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`)).getRowObjectsJS();
    for (const r of rows) {
      const list = declared.get(String(r.table_name)) ?? [];
      list.push({ name: String(r.column_name), type: String(r.data_type), nullable: r.is_nullable === 'YES' });
      declared.set(String(r.table_name), list);
    }
  });
  afterAll(() => db?.close());

  for (const [table, columns] of TABLES) {
    it(`equal the columns of ${table} as the schema files build it (names, types, nullability, order)`, () => {
      expect(columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }))).toEqual(declared.get(table));
    });
  }

  it('accept the rows the fixtures build', () => {
    expect(spanRowProblem(encodeSpan(makeSpanRow({ nodeIndex: 3 })))).toBeNull();
    expect(logRowProblem(makeLogRow())).toBeNull();
  });

  it('refuse every integer just past its type range, and an enum past its values', () => {
    for (const column of [...SPAN_DATA_COLUMNS, ...LOG_DATA_COLUMNS] as Array<Column<unknown>>) {
      if (column.type === 'VARCHAR' || column.type === 'BOOLEAN') continue;
      if (column.type === 'BIGINT') {
        expect(columnProblem(column, 2n ** 63n), column.name).toMatch(/out of range/);
        expect(columnProblem(column, 2n ** 63n - 1n)).toBeNull();
        continue;
      }
      const [min, max] = column.range ?? INTEGER_RANGES[column.type];
      expect(columnProblem(column, max + 1), column.name).toMatch(/out of range/);
      expect(columnProblem(column, min - 1), column.name).toMatch(/out of range/);
      expect(columnProblem(column, 1.5), column.name).toMatch(/out of range/);
      expect(columnProblem(column, max)).toBeNull();
    }
    expect(logRowProblem(makeLogRow({ severityNumber: 25 }))).toMatch(/severityNumber 25/);
    expect(spanRowProblem(encodeSpan(makeSpanRow({ nodeIndex: 2 ** 31 })))).toMatch(/flow\.node\.index 2147483648/);
  });
});
