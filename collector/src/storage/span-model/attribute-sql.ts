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
 *   large_attributes_json(large)       the large attributes' column text (either form) as a JSON object text
 *   large_attribute_text(large, key, path)  one large attribute's text as json_extract_string gives it
 *   merged_attributes(small, large)    one JSON object text of the small and the large attributes
 *   moved_attribute_entries(moved, …)  the `"key":value` texts of the moved attributes, joined by commas
 *   span_attributes(small, large, moved, …hot columns)  every attribute of a span_data row
 *
 * SQL built in TypeScript calls them through the expressions below (SPAN_ATTRIBUTES …).
 */
import { LARGE_ATTRIBUTES_COLUMN, RAW_ENTRY, RAW_VALUE } from './large-attributes.js';
import { MOVABLE_ATTRIBUTES, type MovableAttribute } from './moved-attributes.js';

/** The hot columns moved attributes are rebuilt from, once each, in the macros' parameter order. */
const MOVABLE_COLUMNS: readonly string[] = [...new Set(MOVABLE_ATTRIBUTES.map((m) => m.column))];

/**
 * SQL: the large attributes' column of a span_data or span_starts row (with an optional alias and
 * its dot, e.g. 's.'), as stored: NULL when it has none, else either form of large-attributes.ts
 * (the macros below take it as it is; text search reads it so).
 */
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
/** SQL: the large attributes' column text of a span_data or span_starts row, as stored (NULL when none): what text search reads. */
export const LARGE_ATTRIBUTES = largeAttributesSql();

/**
 * SQL: the text of the large attribute `key` of a span_data row as json_extract_string gives it
 * (NULL when the row has no such large attribute). `key` and `path` are SQL expressions (bound
 * parameters): the key, and its JSON path (jsonPathForKey).
 */
export function largeAttributeTextSql(key: string, path: string): string {
  return `large_attribute_text(${LARGE_ATTRIBUTES}, ${key}, ${path})`;
}

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

/** SQL: a one-character string of a control character (chr(30) for the record separator). */
function sqlChar(c: string): string {
  return `chr(${c.charCodeAt(0)})`;
}

/** The CREATE OR REPLACE MACRO statements of the attribute-access macros, in the order they are created. */
export function attributeMacros(): string[] {
  const hot = MOVABLE_COLUMNS.join(', ');
  const entry = sqlChar(RAW_ENTRY);
  const value = sqlChar(RAW_VALUE);
  return [
    `-- The large attributes' column text as one JSON object text: the JSON form as it is, the raw
-- form (entries of ${entry}, key, ${value}, text; storage/span-model/large-attributes.ts) rendered
-- entry by entry; NULL stays NULL. An entry holds one ${value} (a key or text holding one takes
-- the JSON form), so splitting it gives [key, text]. Only the input is chosen by a CASE: the JSON
-- form and NULL enter the list functions as NULL and come out as NULL, and coalesce gives the
-- column back. A CASE around the list functions doubled their time (all the quick plan's 87,541
-- payloads: 1.23–1.31 s, against 0.68–0.77; bench/PROFILING.md "Session 13").
CREATE OR REPLACE MACRO large_attributes_json(large) AS
  coalesce('{' || array_to_string(list_transform(
      list_transform(string_split(substr(CASE WHEN starts_with(large, ${entry}) THEN large END, 2), ${entry}), e -> string_split(e, ${value})),
      p -> CAST(to_json(p[1]) AS VARCHAR) || ':' || CAST(to_json(p[2]) AS VARCHAR)), ',') || '}', large)`,
    `-- One large attribute's text, as json_extract_string(path) gives it from the JSON form: the
-- raw form's entry of the key is cut out without parsing the rest.
CREATE OR REPLACE MACRO large_attribute_text(large, key, path) AS
  CASE
    WHEN large IS NULL THEN NULL
    WHEN NOT starts_with(large, ${entry}) THEN json_extract_string(large, path)
    WHEN contains(large, ${entry} || key || ${value})
      THEN split_part(substr(large, strpos(large, ${entry} || key || ${value}) + length(key) + 2), ${entry}, 1)
  END`,
    `-- One JSON object text of the small attributes and the large ones (the column's text, NULL when none).
CREATE OR REPLACE MACRO merged_attributes(small, large) AS
  CASE
    WHEN large IS NULL THEN small
    WHEN small = '{}' THEN large_attributes_json(large)
    ELSE substr(small, 1, length(small) - 1) || ',' || substr(large_attributes_json(large), 2)
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
