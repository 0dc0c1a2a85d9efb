/**
 * The value index's rule (span-model/value-index.ts: isIndexedKey, indexedValueOf) in ClickHouse
 * SQL, for the rows a database of schema version 1 lacks: resource attributes and running spans'
 * attributes (value-index-rows.ts writes them from version 2 on). Used once, by the upgrade
 * (schema-upgrade.ts), as INSERT … SELECT over span_data; a test holds it equal to the JavaScript
 * rule on a corpus of values.
 */
import { MOVABLE_ATTRIBUTES } from '../span-model/moved-attributes.js';
import { INDEXED_VALUE_CHARS } from '../span-model/value-index.js';

const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The keys the index leaves out (hot keys searched in their columns, the truncation mark). */
const NOT_INDEXED_KEYS = ['flowtrace.truncated', ...MOVABLE_ATTRIBUTES.map((m) => m.key)];

/** SQL true when `key` is indexed (isIndexedKey). */
export const indexedKeySql = (key: string): string => `${key} NOT IN (${NOT_INDEXED_KEYS.map(quote).join(', ')})`;

const JSON_NUMBER = quote('^-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$');
const SHORT_INTEGER = quote('^-?(?:0|[1-9][0-9]{0,17})$');

/** JavaScript's length of a text: UTF-16 units (a code point above U+FFFF counts two). */
const utf16Length = (text: string): string => `(lengthUTF8(${text}) + countMatches(${text}, '[\\\\x{10000}-\\\\x{10FFFF}]'))`;

/**
 * SQL of the index text of one attribute from its raw JSON value `raw` (a String expression), or
 * NULL when the entry is not indexed: indexedValueOf. Strings give their content when short and not
 * readable as a JSON array, object or a number other than a short integer; true, false and short
 * integer tokens themselves.
 */
export function indexedValueSql(raw: string): string {
  const text = `JSONExtractString(concat('[', ${raw}, ']'), 1)`;
  const indexedText = `(${utf16Length(text)} <= ${INDEXED_VALUE_CHARS} AND NOT startsWith(${text}, '[') AND NOT startsWith(${text}, '{')`
    + ` AND NOT (match(${text}, ${JSON_NUMBER}) AND NOT match(${text}, ${SHORT_INTEGER})))`;
  return `multiIf(length(${raw}) > ${INDEXED_VALUE_CHARS * 6 + 2}, NULL,`
    + ` startsWith(${raw}, '"'), if(${indexedText}, ${text}, NULL),`
    + ` ${raw} IN ('true', 'false') OR match(${raw}, ${SHORT_INTEGER}), ${raw},`
    + ' NULL)';
}

/**
 * The SELECT of the index rows version 1 did not write, in attribute_values column order (key,
 * value, trace_id, span_id, start_ns), from `spans` (span_data's qualified name): every span's
 * resource attributes, and the small attributes of spans whose newest row is a running mark.
 */
export function missingIndexRowsSql(spans: string): string {
  const rows = (source: string, json: string, spanId: string): string =>
    `SELECT kv.1 AS key, assumeNotNull(${indexedValueSql('kv.2')}) AS value, trace_id, ${spanId} AS span_id, min(start_ns) AS start_ns
     FROM (${source}) ARRAY JOIN JSONExtractKeysAndValuesRaw(${json}) AS kv
     WHERE ${indexedKeySql('kv.1')} AND ${indexedValueSql('kv.2')} IS NOT NULL
     GROUP BY key, value, trace_id, span_id`;
  const resources = `SELECT DISTINCT trace_id, resource_attributes, start_ns FROM ${spans}`;
  const running = `SELECT trace_id, span_id AS id, argMax(attributes, version) AS attributes, min(start_ns) AS start_ns FROM ${spans}
     GROUP BY trace_id, span_id HAVING max(version) = 0`;
  return `${rows(resources, 'resource_attributes', "''")}
   UNION ALL ${rows(running, 'attributes', 'id')}`;
}
