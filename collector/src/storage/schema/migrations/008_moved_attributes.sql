-- Version 8: hot attributes stored once (tables/span_data.sql moved_attributes). NULL in rows
-- written before: nothing was moved.
ALTER TABLE span_data ADD COLUMN moved_attributes USMALLINT;
