/**
 * The SQL that reads a span's attributes, generated from the rules encode.ts writes them by —
 * the table of movable attributes (moved-attributes.ts) and the large attributes' column
 * (large-attributes.ts) — so the two can never disagree.
 *
 * FOR SCHEMA (storage/schema/): `attributeMacros()` returns the CREATE OR REPLACE MACRO
 * statements of the attribute-access macros. schema/order.txt runs them at its
 * `generated:attribute-macros` line (storage/schema-generated.ts) at every start, before the
 * views that call them; no file of schema/macros/ restates them.
 *
 *   merged_attributes(small, large)    one JSON object text of the small and the large attributes
 *   moved_attribute_entries(moved, …)  the `"key":value` texts of the moved attributes, joined by commas
 *   span_attributes(small, large, moved, …hot columns)  every attribute of a span_data row
 *
 * SQL built in TypeScript calls them through the expressions below (SPAN_ATTRIBUTES …).
 */
import { LARGE_ATTRIBUTES_COLUMN } from './large-attributes.js';
import { MOVABLE_ATTRIBUTES, type MovableAttribute } from './moved-attributes.js';

/** The hot columns moved attributes are rebuilt from, once each, in the macros' parameter order. */
const MOVABLE_COLUMNS: readonly string[] = [...new Set(MOVABLE_ATTRIBUTES.map((m) => m.column))];

/** SQL: the large attributes' JSON text of a span_data or span_starts row (with an optional alias and its dot, e.g. 's.'), NULL when it has none. */
export function largeAttributesSql(row = ''): string {
  return row + LARGE_ATTRIBUTES_COLUMN;
}

/** SQL: every attribute of a span_data row as one JSON object text (moved, small and large). */
export function spanAttributesSql(row = ''): string {
  return `span_attributes(${row}attributes, ${largeAttributesSql(row)}, ${row}moved_attributes, ${MOVABLE_COLUMNS.map((c) => row + c).join(', ')})`;
}

/** SQL: the attributes of a span_starts row as one JSON object text (running spans move none). */
export function startAttributesSql(row = ''): string {
  return `merged_attributes(${row}attributes, ${largeAttributesSql(row)})`;
}

/** SQL: every attribute of a span_data row (SELECT … FROM span_data). */
export const SPAN_ATTRIBUTES = spanAttributesSql();
/** SQL: like SPAN_ATTRIBUTES without the large attributes (key suggestions skip payloads). */
export const SMALL_SPAN_ATTRIBUTES = `span_attributes(attributes, NULL, moved_attributes, ${MOVABLE_COLUMNS.join(', ')})`;
/** SQL: the large attributes' text of a span_data or span_starts row (NULL when none). */
export const LARGE_ATTRIBUTES = largeAttributesSql();

/** SQL: the value of a moved attribute's column as the text json_extract_string would give (flow.node.index as digits). */
export function movedColumnText(m: MovableAttribute, row = ''): string {
  return m.field === 'nodeIndex' ? `CAST(${row}${m.column} AS VARCHAR)` : row + m.column;
}

/** SQL: true when a span_data row's attribute `m` was moved to its column. */
export function isMovedSql(m: MovableAttribute, row = ''): string {
  return `coalesce(${row}moved_attributes, 0) & ${m.bit} <> 0`;
}

/** The entry text of one moved attribute in SQL: its quoted key, then its column as JSON. */
function movedEntrySql(m: MovableAttribute): string {
  const value = m.field === 'nodeIndex' ? `CAST(${m.column} AS VARCHAR)` : `CAST(to_json(${m.column}) AS VARCHAR)`;
  return `CASE WHEN moved & ${m.bit} <> 0 THEN '${JSON.stringify(m.key).replace(/'/g, "''")}:' || ${value} END`;
}

/** The CREATE OR REPLACE MACRO statements of the attribute-access macros, in the order they are created. */
export function attributeMacros(): string[] {
  const hot = MOVABLE_COLUMNS.join(', ');
  return [
    `-- One JSON object text of the small attributes and the large ones (NULL when none).
CREATE OR REPLACE MACRO merged_attributes(small, large) AS
  CASE
    WHEN large IS NULL THEN small
    WHEN small = '{}' THEN large
    ELSE substr(small, 1, length(small) - 1) || ',' || substr(large, 2)
  END`,
    `-- The "key":value texts of a span_data row's moved attributes joined by commas ('' when none);
-- the bits of span_data.moved_attributes (storage/span-model/moved-attributes.ts).
CREATE OR REPLACE MACRO moved_attribute_entries(moved, ${hot}) AS
  concat_ws(',',
    ${MOVABLE_ATTRIBUTES.map(movedEntrySql).join(',\n    ')})`,
    `-- Every attribute of a span_data row as one JSON object text: the moved ones, then the small
-- and the large ones (large: the row's large_attributes column).
CREATE OR REPLACE MACRO span_attributes(small, large, moved, ${hot}) AS
  CASE
    WHEN coalesce(moved, 0) = 0 THEN merged_attributes(small, large)
    WHEN small = '{}' AND large IS NULL THEN '{' || moved_attribute_entries(moved, ${hot}) || '}'
    ELSE '{' || moved_attribute_entries(moved, ${hot}) || ',' || substr(merged_attributes(small, large), 2)
  END`,
  ];
}
