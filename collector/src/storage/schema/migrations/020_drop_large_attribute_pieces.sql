-- The piece columns of large attributes, copied into large_attributes by
-- 019_large_attributes_zstd.sql (version 18), go.
ALTER TABLE span_data DROP COLUMN large_attributes_0;
ALTER TABLE span_data DROP COLUMN large_attributes_1;
ALTER TABLE span_data DROP COLUMN large_attributes_2;
ALTER TABLE span_data DROP COLUMN large_attributes_3;
ALTER TABLE span_data DROP COLUMN large_attributes_4;
ALTER TABLE span_data DROP COLUMN large_attributes_5;
ALTER TABLE span_data DROP COLUMN large_attributes_6;
ALTER TABLE span_data DROP COLUMN large_attributes_7;
ALTER TABLE span_starts DROP COLUMN large_attributes_0;
ALTER TABLE span_starts DROP COLUMN large_attributes_1;
ALTER TABLE span_starts DROP COLUMN large_attributes_2;
ALTER TABLE span_starts DROP COLUMN large_attributes_3;
ALTER TABLE span_starts DROP COLUMN large_attributes_4;
ALTER TABLE span_starts DROP COLUMN large_attributes_5;
ALTER TABLE span_starts DROP COLUMN large_attributes_6;
ALTER TABLE span_starts DROP COLUMN large_attributes_7;
