-- The VARCHAR[] columns of large attributes, copied into their piece columns by
-- 016_large_attribute_pieces.sql (version 15), go.
ALTER TABLE span_data DROP COLUMN large_attributes;
ALTER TABLE span_starts DROP COLUMN large_attributes;
