-- Version 7: large attribute values in a column of their own (tables/span_data.sql says how they
-- are cut). Rows written before keep everything in attributes (large_attributes NULL), which
-- merged_attributes() handles.
ALTER TABLE span_data ADD COLUMN large_attributes VARCHAR[];
ALTER TABLE span_starts ADD COLUMN large_attributes VARCHAR[];
