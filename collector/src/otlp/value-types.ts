/**
 * The value types that a span's or log line's JSON text cannot tell, kept beside it
 * (`valueTypes`: span_data.value_types and log_data.value_types) so that an OTLP export
 * (query/otlp-any-value.ts) gives back every AnyValue with its type. Ingest renders AnyValues
 * as JSON (ingest/any-value-json.ts): strings,
 * booleans, arrays and kvlists as themselves, integers as number tokens without a point, doubles
 * as number tokens with a point or an exponent (2.0 stays a double), an empty value as null.
 * Two types have no JSON of their own: bytes (written as base64 text) and the doubles NaN and
 * ±Infinity (written as the text "NaN" …). Only those are noted here, by path, so the column is
 * NULL for nearly every row.
 *
 * The column holds a JSON object whose members name where the values are — `resource`, `scope`,
 * `attributes` (attribute lists: a TypeTree per key), `events` and `links` (per index, as text, a
 * TypeTree of that event's or link's attributes), `body` (the log body's TypeTree) — and each
 * TypeTree is either a leaf type or, for an array or kvlist, an object of its members' trees
 * keyed by index or key. Members without a special value are left out.
 */

/** A value's type, or its members' types (array index or kvlist key → tree). */
export type TypeTree = typeof BYTES_TYPE | typeof DOUBLE_TYPE | { [member: string]: TypeTree };

/** A bytes value, written as base64 text. */
export const BYTES_TYPE = 'bytes';
/** A double NaN, Infinity or -Infinity, written as that text. */
export const DOUBLE_TYPE = 'double';

/** Where in a row the noted values are (the members of the value_types object). */
export interface ValueTypes {
  resource?: TypeTree;
  scope?: TypeTree;
  attributes?: TypeTree;
  events?: { [index: string]: TypeTree };
  links?: { [index: string]: TypeTree };
  body?: TypeTree;
}

/** The value_types text of a row from its parts, or null when none has a noted value. */
export function valueTypesText(types: ValueTypes): string | null {
  let out = '';
  for (const key of ['resource', 'scope', 'attributes', 'events', 'links', 'body'] as const) {
    const tree = types[key];
    if (tree !== undefined) out += (out === '' ? '{' : ',') + JSON.stringify(key) + ':' + JSON.stringify(tree);
  }
  return out === '' ? null : out + '}';
}
