-- Lone UTF-16 surrogates in stored JSON text, repaired. Older ingest wrote half an emoji with
-- JSON.stringify, which gives the escape \ud83d; DuckDB's JSON reader refuses it, so every cast
-- of such a row to JSON failed (the views, the API, the index of attribute values). Each lone
-- surrogate escape becomes \ufffd (U+FFFD), as ingest now writes it (ingest/well-formed.ts).
-- JSON.stringify escapes only lone surrogates (a pair is written as the character itself), so
-- in text it wrote every \ud800–\udfff escape is a lone one; an escaped backslash (\\ud83d is
-- the text \ud83d, not an escape) is left alone. Only rows that hold such an escape and are not
-- valid JSON are rewritten, so a second run changes nothing.
-- Runs for version 9, before 009_attribute_values.sql reads the attributes as JSON, and again for
-- version 10 (a version-9 database may hold such rows: version 9 shipped without it).

-- One pass replaces every other escape of a run (a match takes the character before it), so two.
CREATE OR REPLACE TEMP MACRO flowtrace_well_formed_json(t) AS
  regexp_replace(
    regexp_replace(t, '((?:^|[^\\])(?:\\\\)*)\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}', '\1\\ufffd', 'g'),
    '((?:^|[^\\])(?:\\\\)*)\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}', '\1\\ufffd', 'g');

CREATE OR REPLACE TEMP MACRO flowtrace_broken_json(t) AS
  (contains(t, '\ud') OR contains(t, '\uD')) AND NOT json_valid(t);

-- large_attributes: the pieces joined, repaired, and cut again where they were cut (an escape
-- and its replacement are both six ASCII characters, so every piece keeps its length).
CREATE OR REPLACE TEMP MACRO flowtrace_well_formed_pieces(pieces) AS
  list_transform(generate_series(1, len(pieces)), lambda i:
    substr(flowtrace_well_formed_json(array_to_string(pieces, '')),
           1 + CAST(coalesce(list_sum(list_transform(pieces[1:i - 1], lambda p: length(p))), 0) AS BIGINT),
           length(pieces[i])));

UPDATE span_data SET attributes = flowtrace_well_formed_json(attributes) WHERE flowtrace_broken_json(attributes);
UPDATE span_data SET resource_attributes = flowtrace_well_formed_json(resource_attributes) WHERE flowtrace_broken_json(resource_attributes);
UPDATE span_data SET events = flowtrace_well_formed_json(events) WHERE flowtrace_broken_json(events);
UPDATE span_data SET links = flowtrace_well_formed_json(links) WHERE flowtrace_broken_json(links);
UPDATE span_data SET large_attributes = flowtrace_well_formed_pieces(large_attributes)
  WHERE large_attributes IS NOT NULL AND flowtrace_broken_json(array_to_string(large_attributes, ''));
UPDATE span_starts SET attributes = flowtrace_well_formed_json(attributes) WHERE flowtrace_broken_json(attributes);
UPDATE span_starts SET resource_attributes = flowtrace_well_formed_json(resource_attributes) WHERE flowtrace_broken_json(resource_attributes);
UPDATE span_starts SET large_attributes = flowtrace_well_formed_pieces(large_attributes)
  WHERE large_attributes IS NOT NULL AND flowtrace_broken_json(array_to_string(large_attributes, ''));
UPDATE log_data SET attributes = flowtrace_well_formed_json(attributes) WHERE flowtrace_broken_json(attributes);
UPDATE log_data SET resource_attributes = flowtrace_well_formed_json(resource_attributes) WHERE flowtrace_broken_json(resource_attributes);

DROP MACRO temp.flowtrace_well_formed_pieces;
DROP MACRO temp.flowtrace_broken_json;
DROP MACRO temp.flowtrace_well_formed_json;
